// A stand-in for src/server/event-worker.ts that speaks the same messages but fails on cue: an event whose
// webhookEventId is "crash" throws an uncaught error in the thread, as a bug or running out of memory would.
// Only the thread's failure is staged; src/server/event-threads.ts, which must survive it, is the real one.
import { parentPort } from 'node:worker_threads';
import type { FromThread, ToThread } from '../../src/server/event-worker.ts';

const port = parentPort!;
port.on('message', (m: ToThread) => {
  if (m.type === 'event') {
    if (m.event.webhookEventId === 'crash')
      setTimeout(() => {
        throw new Error('staged failure');
      }, 10);
    else setTimeout(() => port.postMessage({ type: 'done', id: m.id } satisfies FromThread), 30);
  } else if (m.type === 'metrics')
    port.postMessage({ type: 'metrics', id: m.id, data: [] } satisfies FromThread);
  else port.postMessage({ type: 'closed' } satisfies FromThread);
});
port.postMessage({ type: 'ready' } satisfies FromThread);
