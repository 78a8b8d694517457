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

/** What the threads' parts share: the options, the threads, the counts and the wake throttle. */
interface State {
  o: EventThreadOptions;
  threads: Thread[];
  spawned: number;
  done: number;
  nextId: number;
  closing: boolean;
  readyCount: number;
  markReady: () => void;
  markFailed: (err: Error) => void;
  wakeTimer: NodeJS.Timeout | null;
  wakeWanted: boolean;
}

export function startEventThreads(o: EventThreadOptions): EventThreads {
  let markReady!: () => void;
  let markFailed!: (err: Error) => void;
  const ready = new Promise<void>((resolve, reject) => ((markReady = resolve), (markFailed = reject)));
  const s: State = {
    o,
    threads: [],
    spawned: 0,
    done: 0,
    nextId: 1,
    closing: false,
    readyCount: 0,
    markReady,
    markFailed,
    wakeTimer: null,
    wakeWanted: false,
  };
  s.threads = Array.from({ length: Math.max(1, o.threads) }, () => spawn(s));
  ready.catch(() => undefined); // the caller awaits it; a rejection is not left unhandled here

  return {
    ready,
    wake: () => wake(s),
    done: () => s.done,
    running: () => s.threads.reduce((n, t) => n + (t.stopped ? 0 : t.running), 0),
    stuck: (now = Date.now()) => stuck(s, now),
    metrics: () => metrics(s),
    close: (deadline) => close(s, deadline),
  };
}

/** A thread stopped (failed, exited, or closed): answers its pending asks and replaces it if it had started. */
function stop(s: State, t: Thread, why: string): void {
  const o = s.o;
  if (t.stopped) return;
  t.stopped = true;
  for (const ask of t.asks.values()) ask([]);
  t.asks.clear();
  void t.worker.terminate();
  t.closed?.();
  if (s.closing) return;
  o.onThreadError(new Error(`${why} (${t.running} events in it; the others take them over)`), t.owner);
  if (!t.loaded) return s.markFailed(new Error(why)); // it could not even start: neither will another
  const i = s.threads.indexOf(t);
  if (i >= 0) s.threads[i] = spawn(s);
}

function spawn(s: State): Thread {
  const o = s.o;
  const owner = `${o.ownerPrefix}${++s.spawned}/`;
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
  t.worker.on('message', (m: FromThread) => heard(s, t, m));
  t.worker.on('error', (err) => stop(s, t, `event thread failed: ${err.message}`));
  t.worker.on('exit', (code) => stop(s, t, `event thread exited with code ${code}`));
  return t;
}

/** A message from a thread: its beat, events done, ready, a metrics answer, or closed. */
function heard(s: State, t: Thread, m: FromThread): void {
  if (m.type === 'beat') {
    t.beatAt = Date.now();
    t.running = m.running;
    t.oldestRunningSince = m.oldestRunningSince;
  } else if (m.type === 'done') s.done += m.n;
  else if (m.type === 'ready') {
    t.loaded = true;
    t.beatAt = Date.now();
    if (++s.readyCount === s.threads.length) s.markReady();
  } else if (m.type === 'metrics') {
    t.asks.get(m.id)?.(m.data as MetricsData);
    t.asks.delete(m.id);
  } else if (m.type === 'closed') t.closed?.();
}

// At most one wake message every WAKE_EVERY_MS: at a thousand webhooks a second, a message per webhook
// wakes threads that are busy anyway. The first wake after a quiet spell goes at once.
function wake(s: State): void {
  if (s.wakeTimer) {
    s.wakeWanted = true;
    return;
  }
  postWake(s);
  s.wakeTimer = setTimeout(() => wakeLater(s), WAKE_EVERY_MS).unref();
}

function postWake(s: State): void {
  for (const t of s.threads)
    if (t.loaded && !t.stopped) t.worker.postMessage({ type: 'wake' } satisfies ToThread);
}

function wakeLater(s: State): void {
  s.wakeTimer = null;
  if (!s.wakeWanted || s.closing) return;
  s.wakeWanted = false;
  postWake(s);
  s.wakeTimer = setTimeout(() => wakeLater(s), WAKE_EVERY_MS).unref();
}

function stuck(s: State, now: number): string | null {
  const o = s.o;
  for (const [i, t] of s.threads.entries()) {
    if (!t.loaded || t.stopped) continue;
    if (now - t.beatAt > (o.stuckBeatMs ?? STUCK_BEAT_MS))
      return `event thread ${i + 1} has not answered for ${now - t.beatAt} ms`;
    if (t.oldestRunningSince !== null && now - t.oldestRunningSince > STUCK_EVENT_MS)
      return `event thread ${i + 1} has run one event for ${now - t.oldestRunningSince} ms`;
  }
  return null;
}

function metrics(s: State): Promise<MetricsData[]> {
  return Promise.all(
    s.threads
      .filter((t) => t.loaded && !t.stopped)
      .map(
        (t) =>
          new Promise<MetricsData>((resolve) => {
            const id = s.nextId++;
            t.asks.set(id, resolve);
            t.worker.postMessage({ type: 'metrics', id } satisfies ToThread);
          }),
      ),
  );
}

async function close(s: State, deadline: number): Promise<void> {
  s.closing = true;
  if (s.wakeTimer) clearTimeout(s.wakeTimer);
  await Promise.all(
    s.threads.map(async (t) => {
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
}
