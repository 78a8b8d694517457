// One event thread of event-threads.ts: its own store connection, detector, OCR workers and LINE client,
// reading the same environment as the server. It takes the events the server's thread wrote to the
// durable backlog (consumer.ts), answers them, and tells the server how it is doing: a beat every
// second (a thread whose beats stop is stuck), a note per event done, its metrics when asked.
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { loadConfig } from '../config.ts';
import { loadCopy } from '../rules/replies.ts';
import { loadDetector } from '../detector/load.ts';
import { createLogger, flushLogs } from '../log/logger.ts';
import { loadGuide } from '../guide/load.ts';
import { defaultPoolSize } from '../media/ocr-pool.ts';
import { openStore } from '../store/open.ts';
import { createMetrics } from './metrics.ts';
import { answerHere } from './runtime.ts';

export interface ThreadData {
  /** This thread's name on the leases it takes. */
  owner: string;
  /** Events answered at once. */
  concurrency: number;
  leaseMs?: number;
  /** Event threads of the process: the OCR slots are shared out among them. */
  threads?: number;
}

export type ToThread =
  { type: 'wake' } | { type: 'metrics'; id: number } | { type: 'close'; deadline: number };
export type FromThread =
  | { type: 'ready' }
  | { type: 'beat'; running: number; oldestRunningSince: number | null; oldestWaitingSince: number | null }
  /** Events finished since the last note: one message per turn of the event loop, not per event. */
  | { type: 'done'; n: number }
  | { type: 'metrics'; id: number; data: unknown }
  | { type: 'closed' };

// Below the server's thread in the CPU scheduler: when the cores are busy, acknowledging a webhook
// comes first. Linux keeps a nice value per thread; elsewhere it would apply to the whole process.
if (process.platform === 'linux') setPriority(10);

const port = parentPort!;
const data = workerData as ThreadData;
const config = loadConfig();
const log = createLogger(config.logLevel);
const store = openStore(config.storeUrl, log);
const metrics = createMetrics({ process: false });
const detector = loadDetector();
// Each message wakes the server's thread (which the scheduler then runs first): at hundreds of events a
// second, the events finished within DONE_EVERY_MS go in one. The count only refines the server's
// estimate of the backlog between two reads of the store.
const DONE_EVERY_MS = 50;
let doneSince = 0;
const flushDone = () => {
  port.postMessage({ type: 'done', n: doneSince } satisfies FromThread);
  doneSince = 0;
};
// OCR workers (~250 MB a slot) start with the first picture, not with the thread: a server that only
// ever gets texts stays small. Each thread gets its share of the slots a process would have.
const { consumer: taking, events: runtime } = await answerHere(
  config,
  { detector, store, logger: log, copy: loadCopy(), metrics },
  {
    consume: true,
    owner: data.owner,
    concurrency: data.concurrency,
    leaseMs: data.leaseMs,
    startsPerTurn: data.concurrency, // no webhooks here to read in between
    onDone: () => {
      if (doneSince++ === 0) setTimeout(flushDone, DONE_EVERY_MS);
    },
    ocr: { size: Math.max(1, Math.floor(defaultPoolSize() / (data.threads ?? 1))) },
  },
);
const consumer = taking!; // consume: true

const beat = () =>
  port.postMessage({
    type: 'beat',
    running: consumer.running,
    oldestRunningSince: consumer.oldestRunningSince(),
    oldestWaitingSince: consumer.oldestWaitingSince(),
  } satisfies FromThread);
const beats = setInterval(beat, 1000);

port.on('message', (m: ToThread) => {
  if (m.type === 'wake') consumer.wake();
  else if (m.type === 'metrics') {
    void metrics.registry
      .getMetricsAsJSON()
      .then((data) => port.postMessage({ type: 'metrics', id: m.id, data }));
  } else if (m.type === 'close') {
    void (async () => {
      await consumer.stop(m.deadline);
      clearInterval(beats);
      await runtime.close();
      await store.close();
      await flushLogs(log);
      port.postMessage({ type: 'closed' } satisfies FromThread);
    })();
  }
});

await Promise.all([detector, loadGuide()]);
consumer.start(runtime.process!);
beat();
port.postMessage({ type: 'ready' } satisfies FromThread);
