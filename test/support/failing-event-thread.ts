// A stand-in for src/server/event-worker.ts that speaks the same messages but fails on cue. The first
// thread started throws an uncaught error when woken, as a bug or running out of memory would; its
// replacement beats every 50 ms and, when woken, stops beating (its event loop "blocked"). Only the
// thread's behaviour is staged; src/server/event-threads.ts, which must notice it, is the real one.
import { parentPort, workerData } from 'node:worker_threads';
import type { FromThread, ThreadData, ToThread } from '../../src/server/event-worker.ts';

const port = parentPort!;
const { owner } = workerData as ThreadData;
const first = owner.endsWith('/1/');
const beats = setInterval(
  () =>
    port.postMessage({
      type: 'beat',
      running: 1,
      oldestRunningSince: Date.now(),
      oldestWaitingSince: null,
    } satisfies FromThread),
  50,
);
port.on('message', (m: ToThread) => {
  if (m.type === 'wake') {
    if (first)
      setTimeout(() => {
        throw new Error('staged failure');
      }, 10);
    else clearInterval(beats);
  } else if (m.type === 'metrics')
    port.postMessage({ type: 'metrics', id: m.id, data: [] } satisfies FromThread);
  else {
    clearInterval(beats);
    port.postMessage({ type: 'closed' } satisfies FromThread);
  }
});
port.postMessage({ type: 'ready' } satisfies FromThread);
