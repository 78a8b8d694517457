// A stand-in for src/server/event-worker.ts that speaks the same messages and answers nothing: it says
// it is ready, beats, counts the wakes it hears (in its beats' `running`), and says "closed" when told
// to close. Enough for src/server/event-threads.ts, the real one, to start spare threads while events
// wait and stop them once the threads are quiet (their event loops idle).
import { parentPort } from 'node:worker_threads';
import type { FromThread, ToThread } from '../../src/server/event-worker.ts';

const port = parentPort!;
let wakes = 0;
const beat = () =>
  port.postMessage({
    type: 'beat',
    running: wakes,
    oldestRunningSince: null,
    oldestWaitingSince: null,
  } satisfies FromThread);
const beats = setInterval(beat, 50);
port.on('message', (m: ToThread) => {
  if (m.type === 'wake') wakes++;
  else if (m.type === 'metrics')
    port.postMessage({ type: 'metrics', id: m.id, data: [] } satisfies FromThread);
  else {
    clearInterval(beats);
    port.postMessage({ type: 'closed' } satisfies FromThread);
  }
});
port.postMessage({ type: 'ready' } satisfies FromThread);
