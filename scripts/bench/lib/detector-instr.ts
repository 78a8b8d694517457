// The detector's work per text in figures the shared machine's noise cannot move: run under valgrind,
// the instructions of COUNT analyze() calls after WARM others, found as the difference between a run with
// COUNT and a run with COUNT=0 (same loading and warm-up); not part of npm run bench.
//   valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=OUT node_modules/.bin/node \
//     --single-threaded --predictable --expose-gc scripts/bench/lib/detector-instr.ts   (COUNT=0 and N)
//   cg_diff OUT0 OUTN, then cg_annotate: per-text totals, with V8's optimising compilers apart
// A run repeats itself to ~0.01 %, but V8 still tiers functions up thousands of texts in (a function called
// once per text reaches its compile budget late), and with --single-threaded those compiles run on the
// measured thread: they move the difference by ±10 % from one version of the code to the next. Take a long
// warm-up (6,000 drain texts) and read the figures without the compilers' functions (v8::internal::compiler,
// turboshaft, maglev) beside the totals.
// TEXTS=drain (default): the drain's SMS (smsCorpus(2000, 11)); TEXTS=eval: the evaluation sets' texts
// (../shared/eval/*texts*.jsonl). WARM texts first (default 300), then COUNT (default 300).
// MODE=profile: no valgrind, repeats the measured loop REPEAT times (for a --cpu-prof run); HEAP_PROFILE=FILE
// also writes a sampling heap profile of that loop, every allocation collected since or not (every 512 bytes).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { loadDetector } from '../../../src/detector/load.ts';
import { EVAL_DIR } from '../../eval-data.ts';
import { smsCorpus } from './texts.ts';

function evalTexts(): string[] {
  const out: string[] = [];
  for (const file of readdirSync(EVAL_DIR)
    .filter((f) => f.endsWith('.jsonl') && f.includes('texts'))
    .sort())
    for (const line of readFileSync(join(EVAL_DIR, file), 'utf8').split('\n'))
      if (line.trim() !== '') out.push((JSON.parse(line) as { text: string }).text);
  return out;
}

const texts = process.env.TEXTS === 'eval' ? evalTexts() : smsCorpus(2000, 11).map((s) => s.text);
const WARM = Number(process.env.WARM ?? 300);
const COUNT = Number(process.env.COUNT ?? 300);
const REPEAT = process.env.MODE === 'profile' ? Number(process.env.REPEAT ?? 20) : 1;
const detector = await loadDetector();
let sink = 0;
const at = (i: number) => texts[i % texts.length]!;
for (let i = 0; i < WARM; i++) sink += detector.analyze(at(i)).score;
// With --expose-gc, the measured loop starts on an empty young generation (the warm-up's garbage is not
// collected inside it, whatever the count).
globalThis.gc?.();
const heapFile = process.env.HEAP_PROFILE;
const session = heapFile ? new Session() : undefined;
if (session) {
  session.connect();
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 512,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
}
const t0 = process.threadCpuUsage();
for (let r = 0; r < REPEAT; r++)
  for (let i = WARM; i < WARM + COUNT; i++) sink += detector.analyze(at(i)).score;
const t = process.threadCpuUsage(t0);
if (session && heapFile) {
  const { profile } = await session.post('HeapProfiler.stopSampling');
  writeFileSync(heapFile, JSON.stringify(profile));
  session.disconnect();
}
console.error(
  `${COUNT * REPEAT} texts of ${texts.length}: ${((t.user + t.system) / (COUNT * REPEAT)).toFixed(1)} µs each (${sink})`,
);
