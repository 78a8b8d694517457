// The detector's work per text in figures the shared machine's noise cannot move: run under valgrind,
// the instructions of COUNT analyze() calls after a warm-up (JIT settled), found as the difference between
// a run with COUNT and a run with COUNT=0 (same loading and warm-up); not part of npm run bench.
//   valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null node_modules/.bin/node \
//     --single-threaded --predictable --expose-gc scripts/bench/lib/detector-instr.ts   (COUNT=0 and N, subtract)
// TEXTS=drain (default): the drain's SMS (smsCorpus(2000, 11)); TEXTS=eval: the evaluation sets' texts
// (../shared/eval/*texts*.jsonl). WARM texts first (default 300), then COUNT (default 300), from OFFSET.
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
