// Worker threads with the young generation their resourceLimits ask for. V8's --max-semi-space-size
// (package.json's start: 4 MB, so the acknowledging thread keeps a small young generation) applies to every
// heap made while it is set and wins over a worker's resourceLimits.maxYoungGenerationSizeMb: the event
// threads ran with 4 MB semi-spaces whatever they asked, and promoted ~10 KB of every event in flight to
// their old generation (BENCHMARKS.md, load). V8 reads the flag when a thread makes its heap, so it is
// lifted (0: the worker's own limit decides) while such a worker starts and put back once it runs.
import v8 from 'node:v8';
import { Worker, type WorkerOptions } from 'node:worker_threads';

const FLAG = /^--max-semi-space-size=(\d+)$/;
let starting = 0;

/** `new Worker`, with resourceLimits.maxYoungGenerationSizeMb in force even under --max-semi-space-size. */
export function startWorker(file: string | URL, options: WorkerOptions): Worker {
  if (!options.resourceLimits?.maxYoungGenerationSizeMb) return new Worker(file, options);
  if (starting++ === 0) v8.setFlagsFromString('--max-semi-space-size=0');
  let putBack = false;
  const done = () => {
    if (putBack) return;
    putBack = true;
    if (--starting === 0) v8.setFlagsFromString(`--max-semi-space-size=${processSemiSpace()}`);
  };
  try {
    return new Worker(file, options).once('online', done).once('exit', done);
  } catch (err) {
    done();
    throw err;
  }
}

/** The process's own setting (NODE_OPTIONS, then the command line: the last one counts), 0 when none. */
function processSemiSpace(): string {
  let value = '0';
  for (const arg of [...(process.env.NODE_OPTIONS?.split(/\s+/) ?? []), ...process.execArgv])
    value = FLAG.exec(arg)?.[1] ?? value;
  return value;
}
