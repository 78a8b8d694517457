// Takes acknowledged events from the durable backlog (backlog.ts) and answers them: in each event thread
// (event-worker.ts), or in the server's own thread without them. At most `concurrency` at once; a chat's
// events one at a time, in order (the store hands out only the next event of each chat). Each taken
// event is leased to this consumer and the lease renewed while it runs: if the process dies, the lease
// runs out and another consumer (after a restart, or another machine) takes the event over.
//
// Exactly one answer per event, also across a crash: the processor does not claim the event again (it
// was claimed when written), the store notes "sending" before the reply, and an attempt after one that
// got that far may still reply (a reply token is single-use: LINE refuses a second reply) but never
// falls back to push, which could answer twice. A push uses a retry key derived from the event id, so
// LINE itself drops a second push of the same event (src/line/sender.ts).
import type { EventProcessor } from '../conversation/process.ts';
import type { Delivery, Sender } from '../line/port.ts';
import type { LineEvent } from '../line/events.ts';
import type { Logger } from '../log/logger.ts';
import type { Backlog, BacklogEntry, Finished } from '../store/store.ts';
import { unseal, type SealKey } from './backlog.ts';

/** A dead consumer's events are taken over after this long; a live one renews every third of it. */
export const LEASE_MS = 30_000;
/**
 * Idle consumers look for events freed by others (released, or leases run out) this often; events
 * written here wake them at once. Every look is a store command (billed per command on Upstash).
 */
export const POLL_MS = 5000;

export interface ConsumerOptions {
  backlog: Backlog;
  key: SealKey;
  /** Unique to this consumer: whose lease a row is. */
  owner: string;
  concurrency: number;
  log: Logger;
  leaseMs?: number;
  pollMs?: number;
  /** Seconds an event waited in the backlog before it was taken (metrics). */
  onTaken?: (waitedSeconds: number) => void;
  /** An event was answered (or given up) and deleted from the backlog (with the next take). */
  onDone?: () => void;
  /** Events started per turn of the event loop (default 1; see scheduleStart). */
  startsPerTurn?: number;
}

export interface Consumer {
  /** Given to the event processor: events of this backlog were claimed when they were written. */
  claimed(event: LineEvent): boolean;
  /** Wraps the sender: notes "sending" first, keeps a resumed event from pushing, records the outcome. */
  wrapSender(sender: Sender): Sender;
  /** Starts taking events. */
  start(process: EventProcessor): void;
  /** New events were written: look now rather than at the next poll. */
  wake(): void;
  readonly running: number;
  /** When the longest-running event was taken (ms), or null: a stuck one shows here. */
  oldestRunningSince(): number | null;
  /** When the oldest event taken ahead and not started yet arrived (ms), or null: it still waits. */
  oldestWaitingSince(): number | null;
  /**
   * Goes on answering until nothing is left to take or `deadline` (ms), then stops taking and waits for
   * the events running, until the deadline. What is left stays in the backlog for the next start.
   */
  stop(deadline: number): Promise<{ unfinished: number }>;
}

interface Running {
  entry: BacklogEntry;
  since: number;
  /** The "sending" note, once started: every reply waits for it. */
  marking: Promise<void> | null;
  delivery: Delivery | null;
}

/**
 * A busy consumer takes new events in batches of this share of its concurrency (at least one), and
 * completes the events it finished in the same round trip: one store call per batch rather than two per
 * event (a take and a delete). It also holds one batch more than it runs, taken ahead: a slot that
 * frees starts the next event at once instead of after the next take (waiting for a batch of free slots
 * and a round trip left a quarter of the slots empty under load while the backlog was full).
 */
const BATCH_SHARE = 4;
/** Finished events wait at most this long for the next batch before they are deleted on their own. */
export const COMPLETE_WAIT_MS = 10;

/** What a consumer's parts share: its options, the events in hand, and where its take loop stands. */
interface State {
  o: ConsumerOptions;
  leaseMs: number;
  batch: number;
  running: Map<string, Running>;
  starts: BacklogEntry[];
  /** Answered or given up, not yet deleted from the backlog: they go with the next take. */
  finished: Finished[];
  process: EventProcessor | null;
  stopping: boolean;
  taking: boolean;
  again: boolean;
  lastTakeEmpty: boolean;
  failing: boolean;
  startScheduled: boolean;
  flushTimer: NodeJS.Timeout | null;
  timers: NodeJS.Timeout[];
}

export function createConsumer(o: ConsumerOptions): Consumer {
  const s: State = {
    o,
    leaseMs: o.leaseMs ?? LEASE_MS,
    batch: Math.max(1, Math.floor(o.concurrency / BATCH_SHARE)),
    running: new Map(),
    starts: [],
    finished: [],
    process: null,
    stopping: false,
    taking: false,
    again: false,
    lastTakeEmpty: false,
    failing: false,
    startScheduled: false,
    flushTimer: null,
    timers: [],
  };
  return {
    claimed: (event) => s.running.has(event.webhookEventId),
    wrapSender: (sender) => wrapSender(s, sender),
    start: (p) => start(s, p),
    wake: () => void pump(s),
    get running() {
      return s.running.size + s.starts.length + s.finished.length;
    },
    oldestRunningSince() {
      let oldest: number | null = null;
      for (const r of s.running.values()) if (oldest === null || r.since < oldest) oldest = r.since;
      return oldest;
    },
    oldestWaitingSince: () => (s.starts.length ? Math.min(...s.starts.map((e) => e.at)) : null),
    stop: (deadline) => stop(s, deadline),
  };
}

/** Takes free events (in batches while busy) and deletes the finished ones in the same call. */
async function pump(s: State, force = false): Promise<void> {
  const o = s.o;
  if (!s.process) return;
  if (s.taking) {
    s.again = true;
    return;
  }
  s.taking = true;
  try {
    do {
      s.again = false;
      const free = s.stopping ? 0 : o.concurrency + s.batch - s.running.size - s.starts.length;
      const idle = s.running.size + s.starts.length === 0;
      // While busy, wait until a batch is free; finished events go at the latest COMPLETE_WAIT_MS later.
      if (!force && !idle && free < s.batch) {
        if (s.finished.length && !s.flushTimer)
          s.flushTimer = setTimeout(() => ((s.flushTimer = null), void pump(s, true)), COMPLETE_WAIT_MS);
        break;
      }
      force = false;
      if (free <= 0 && s.finished.length === 0) break;
      if (s.flushTimer) clearTimeout(s.flushTimer);
      s.flushTimer = null;
      const entries = await takeAndComplete(s, free);
      if (free <= 0) continue;
      s.lastTakeEmpty = entries.length === 0;
      // An event of ours whose lease ran out while this thread was blocked comes back: it is
      // still running here, so it is not started twice.
      for (const e of entries)
        if (!s.running.has(e.id) && !s.starts.some((x) => x.id === e.id)) s.starts.push(e);
      scheduleStart(s);
      if (entries.length === free) s.again = true;
    } while (s.again);
    if (s.failing) {
      s.failing = false;
      o.log.info('event backlog: reachable again');
    }
  } catch (err) {
    // Once per outage: an idle consumer tries at every poll.
    if (!s.failing) o.log.error({ err }, 'event backlog: take failed; retrying');
    s.failing = true;
  } finally {
    s.taking = false;
  }
}

/** One store call: takes up to `free` events and deletes the finished ones (kept for the next take if it fails). */
async function takeAndComplete(s: State, free: number): Promise<BacklogEntry[]> {
  const o = s.o;
  const done = s.finished.splice(0);
  let entries: BacklogEntry[];
  try {
    entries = await o.backlog.take(o.owner, Math.max(0, free), s.leaseMs, done);
  } catch (err) {
    s.finished.unshift(...done); // deleted with the next take
    throw err;
  }
  for (let i = 0; i < done.length; i++) o.onDone?.();
  return entries;
}

// Without event threads this is the server's thread: one event starts per turn of the event loop, and
// webhooks are read and acknowledged in between (src/conversation/queue.ts does the same). An event
// thread reads no webhooks and starts what it took at once (startsPerTurn): one start per turn capped
// how fast it could start what it took (BENCHMARKS.md, load and LINE webhook).
function scheduleStart(s: State): void {
  const room = () => s.starts.length > 0 && s.running.size < s.o.concurrency;
  if (s.startScheduled || !room()) return;
  s.startScheduled = true;
  setImmediate(() => {
    s.startScheduled = false;
    for (let n = s.o.startsPerTurn ?? 1; n > 0 && room(); n--) void run(s, s.starts.shift()!);
    scheduleStart(s);
  });
}

/** Answers one taken event, then notes it finished for the next take to delete. */
async function run(s: State, entry: BacklogEntry): Promise<void> {
  const o = s.o;
  const r: Running = { entry, since: Date.now(), marking: null, delivery: null };
  s.running.set(entry.id, r);
  o.onTaken?.(Math.max(0, Date.now() - entry.at) / 1000);
  let answered = true;
  try {
    const event = unseal(o.key, entry);
    if (entry.attempts > 1)
      o.log.warn({ eventId: entry.id, attempt: entry.attempts }, 'event resumed from the backlog');
    await s.process!(event);
    answered = r.delivery !== 'failed';
  } catch (err) {
    // Sealed with another key (LINE_CHANNEL_SECRET changed) or damaged: nothing can be answered.
    o.log.error({ err, eventId: entry.id }, 'event in the backlog cannot be read; dropped');
    answered = false;
  }
  // Deleted with the next take (pump); should the process die before, the row stays leased and
  // another attempt finds "sending" and will not push.
  s.finished.push({ id: entry.id, answered });
  s.running.delete(entry.id);
  scheduleStart(s); // the next one taken ahead, if any
  void pump(s);
}

function wrapSender(s: State, sender: Sender): Sender {
  const o = s.o;
  // Once per event; a failure is logged, not thrown: the answer matters more than the note.
  const mark = (r: Running) =>
    (r.marking ??= o.backlog.markSending(r.entry.id, o.owner).catch((err: unknown) => {
      o.log.warn({ err, eventId: r.entry.id }, 'event backlog: could not note the reply');
    }));
  return {
    showLoading: (userId) => sender.showLoading(userId),
    async prepare(target) {
      const r = s.running.get(target.eventId);
      if (r) await mark(r);
    },
    async reply(target, messages) {
      const r = s.running.get(target.eventId);
      if (!r) return sender.reply(target, messages);
      await mark(r);
      // An earlier attempt that got this far may have answered: a reply is safe (single-use
      // token), a push is not.
      const delivery = await sender.reply({ ...target, pushAllowed: !r.entry.sending }, messages);
      r.delivery = delivery;
      return delivery;
    },
  };
}

/** Starts the lease renewal and the poll, and takes the first events. */
function start(s: State, p: EventProcessor): void {
  const o = s.o;
  s.process = p;
  const renew = () => {
    if (s.running.size === 0) return;
    o.backlog
      .renew(o.owner, s.leaseMs)
      .catch((err: unknown) => o.log.error({ err }, 'event backlog: could not renew leases'));
  };
  s.timers = [
    setInterval(renew, s.leaseMs / 3).unref(),
    setInterval(() => void pump(s), o.pollMs ?? POLL_MS).unref(),
  ];
  void pump(s);
}

async function stop(s: State, deadline: number): Promise<{ unfinished: number }> {
  // Checked on a timer, not on every change: a loop of promise callbacks would starve the I/O
  // that the running events wait for.
  const until = (cond: () => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (cond() || Date.now() >= deadline) return resolve();
        void pump(s);
        setTimeout(check, 20);
      };
      check();
    });
  if (s.process)
    await until(
      () =>
        s.running.size === 0 &&
        s.starts.length === 0 &&
        s.finished.length === 0 &&
        s.lastTakeEmpty &&
        !s.taking,
    );
  s.stopping = true;
  // Taken ahead but not started: given back, so another consumer (or the next start) takes them now.
  const notStarted = s.starts.splice(0).map((e) => e.id);
  await s.o.backlog.giveBack(s.o.owner, notStarted).catch((err: unknown) => {
    // Their leases run out instead (LEASE_MS) and they are taken then.
    s.o.log.warn({ err, events: notStarted.length }, 'event backlog: could not give back events not started');
  });
  // pump() then only deletes what finished.
  await until(() => s.running.size === 0 && s.finished.length === 0 && !s.taking);
  for (const t of s.timers) clearInterval(t);
  if (s.flushTimer) clearTimeout(s.flushTimer);
  const unfinished = s.running.size;
  if (unfinished)
    s.o.log.warn({ unfinished }, 'stopping with events still running; the next start answers them');
  return { unfinished };
}
