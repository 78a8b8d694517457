// Threads that answer acknowledged events (EVENT_THREADS), so the server's thread only reads webhooks,
// checks signatures, writes events to the durable backlog and answers LINE's 200 — the analysis, the
// store, the card and the reply call (BENCHMARKS.md: their CPU per event) never stand in front of the next
// acknowledgement. Each thread takes its events from the backlog itself (consumer.ts); the server only
// wakes them when it wrote some. A thread that dies is replaced, and its leases are given back at once so
// its events are answered by the others. A thread whose beats stop (its event loop blocked) or whose
// oldest event runs far too long is reported stuck (/readyz).
import { Worker } from 'node:worker_threads';
import type { MetricsData } from './metrics.ts';
import type { FromThread, ThreadData, ToThread } from './event-worker.ts';

export interface EventThreads {
  /** Every thread has loaded its rules, dictionary and store. */
  ready: Promise<void>;
  /** Events were written to the backlog. */
  wake(): void;
  /** Events running in the threads (at their last beat). */
  running(): number;
  /** Events the threads have finished and deleted from the backlog, since they started. */
  done(): number;
  /** Why a thread is not making progress, or null when all are. */
  stuck(now?: number): string | null;
  /** Each thread's metrics, for the server's /metrics. */
  metrics(): Promise<MetricsData[]>;
  /** Lets every thread answer what it can until `deadline` (ms), close its store and OCR workers, then stops it. */
  close(deadline: number): Promise<void>;
}

interface Thread {
  worker: Worker;
  owner: string;
  loaded: boolean;
  stopped: boolean;
  beatAt: number;
  running: number;
  oldestRunningSince: number | null;
  asks: Map<number, (data: MetricsData) => void>;
  closed: (() => void) | null;
}

const WORKER = new URL('./event-worker.ts', import.meta.url);

/** No beat for this long: the thread's event loop is blocked. */
export const STUCK_BEAT_MS = 10_000;
/** Wake messages to the threads at most this often (events written in between wait this long at most). */
export const WAKE_EVERY_MS = 5;
/** One event running this long: something waits forever (every step has its own, shorter timeout). */
export const STUCK_EVENT_MS = 120_000;

export interface EventThreadOptions {
  threads: number;
  /** Events each thread answers at once. */
  concurrency: number;
  /** Lease owners of this run start with it; each thread adds its number and a slash. */
  ownerPrefix: string;
  /** Told when a thread stops unexpectedly (it is replaced if it had started), with its lease owner. */
  onThreadError: (err: Error, owner: string) => void;
  leaseMs?: number;
  /** No beat for this long: stuck (STUCK_BEAT_MS; tests shorten it). */
  stuckBeatMs?: number;
  /** The thread's module; tests give one that fails on cue. */
  worker?: URL;
}

export function startEventThreads(o: EventThreadOptions): EventThreads {
  let spawned = 0;
  let done = 0;
  let nextId = 1;
  let closing = false;
  let readyCount = 0;
  let markReady!: () => void;
  let markFailed!: (err: Error) => void;
  const ready = new Promise<void>((resolve, reject) => ((markReady = resolve), (markFailed = reject)));

  const stop = (t: Thread, why: string) => {
    if (t.stopped) return;
    t.stopped = true;
    for (const ask of t.asks.values()) ask([]);
    t.asks.clear();
    void t.worker.terminate();
    t.closed?.();
    if (closing) return;
    o.onThreadError(new Error(`${why} (${t.running} events in it; the others take them over)`), t.owner);
    if (!t.loaded) return markFailed(new Error(why)); // it could not even start: neither will another
    const i = threads.indexOf(t);
    if (i >= 0) threads[i] = spawn();
  };

  const spawn = (): Thread => {
    const owner = `${o.ownerPrefix}${++spawned}/`;
    const t: Thread = {
      // A small young generation lowers the peak memory of a server reading screenshots, for a few
      // percent more garbage-collection time (BENCHMARKS.md, "Screenshots (OCR)").
      worker: new Worker(o.worker ?? WORKER, {
        resourceLimits: { maxYoungGenerationSizeMb: 16 },
        workerData: {
          owner,
          concurrency: o.concurrency,
          leaseMs: o.leaseMs,
          threads: Math.max(1, o.threads),
        } satisfies ThreadData,
      }),
      owner,
      loaded: false,
      stopped: false,
      beatAt: Date.now(),
      running: 0,
      oldestRunningSince: null,
      asks: new Map(),
      closed: null,
    };
    t.worker.on('message', (m: FromThread) => {
      if (m.type === 'beat') {
        t.beatAt = Date.now();
        t.running = m.running;
        t.oldestRunningSince = m.oldestRunningSince;
      } else if (m.type === 'done') done += m.n;
      else if (m.type === 'ready') {
        t.loaded = true;
        t.beatAt = Date.now();
        if (++readyCount === threads.length) markReady();
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

  // At most one wake message every WAKE_EVERY_MS: at a thousand webhooks a second, a message per webhook
  // wakes threads that are busy anyway. The first wake after a quiet spell goes at once.
  let wakeTimer: NodeJS.Timeout | null = null;
  let wakeWanted = false;
  const postWake = () => {
    for (const t of threads)
      if (t.loaded && !t.stopped) t.worker.postMessage({ type: 'wake' } satisfies ToThread);
  };
  const wakeLater = () => {
    wakeTimer = null;
    if (!wakeWanted || closing) return;
    wakeWanted = false;
    postWake();
    wakeTimer = setTimeout(wakeLater, WAKE_EVERY_MS).unref();
  };

  return {
    ready,
    wake() {
      if (wakeTimer) {
        wakeWanted = true;
        return;
      }
      postWake();
      wakeTimer = setTimeout(wakeLater, WAKE_EVERY_MS).unref();
    },
    done: () => done,
    running: () => threads.reduce((n, t) => n + (t.stopped ? 0 : t.running), 0),
    stuck(now = Date.now()) {
      for (const [i, t] of threads.entries()) {
        if (!t.loaded || t.stopped) continue;
        if (now - t.beatAt > (o.stuckBeatMs ?? STUCK_BEAT_MS))
          return `event thread ${i + 1} has not answered for ${now - t.beatAt} ms`;
        if (t.oldestRunningSince !== null && now - t.oldestRunningSince > STUCK_EVENT_MS)
          return `event thread ${i + 1} has run one event for ${now - t.oldestRunningSince} ms`;
      }
      return null;
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
    async close(deadline) {
      closing = true;
      if (wakeTimer) clearTimeout(wakeTimer);
      await Promise.all(
        threads.map(async (t) => {
          if (!t.stopped && t.loaded) {
            await new Promise<void>((resolve) => {
              t.closed = resolve;
              t.worker.postMessage({ type: 'close', deadline } satisfies ToThread);
            });
          }
          t.stopped = true;
          await t.worker.terminate();
        }),
      );
    },
  };
}
