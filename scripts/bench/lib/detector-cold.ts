// One cold start, run in a fresh process by scripts/bench/detector.ts: import the detector, load it,
// analyse one SMS, then report times and memory as one JSON line. Started without --expose-gc, the way
// `npm start` starts the server; gc is switched on only after the first verdict, to measure memory.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const SMS =
  '【佐川急便】お荷物のお届けにあがりましたが不在の為持ち帰りました。下記よりご確認ください http://sagawa-exp.top/abc';

export interface ColdResult {
  /** From the parent's spawn() to the first verdict (BENCH_SPAWNED_AT, process.hrtime clock). */
  sinceSpawnMs: number;
  /** From Node's time origin (process start) to the start of the import. */
  bootMs: number;
  importMs: number;
  loadMs: number;
  firstAnalyzeMs: number;
  rssBeforeGc: number;
  memory: NodeJS.MemoryUsage;
}

const t0 = performance.now();
const { loadDetector } = await import('../../../src/detector/load.ts');
const t1 = performance.now();
const detector = await loadDetector();
const t2 = performance.now();
detector.analyze(SMS);
const t3 = performance.now();
const spawnedAt = process.env.BENCH_SPAWNED_AT;
const sinceSpawnMs = spawnedAt ? Number(process.hrtime.bigint() - BigInt(spawnedAt)) / 1e6 : NaN;

const rssBeforeGc = process.memoryUsage.rss();
setFlagsFromString('--expose-gc');
(runInNewContext('gc') as () => void)();

const result: ColdResult = {
  sinceSpawnMs,
  bootMs: t0,
  importMs: t1 - t0,
  loadMs: t2 - t1,
  firstAnalyzeMs: t3 - t2,
  rssBeforeGc,
  memory: process.memoryUsage(),
};
console.log(JSON.stringify(result));
