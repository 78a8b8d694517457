// One event thread of event-threads.ts: its own store connection, detector, OCR workers and LINE client,
// reading the same environment as the server. It answers events the server's thread has acknowledged
// and queued, and sends its metrics when asked.
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { loadConfig } from '../config.ts';
import { loadCopy } from '../conversation/copy.ts';
import { loadDetector } from '../detector/load.ts';
import type { LineEvent } from '../line/events.ts';
import { createLogger } from '../log/logger.ts';
import { loadGuide } from '../remediation/load.ts';
import { openStore } from '../store/open.ts';
import { createEventRuntime } from './events.ts';
import { createMetrics } from './metrics.ts';

export type ToThread =
  { type: 'event'; id: number; event: LineEvent } | { type: 'metrics'; id: number } | { type: 'close' };
export type FromThread =
  | { type: 'ready' }
  | { type: 'done'; id: number }
  | { type: 'metrics'; id: number; data: unknown }
  | { type: 'closed' };

// Below the server's thread in the CPU scheduler: when the cores are busy, acknowledging a webhook
// comes first. Linux keeps a nice value per thread; elsewhere it would apply to the whole process.
if (process.platform === 'linux') setPriority(10);

const port = parentPort!;
const config = loadConfig();
const log = createLogger(config.logLevel);
const store = openStore(config.storeUrl, log);
const metrics = createMetrics({ process: false });
const detector = loadDetector();
const runtime = createEventRuntime(
  config,
  { detector, store, logger: log, copy: loadCopy(), metrics },
  { warmOcr: true },
);
const running = new Set<Promise<void>>();

port.on('message', (m: ToThread) => {
  if (m.type === 'event') {
    // The processor never throws: it logs and apologises itself (src/conversation/process.ts).
    const done = runtime.process!(m.event).finally(() => {
      running.delete(done);
      port.postMessage({ type: 'done', id: m.id } satisfies FromThread);
    });
    running.add(done);
  } else if (m.type === 'metrics') {
    void metrics.registry
      .getMetricsAsJSON()
      .then((data) => port.postMessage({ type: 'metrics', id: m.id, data }));
  } else if (m.type === 'close') {
    void (async () => {
      await Promise.allSettled([...running]);
      await runtime.close();
      await store.close();
      port.postMessage({ type: 'closed' } satisfies FromThread);
    })();
  }
});

await Promise.all([detector, loadGuide()]);
port.postMessage({ type: 'ready' } satisfies FromThread);
