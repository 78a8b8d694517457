// Warm measurements in one fresh process (run with --expose-gc by scripts/bench/detector.ts): per-message
// latency of ~200-character SMS texts and ~20 KB mails, single-thread throughput, the tokenizer alone for
// comparison, and memory after load and after the runs. Prints one JSON line.
// Standalone for profiling: node --expose-gc --cpu-prof scripts/bench/lib/detector-warm.ts
import { loadDetector } from '../../../src/detector/load.ts';
import { loadTokenizer } from '../../../src/detector/tokenizer.ts';
import type { Risk } from '../../../src/detector/types.ts';
import { mailCorpus, smsCorpus, type Sample } from './texts.ts';

const SMS_COUNT = 3000;
const SMS_WARMUP = 2000;
/** Timed passes over the SMS texts: all calls give p50/p99, the best pass per text its intrinsic cost. */
const SMS_PASSES = 3;
const MAIL_COUNT = 100;
const MAIL_WARMUP = 40;
const MAIL_TIMED = 400;
const THROUGHPUT_ROUNDS = 3;
const ROUND_MS = 2000;

export interface WarmResult {
  smsMs: number[];
  /** Per text, the fastest of the passes: without GC pauses or waits for a core. */
  smsBestMs: number[];
  mailMs: number[];
  tokenizerSmsMs: number[];
  tokenizerMailMs: number[];
  /** Messages per second of wall-clock time, one figure per round. */
  throughput: number[];
  /** Messages per second of this thread's CPU time: what one core does, whatever else runs on the machine. */
  throughputCpu: number[];
  memoryAfterLoad: NodeJS.MemoryUsage;
  memoryAfterRuns: NodeJS.MemoryUsage;
  sms: CorpusInfo;
  mail: CorpusInfo;
  settings: { smsWarmup: number; smsPasses: number; roundMs: number };
}

export interface CorpusInfo {
  count: number;
  phishing: number;
  withLink: number;
  minChars: number;
  maxChars: number;
  minBytes: number;
  maxBytes: number;
  risks: Record<Risk, number>;
}

const gc = globalThis.gc ?? (() => {});
const detector = await loadDetector();
const tokenizer = await loadTokenizer();
const sms = smsCorpus(SMS_COUNT);
const mails = mailCorpus(MAIL_COUNT);
detector.analyze(sms[0]!.text);
gc();
const memoryAfterLoad = process.memoryUsage();

/** Keeps every result alive so that no call can be optimised away. */
let sink = 0;

/** Times `n` calls of fn over the texts in turn, one timing per call. */
function timeEach(fn: (text: string) => unknown, texts: Sample[], n: number, skip = 0): number[] {
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const text = texts[(skip + i) % texts.length]!.text;
    const t = performance.now();
    const v = fn(text);
    out[i] = performance.now() - t;
    if (v) sink++;
  }
  return out;
}

const analyze = (text: string) => detector.analyze(text);

// Warm-up: let V8 optimise the hot paths before anything is timed.
timeEach(analyze, sms, SMS_WARMUP);
gc();
const passes = Array.from({ length: SMS_PASSES }, () => timeEach(analyze, sms, sms.length));
const smsMs = passes.flat();
const smsBestMs = sms.map((_, i) => Math.min(...passes.map((p) => p[i]!)));

const throughput: number[] = [];
const throughputCpu: number[] = [];
for (let round = 0, i = 0; round < THROUGHPUT_ROUNDS; round++) {
  gc();
  const cpuStart = process.threadCpuUsage();
  const start = performance.now();
  let count = 0;
  let elapsed = 0;
  // Check the clock every 100 messages, so the loop is almost all analysis.
  while (elapsed < ROUND_MS) {
    for (let k = 0; k < 100; k++, i++) sink += detector.analyze(sms[i % sms.length]!.text).score;
    count += 100;
    elapsed = performance.now() - start;
  }
  throughput.push((count / elapsed) * 1000);
  const cpu = process.threadCpuUsage(cpuStart);
  throughputCpu.push((count / (cpu.user + cpu.system)) * 1e6);
}

gc();
const tokenize = (text: string) => tokenizer.tokenize(text);
timeEach(tokenize, sms, 500);
const tokenizerSmsMs = timeEach(tokenize, sms, SMS_COUNT);

gc();
timeEach(analyze, mails, MAIL_WARMUP);
gc();
const mailMs = timeEach(analyze, mails, MAIL_TIMED, MAIL_WARMUP);
const tokenizerMailMs = timeEach(tokenize, mails, MAIL_COUNT);

gc();
const memoryAfterRuns = process.memoryUsage();

function describe(samples: Sample[]): CorpusInfo {
  const risks: Record<Risk, number> = { high: 0, medium: 0, low: 0, unknown: 0 };
  for (const s of samples) risks[detector.analyze(s.text).risk]++;
  const chars = samples.map((s) => s.text.length);
  const bytes = samples.map((s) => Buffer.byteLength(s.text));
  return {
    count: samples.length,
    phishing: samples.filter((s) => s.phishing).length,
    withLink: samples.filter((s) => s.hasLink).length,
    minChars: Math.min(...chars),
    maxChars: Math.max(...chars),
    minBytes: Math.min(...bytes),
    maxBytes: Math.max(...bytes),
    risks,
  };
}

const result: WarmResult = {
  smsMs,
  smsBestMs,
  mailMs,
  tokenizerSmsMs,
  tokenizerMailMs,
  throughput,
  throughputCpu,
  memoryAfterLoad,
  memoryAfterRuns,
  sms: describe(sms),
  mail: describe(mails),
  settings: { smsWarmup: SMS_WARMUP, smsPasses: SMS_PASSES, roundMs: ROUND_MS },
};
if (sink < 0) console.error(sink); // never true; reads the sink
console.log(JSON.stringify(result));
