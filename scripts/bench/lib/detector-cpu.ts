// The detector's CPU and allocation per SMS, for comparing two versions of its internals in alternating
// runs on a shared machine (not part of npm run bench). Three figures, one JSON line:
//   aloneUs     thread CPU per SMS in a tight loop (its tables stay in the caches)
//   pollutedUs  thread CPU per SMS when other work sweeps POLLUTE_MB of memory between calls, as the rest of
//               an event's work does inside the drain (only the analyze() calls are timed)
//   allocBytes  bytes allocated on the V8 heap per SMS (heap growth over a batch with no GC in it; run with
//               --min-semi-space-size=64 --max-semi-space-size=64 so the batch fits the young generation)
//   node --expose-gc --min-semi-space-size=64 --max-semi-space-size=64 scripts/bench/lib/detector-cpu.ts
// The texts are the drain's (smsCorpus(2000, 11)). Medians of ROUNDS rounds.
import { PerformanceObserver } from 'node:perf_hooks';
import { loadDetector } from '../../../src/detector/load.ts';
import { loadTokenizer } from '../../../src/detector/tokenizer.ts';
import type { Verdict } from '../../../src/detector/types.ts';
import { smsCorpus } from './texts.ts';

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const POLLUTE_MB = Number(process.env.POLLUTE_MB ?? 4);
const ALLOC_BATCH = 200;

const gc = globalThis.gc ?? (() => {});
const detector = await loadDetector();
// TOKENIZER_ONLY=1: the tokenizer alone on the same texts (its share of the figures).
if (process.env.TOKENIZER_ONLY === '1') {
  const tokenizer = await loadTokenizer();
  detector.analyze = (text: string) => ({ score: tokenizer.tokenize(text).length }) as unknown as Verdict;
}
const texts = smsCorpus(2000, 11).map((s) => s.text);
let sink = 0;
for (const t of texts) sink += detector.analyze(t).score; // warm-up

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const cpuUs = (c: NodeJS.CpuUsage) => c.user + c.system;

function alone(): number {
  gc();
  const t0 = process.threadCpuUsage();
  for (const t of texts) sink += detector.analyze(t).score;
  return cpuUs(process.threadCpuUsage(t0)) / texts.length;
}

/** Other work's memory traffic: writes a line of each 64 bytes of POLLUTE_MB, as fresh allocations do. */
const junk = new Int32Array((POLLUTE_MB * 1024 * 1024) / 4);
let pass = 0;
function pollute(): void {
  pass++;
  for (let i = 0; i < junk.length; i += 16) junk[i] = pass;
}

function polluted(): number {
  gc();
  let us = 0;
  for (const t of texts) {
    pollute();
    const t0 = process.threadCpuUsage();
    sink += detector.analyze(t).score;
    us += cpuUs(process.threadCpuUsage(t0));
  }
  return us / texts.length;
}

let gcs = 0;
new PerformanceObserver((list) => (gcs += list.getEntries().length)).observe({ entryTypes: ['gc'] });

/** Heap growth per SMS over batches with no collection in them (a batch with one is measured again). */
async function allocated(): Promise<number> {
  const per: number[] = [];
  for (let from = 0; from + ALLOC_BATCH <= texts.length; from += ALLOC_BATCH) {
    for (let attempt = 0; attempt < 3; attempt++) {
      gc();
      await new Promise((r) => setTimeout(r, 20)); // let the observer count that collection
      const before = gcs;
      const h0 = process.memoryUsage().heapUsed;
      for (let i = from; i < from + ALLOC_BATCH; i++) sink += detector.analyze(texts[i]!).score;
      const h1 = process.memoryUsage().heapUsed;
      await new Promise((r) => setTimeout(r, 20));
      if (gcs === before) {
        per.push((h1 - h0) / ALLOC_BATCH);
        break;
      }
    }
  }
  return per.length ? median(per) : NaN;
}

const aloneUs: number[] = [];
const pollutedUs: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  aloneUs.push(alone());
  pollutedUs.push(polluted());
}
const allocBytes = await allocated();
console.log(
  JSON.stringify({
    aloneUs: Math.round(median(aloneUs)),
    pollutedUs: Math.round(median(pollutedUs)),
    minAloneUs: Math.round(Math.min(...aloneUs)),
    minPollutedUs: Math.round(Math.min(...pollutedUs)),
    allocBytes: Math.round(allocBytes),
    rounds: { aloneUs: aloneUs.map(Math.round), pollutedUs: pollutedUs.map(Math.round) },
    polluteMb: POLLUTE_MB,
  }),
);
if (sink < 0) console.error(sink);
