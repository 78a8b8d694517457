// Threads that answer acknowledged events (EVENT_THREADS), so the server's thread only reads webhooks,
// checks signatures, writes events to the durable backlog and answers LINE's 200 — the analysis, the
// store, the card and the reply call (BENCHMARKS.md: their CPU per event) never stand in front of the next
// acknowledgement. Each thread takes its events from the backlog itself (consumer.ts); the server only
// wakes them when it wrote some. A thread that dies is replaced, and its leases are given back at once so
// its events are answered by the others. A thread whose beats stop (its event loop blocked) or whose
// oldest event runs far too long is reported stuck (/readyz).
//
// One thread starts with the server; the others (up to `threads`) only while events queue up, and stop
// again after a quiet minute. Each thread holds a detector of its own (~90 MB: BENCHMARKS.md, load),
// so a server at rest keeps the memory of one, and a flood of events gets every core.
import type { EventLoopUtilization } from 'node:perf_hooks';
import type { Worker } from 'node:worker_threads';
import type { MetricsData } from './metrics.ts';
import { startWorker } from './thread-heap.ts';
import type { FromThread, ThreadData, ToThread } from './event-worker.ts';

export interface EventThreads {
  /** Every thread has loaded its rules, dictionary and store. */
  ready: Promise<void>;
  /** Events were written to the backlog; `waiting`: how many wait for a thread (to add one when many do). */
  wake(waiting?: number): void;
  /** Threads started and not stopped (spares included). */
  count(): number;
  /** Events running in the threads (at their last beat). */
  running(): number;
  /** Events the threads have finished and deleted from the backlog, since they started. */
  done(): number;
  /** Why a thread is not making progress, or null when all are. */
  stuck(now?: number): string | null;
  /** When the oldest event a thread took ahead and has not started arrived (at their last beat), or null. */
  oldestWaitingSince(): number | null;
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
  oldestWaitingSince: number | null;
  asks: Map<number, (data: MetricsData) => void>;
  closed: (() => void) | null;
  /** A spare thread told to finish and stop (quiet for long enough): settles once it has. */
  retiring: Promise<void> | null;
  /** Its event-loop use at the last look (retire check). */
  elu: EventLoopUtilization | null;
}

const WORKER = new URL('./event-worker.ts', import.meta.url);

/** No beat for this long: the thread's event loop is blocked. */
export const STUCK_BEAT_MS = 10_000;
/** Wake messages to the threads at most this often (events written in between wait this long at most). */
export const WAKE_EVERY_MS = 5;
/** One event running this long: something waits forever (every step has its own, shorter timeout). */
export const STUCK_EVENT_MS = 120_000;
/** A spare thread starts when more events than one thread holds have waited this long. */
export const GROW_AFTER_MS = 1000;
/** A spare thread stops once the threads together were busy less than half of one for this long. */
export const RETIRE_AFTER_MS = 60_000;
const RETIRE_CHECK_MS = 5000;

/**
 * Each thread's V8 heap. The young generation (16 MB semi-spaces; startWorker puts it in force under the
 * process's --max-semi-space-size=4) holds the objects of the ~40 events a thread has in flight, each
 * waiting ~30 ms for Redis or the reply call: with 4 MB, scavenges came every ~25 events and promoted
 * ~10 KB of each to the old generation, which then needed twice the major collections (BENCHMARKS.md, load).
 * The old generation's limit sets how far V8 lets it grow between collections: without one, on a
 * machine with many GB V8 lets it grow up to 4× what survived (a thread went from 29 MB at rest to
 * 94–114 MB in a 20 s flood); with 256 MB, about 1.3×, as V8 chooses by itself on a 1 GB Machine.
 * A thread holds ~40 MB (detector, rules, 32 events), far below it; one that ran out would be replaced.
 */
const THREAD_HEAP = { maxYoungGenerationSizeMb: 48, maxOldGenerationSizeMb: 256 };
/** Summed event-loop use of the threads (1 = one thread busy all the time) below which one is enough. */
const RETIRE_BELOW = 0.5;

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
  /** Told when a spare thread starts, with the threads now running. */
  onSpare?: (threads: number) => void;
  /** Told when a spare thread stopped after a quiet spell, with its lease owner (its leases are given back). */
  onRetired?: (owner: string) => void;
  /** Spare threads: start after this long with events waiting (GROW_AFTER_MS), stop after this long quiet (RETIRE_AFTER_MS); tests shorten them. */
  growAfterMs?: number;
  retireAfterMs?: number;
  retireCheckMs?: number;
}

/** What the threads' parts share: the options, the threads, the counts and the wake throttle. */
interface State {
  o: EventThreadOptions;
  threads: Thread[];
  spawned: number;
  done: number;
  nextId: number;
  closing: boolean;
  markReady: () => void;
  markFailed: (err: Error) => void;
  wakeTimer: NodeJS.Timeout | null;
  wakeWanted: boolean;
  /** Since when more events wait than one thread holds (null: not now). */
  waitingSince: number | null;
  /** When the threads were last busy enough to need a spare. */
  busyAt: number;
  retireTimer: NodeJS.Timeout | null;
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
    markReady,
    markFailed,
    wakeTimer: null,
    wakeWanted: false,
    waitingSince: null,
    busyAt: Date.now(),
    retireTimer: null,
  };
  s.threads = [spawn(s)];
  if (o.threads > 1)
    s.retireTimer = setInterval(() => retireIfQuiet(s), o.retireCheckMs ?? RETIRE_CHECK_MS).unref();
  ready.catch(() => undefined); // the caller awaits it; a rejection is not left unhandled here

  return {
    ready,
    wake: (waiting) => {
      if (waiting !== undefined) growIfWaiting(s, waiting);
      wake(s);
    },
    count: () => s.threads.filter((t) => !t.stopped).length,
    done: () => s.done,
    running: () => s.threads.reduce((n, t) => n + (t.stopped ? 0 : t.running), 0),
    stuck: (now = Date.now()) => stuck(s, now),
    oldestWaitingSince: () => {
      const at = s.threads.flatMap((t) =>
        t.stopped || t.oldestWaitingSince === null ? [] : [t.oldestWaitingSince],
      );
      return at.length ? Math.min(...at) : null;
    },
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
  const i = s.threads.indexOf(t);
  // A spare that failed or was retiring is not replaced: another starts when events wait again.
  if (i > 0 && (!t.loaded || t.retiring)) return void s.threads.splice(i, 1);
  if (!t.loaded) return s.markFailed(new Error(why)); // it could not even start: neither will another
  if (i >= 0) s.threads[i] = spawn(s);
}

function spawn(s: State): Thread {
  const o = s.o;
  const owner = `${o.ownerPrefix}${++s.spawned}/`;
  const t: Thread = {
    worker: startWorker(o.worker ?? WORKER, {
      resourceLimits: THREAD_HEAP,
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
    oldestWaitingSince: null,
    asks: new Map(),
    closed: null,
    retiring: null,
    elu: null,
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
    t.oldestWaitingSince = m.oldestWaitingSince;
  } else if (m.type === 'done') s.done += m.n;
  else if (m.type === 'ready') {
    t.loaded = true;
    t.beatAt = Date.now();
    t.elu = t.worker.performance.eventLoopUtilization();
    s.markReady(); // the first thread answers: spares come later
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
    if (t.loaded && !t.stopped && !t.retiring) t.worker.postMessage({ type: 'wake' } satisfies ToThread);
}

/**
 * More events wait than one thread holds at once (its concurrency), for GROW_AFTER_MS: one more thread,
 * up to `threads`, one at a time (the next only once this one answers). A short burst that the threads
 * clear within that time starts none.
 */
function growIfWaiting(s: State, waiting: number): void {
  const o = s.o;
  const now = Date.now();
  if (waiting <= o.concurrency) {
    s.waitingSince = null;
    return;
  }
  s.busyAt = now;
  s.waitingSince ??= now;
  if (now - s.waitingSince < (o.growAfterMs ?? GROW_AFTER_MS) || s.closing) return;
  const live = s.threads.filter((t) => !t.stopped && !t.retiring);
  if (live.length >= o.threads || live.some((t) => !t.loaded)) return;
  s.threads.push(spawn(s));
  s.waitingSince = null;
  o.onSpare?.(live.length + 1);
}

/**
 * Every few seconds: when the threads together used less than half of one thread's time (event-loop
 * utilisation, measured by Node per thread) for RETIRE_AFTER_MS, the newest spare finishes what it holds
 * and stops, and its memory is given back.
 */
function retireIfQuiet(s: State): void {
  const o = s.o;
  let used = 0;
  for (const t of s.threads) {
    if (!t.loaded || t.stopped || !t.elu) continue;
    const now = t.worker.performance.eventLoopUtilization();
    used += t.worker.performance.eventLoopUtilization(now, t.elu).utilization;
    t.elu = now;
  }
  const now = Date.now();
  if (used >= RETIRE_BELOW) s.busyAt = now;
  const spares = s.threads.slice(1).filter((t) => !t.stopped && !t.retiring);
  if (s.closing || spares.length === 0 || now - s.busyAt < (o.retireAfterMs ?? RETIRE_AFTER_MS)) return;
  s.busyAt = now; // one at a time
  const t = spares.at(-1)!;
  t.retiring = retire(s, t);
}

async function retire(s: State, t: Thread): Promise<void> {
  if (t.loaded) {
    // A thread that does not say "closed" in time is stopped anyway: what it held goes back (onRetired).
    await new Promise<void>((resolve) => {
      t.closed = resolve;
      setTimeout(resolve, RETIRE_DRAIN_MS + 5000).unref();
      t.worker.postMessage({ type: 'close', deadline: Date.now() + RETIRE_DRAIN_MS } satisfies ToThread);
    });
  }
  if (t.stopped) return; // it failed meanwhile: stop() dropped it and gave its events back
  t.stopped = true;
  await t.worker.terminate();
  const i = s.threads.indexOf(t);
  if (i > 0) s.threads.splice(i, 1);
  s.o.onRetired?.(t.owner);
}

/** A retiring thread answers the events it holds for at most this long; the rest go back to the backlog. */
const RETIRE_DRAIN_MS = 10_000;

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
  if (s.retireTimer) clearInterval(s.retireTimer);
  await Promise.all(
    s.threads.map(async (t) => {
      if (t.retiring) return t.retiring; // already finishing what it holds
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
