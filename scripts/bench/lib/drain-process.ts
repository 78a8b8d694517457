// The child process of scripts/bench/drain.ts: DRAIN_N text events already waiting in the Redis backlog,
// answered by one consumer in this process's thread with the runtime an event thread builds (detector,
// store, rate limit, cards, reply call to the stand-in). Nothing else runs here: no webhooks, no load
// generator in this process. Prints one JSON line on standard error with the CPU it took.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadConfig } from '../../../src/config.ts';
import { loadCopy } from '../../../src/rules/replies.ts';
import { loadDetector } from '../../../src/detector/load.ts';
import { createLogger } from '../../../src/log/logger.ts';
import { loadGuide } from '../../../src/guide/load.ts';
import { openStore } from '../../../src/store/open.ts';
import { backlogKey, seal } from '../../../src/server/backlog.ts';
import { answerHere, DEFAULT_CONCURRENCY } from '../../../src/server/runtime.ts';
import { createMetrics } from '../../../src/server/metrics.ts';
import type { LineEvent } from '../../../src/line/events.ts';
import { smsCorpus } from './texts.ts';

const N = Number(process.env.DRAIN_N ?? 3000);
/**
 * Events answered before the measured drain. DRAIN_WARM=8000 leaves out most of V8's optimising compiles
 * (V8 helper CPU per event 0.21 → 0.12 ms): they go on for thousands of events after a thread starts.
 */
const WARM = Number(process.env.DRAIN_WARM ?? 500);
const DETECTOR_ALONE = 1000;
const config = loadConfig();
const log = createLogger(config.logLevel);
// As an event thread's store writes (redis.ts: a command sent while others wait for replies waits for them).
const store = openStore(config.storeUrl, log, { waitForReplies: true });
// DRAIN_CACHED_VERDICTS=1: each text analysed once (before the warm-up), its verdict reused after, so the
// figures are what answering costs outside the detector (the same cards, store writes and replies).
const realDetector = loadDetector();
const detector = timedAnalyze(
  process.env.DRAIN_CACHED_VERDICTS === '1' ? cachedVerdicts(realDetector) : realDetector,
);
const key = backlogKey(config.line!.channelSecret);
const texts = smsCorpus(2000, 11).map((s) => s.text);

function cachedVerdicts(loading: ReturnType<typeof loadDetector>): ReturnType<typeof loadDetector> {
  return loading.then((d) => {
    const seen = new Map<string, ReturnType<typeof d.analyze>>();
    const analyze: typeof d.analyze = (text, extra) => {
      if (extra) return d.analyze(text, extra);
      let v = seen.get(text);
      if (!v) seen.set(text, (v = d.analyze(text)));
      return v;
    };
    return Object.assign(Object.create(d) as typeof d, { analyze });
  });
}

/** The consumer thread's CPU inside analyze() during the measured drain (µs) and the calls counted. */
const inDrain = { us: 0, calls: 0 };

/**
 * Times each analyze() call with this thread's CPU clock: the detector's cost among everything else an
 * event does (its tables then share the caches with the rest), against the same texts alone after the drain.
 */
function timedAnalyze(loading: ReturnType<typeof loadDetector>): ReturnType<typeof loadDetector> {
  return loading.then((d) => {
    const analyze: typeof d.analyze = (text, extra) => {
      const t0 = process.threadCpuUsage();
      try {
        return d.analyze(text, extra);
      } finally {
        const t = process.threadCpuUsage(t0);
        inDrain.us += t.user + t.system;
        inDrain.calls++;
      }
    };
    return Object.assign(Object.create(d) as typeof d, { analyze });
  });
}

let seq = 0;
const event = (): LineEvent => {
  const i = ++seq;
  return {
    type: 'message',
    mode: 'active',
    timestamp: Date.now(),
    source: { type: 'user', userId: `U${String(i).padStart(32, '0')}` },
    webhookEventId: `01DRAIN${String(i).padStart(12, '0')}`,
    deliveryContext: { isRedelivery: false },
    replyToken: `rt-drain-${i}`,
    message: { id: String(i), type: 'text', quoteToken: 'q', text: texts[i % texts.length]! },
  } as unknown as LineEvent;
};

let done = 0;
// As an event thread builds it (src/server/event-worker.ts).
const { consumer: taking, events: runtime } = await answerHere(
  config,
  { detector, store, logger: log, copy: loadCopy(), metrics: createMetrics({ process: false }) },
  { consume: true, owner: 'drain/', concurrency: DEFAULT_CONCURRENCY, onDone: () => void done++ },
);
const consumer = taking!;
await Promise.all([detector, loadGuide()]);
// Cached verdicts: every text analysed once now, so none is analysed in the measured drain.
if (process.env.DRAIN_CACHED_VERDICTS === '1') for (const t of texts) (await detector).analyze(t);

const fill = async (n: number) => {
  for (let i = 0; i < n; i += 100)
    await store.backlog.enqueue(
      Array.from({ length: Math.min(100, n - i) }, () => seal(key, event())),
      86_400_000,
    );
};
const until = (n: number) =>
  new Promise<void>((resolve) => {
    const t = setInterval(() => done >= n && (clearInterval(t), resolve()), 5);
  });
const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;
/** CPU ms by thread name (Linux): the consumer's thread is MainThread here; V8Worker are GC helpers. */
const threads = () => {
  const out: Record<string, number> = {};
  for (const tid of readdirSync('/proc/self/task')) {
    const st = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    const name = st.slice(st.indexOf('(') + 1, st.lastIndexOf(')'));
    const f = st.slice(st.lastIndexOf(') ') + 2).split(' ');
    out[name] = (out[name] ?? 0) + (Number(f[11]) + Number(f[12])) * 10;
  }
  return out;
};

/**
 * `BENCH_SERVER_PROFILE=DIR npm run bench -- drain` writes a CPU profile of the measured drain alone (not the
 * start-up, the fill or the warm-up) to DIR/drain-PID.cpuprofile: open it in Chrome DevTools. The
 * profiler's sampling costs CPU of its own, so the round's figures are higher while it runs.
 */
async function startProfile(): Promise<(() => Promise<void>) | undefined> {
  const dir = process.env.BENCH_SERVER_PROFILE;
  const heapDir = process.env.BENCH_HEAP_PROFILE;
  if (!dir && !heapDir) return undefined;
  const session = new Session();
  session.connect();
  if (dir) {
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  // `BENCH_HEAP_PROFILE=DIR`: where the measured drain's bytes are allocated, collected since or not (sampled every 16 KB on
  // average), to DIR/drain-PID.heapprofile, for Chrome DevTools' memory tab.
  if (heapDir)
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: 16_384,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
  return async () => {
    if (dir) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(`${dir}/drain-${process.pid}.cpuprofile`, JSON.stringify(profile));
    }
    if (heapDir) {
      const { profile } = await session.post('HeapProfiler.stopSampling');
      writeFileSync(`${heapDir}/drain-${process.pid}.heapprofile`, JSON.stringify(profile));
    }
    session.disconnect();
  };
}

/** Read and write system calls of the whole process so far (Linux): each socket read or write is one. */
const syscalls = () => {
  const io = readFileSync('/proc/self/io', 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(io)?.[1] ?? NaN);
  return { reads: field('syscr'), writes: field('syscw') };
};

// Warm-up (JIT, connections), then the measured drain: all N written first, then answered.
await fill(WARM);
consumer.start(runtime.process!);
await until(WARM);
await fill(N);
const profile = await startProfile();
inDrain.us = inDrain.calls = 0;
const t0 = threads();
const io0 = syscalls();
const c0 = process.cpuUsage();
const w0 = performance.now();
consumer.wake();
await until(WARM + N);
const used = process.cpuUsage(c0);
const total = cpuMs(used);
const wall = performance.now() - w0;
const t1 = threads();
const io1 = syscalls();
await profile?.();

const detectorInDrainMs = inDrain.calls ? inDrain.us / 1000 / inDrain.calls : NaN;
const d = await realDetector;
const d0 = process.cpuUsage();
const dt0 = process.threadCpuUsage();
for (let i = 0; i < DETECTOR_ALONE; i++) d.analyze(texts[i % texts.length]!);
const detectorMs = cpuMs(process.cpuUsage(d0)) / DETECTOR_ALONE;
const detectorThreadMs = cpuMs(process.threadCpuUsage(dt0)) / DETECTOR_ALONE;

process.stderr.write(
  `${JSON.stringify({
    n: N,
    perEventMs: total / N,
    mainMs: ((t1.MainThread ?? 0) - (t0.MainThread ?? 0)) / N,
    gcHelpersMs: ((t1.V8Worker ?? 0) - (t0.V8Worker ?? 0)) / N,
    detectorMs,
    detectorThreadMs,
    detectorInDrainMs,
    systemMs: used.system / 1000 / N,
    readsPerEvent: (io1.reads - io0.reads) / N,
    writesPerEvent: (io1.writes - io0.writes) / N,
    rate: N / (wall / 1000),
  })}\n`,
);
await consumer.stop(Date.now() + 2000);
await runtime.close();
await store.close();
process.exit(0);
