// Accepted webhook events handled in threads of their own (EVENT_THREADS), so the server's thread only
// reads webhooks, checks signatures, queues events and answers LINE's 200 — the analysis, the store, the
// card and the reply call (~3 ms of CPU per event) never stand in front of the next acknowledgement.
// The server's work queue (queue.ts) still decides what runs when, and keeps each chat's events in order.
// A thread that dies is replaced; the events it was answering are logged as failed by the queue.
import { Worker } from 'node:worker_threads';
import type { LineEvent } from '../line/events.ts';
import type { MetricsData } from './metrics.ts';
import type { FromThread, ToThread } from './event-worker.ts';

export interface EventThreads {
  /** Every thread has loaded its rules, dictionary and store. */
  ready: Promise<void>;
  /** Resolves when the event has been answered (or its failure logged) in a thread. */
  process(event: LineEvent): Promise<void>;
  /** Each thread's metrics, for the server's /metrics. */
  metrics(): Promise<MetricsData[]>;
  /** Lets every thread finish its events, close its store and OCR workers, then stops it. */
  close(): Promise<void>;
}

interface Thread {
  worker: Worker;
  loaded: boolean;
  stopped: boolean;
  events: Map<number, { resolve: () => void; reject: (err: Error) => void; eventId: string }>;
  asks: Map<number, (data: MetricsData) => void>;
  closed: (() => void) | null;
}

const WORKER = new URL('./event-worker.ts', import.meta.url);

export interface EventThreadOptions {
  threads: number;
  /** Told when a thread stops unexpectedly (it is replaced if it had started). */
  onThreadError: (err: Error) => void;
  /** The thread's module; tests give one that fails on cue. */
  worker?: URL;
}

export function startEventThreads(o: EventThreadOptions): EventThreads {
  let nextId = 1;
  let closing = false;
  let readyCount = 0;
  let markReady!: () => void;
  let markFailed!: (err: Error) => void;
  const ready = new Promise<void>((resolve, reject) => ((markReady = resolve), (markFailed = reject)));

  const stop = (t: Thread, why: string) => {
    if (t.stopped) return;
    t.stopped = true;
    const ids = [...t.events.values()].map((e) => e.eventId);
    for (const e of t.events.values())
      e.reject(new Error(`${why}; event ${e.eventId} may not have been answered`));
    t.events.clear();
    for (const ask of t.asks.values()) ask([]);
    t.asks.clear();
    void t.worker.terminate();
    t.closed?.();
    if (closing) return;
    o.onThreadError(new Error(`${why} (${ids.length} events in it)`));
    if (!t.loaded) return markFailed(new Error(why)); // it could not even start: neither will another
    const i = threads.indexOf(t);
    if (i >= 0) threads[i] = spawn();
  };

  const spawn = (): Thread => {
    const t: Thread = {
      // A young generation of 16 MB keeps the server reading screenshots under 600 MB (peaks 576–597 MB,
      // 619 MB with V8's default for a thread) for a few percent more garbage-collection time.
      worker: new Worker(o.worker ?? WORKER, { resourceLimits: { maxYoungGenerationSizeMb: 16 } }),
      loaded: false,
      stopped: false,
      events: new Map(),
      asks: new Map(),
      closed: null,
    };
    t.worker.on('message', (m: FromThread) => {
      if (m.type === 'ready') {
        t.loaded = true;
        if (++readyCount === threads.length) markReady();
      } else if (m.type === 'done') {
        const e = t.events.get(m.id);
        t.events.delete(m.id);
        e?.resolve();
      } else if (m.type === 'metrics') {
        t.asks.get(m.id)?.(m.data as MetricsData);
        t.asks.delete(m.id);
      } else if (m.type === 'closed') t.closed?.();
    });
    t.worker.on('error', (err) => stop(t, `event thread failed: ${err.message}`));
    t.worker.on('exit', (code) => stop(t, `event thread exited with code ${code}`));
    return t;
  };
  const threads: Thread[] = Array.from({ length: Math.max(1, o.threads) }, spawn);
  ready.catch(() => undefined); // the caller awaits it; a rejection is not left unhandled here

  return {
    ready,
    process(event) {
      let t: Thread | null = null;
      for (const u of threads) if (!u.stopped && (!t || u.events.size < t.events.size)) t = u;
      if (!t || closing) return Promise.reject(new Error('no event thread is running'));
      const thread = t;
      const id = nextId++;
      return new Promise<void>((resolve, reject) => {
        thread.worker.postMessage({ type: 'event', id, event } satisfies ToThread);
        thread.events.set(id, { resolve, reject, eventId: event.webhookEventId });
      });
    },
    metrics() {
      return Promise.all(
        threads
          .filter((t) => t.loaded && !t.stopped)
          .map(
            (t) =>
              new Promise<MetricsData>((resolve) => {
                const id = nextId++;
                t.asks.set(id, resolve);
                t.worker.postMessage({ type: 'metrics', id } satisfies ToThread);
              }),
          ),
      );
    },
    async close() {
      closing = true;
      await Promise.all(
        threads.map(async (t) => {
          if (!t.stopped && t.loaded) {
            await new Promise<void>((resolve) => {
              t.closed = resolve;
              t.worker.postMessage({ type: 'close' } satisfies ToThread);
            });
          }
          t.stopped = true;
          await t.worker.terminate();
        }),
      );
    },
  };
}
