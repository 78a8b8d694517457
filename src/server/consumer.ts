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
  /**
   * Goes on answering until nothing is left to take or `deadline` (ms), then stops taking and waits for
   * the events running, until the deadline. What is left stays in the backlog for the next start.
   */
  stop(deadline: number): Promise<{ unfinished: number }>;
}

interface Running {
  entry: BacklogEntry;
  since: number;
  marked: boolean;
  delivery: Delivery | null;
}

/**
 * A busy consumer takes new events in batches of this share of its concurrency (at least one), and
 * completes the events it finished in the same round trip: one store call per batch rather than two per
 * event (a take and a delete).
 */
const BATCH_SHARE = 4;
/** Finished events wait at most this long for the next batch before they are deleted on their own. */
export const COMPLETE_WAIT_MS = 10;

export function createConsumer(o: ConsumerOptions): Consumer {
  const leaseMs = o.leaseMs ?? LEASE_MS;
  const batch = Math.max(1, Math.floor(o.concurrency / BATCH_SHARE));
  const running = new Map<string, Running>();
  const starts: BacklogEntry[] = [];
  /** Answered or given up, not yet deleted from the backlog: they go with the next take. */
  const finished: Finished[] = [];
  let process: EventProcessor | null = null;
  let stopping = false;
  let taking = false;
  let again = false;
  let lastTakeEmpty = false;
  let failing = false;
  let startScheduled = false;
  let flushTimer: NodeJS.Timeout | null = null;
  let timers: NodeJS.Timeout[] = [];

  const pump = async (force = false): Promise<void> => {
    if (!process) return;
    if (taking) {
      again = true;
      return;
    }
    taking = true;
    try {
      do {
        again = false;
        const free = stopping ? 0 : o.concurrency - running.size - starts.length;
        const idle = running.size + starts.length === 0;
        // While busy, wait until a batch is free; finished events go at the latest COMPLETE_WAIT_MS later.
        if (!force && !idle && free < batch) {
          if (finished.length && !flushTimer)
            flushTimer = setTimeout(() => ((flushTimer = null), void pump(true)), COMPLETE_WAIT_MS);
          break;
        }
        force = false;
        if (free <= 0 && finished.length === 0) break;
        if (flushTimer) clearTimeout(flushTimer);
        flushTimer = null;
        const done = finished.splice(0);
        let entries: BacklogEntry[];
        try {
          entries = await o.backlog.take(o.owner, Math.max(0, free), leaseMs, done);
        } catch (err) {
          finished.unshift(...done); // deleted with the next take
          throw err;
        }
        for (let i = 0; i < done.length; i++) o.onDone?.();
        if (free <= 0) continue;
        lastTakeEmpty = entries.length === 0;
        // An event of ours whose lease ran out while this thread was blocked comes back: it is
        // still running here, so it is not started twice.
        for (const e of entries) if (!running.has(e.id) && !starts.some((x) => x.id === e.id)) starts.push(e);
        scheduleStart();
        if (entries.length === free) again = true;
      } while (again);
      if (failing) {
        failing = false;
        o.log.info('event backlog: reachable again');
      }
    } catch (err) {
      // Once per outage: an idle consumer tries at every poll.
      if (!failing) o.log.error({ err }, 'event backlog: take failed; retrying');
      failing = true;
    } finally {
      taking = false;
    }
  };

  // One event starts per turn of the event loop: without event threads this is the server's thread,
  // and webhooks are read and acknowledged in between (src/conversation/queue.ts does the same).
  const scheduleStart = () => {
    if (startScheduled || starts.length === 0) return;
    startScheduled = true;
    setImmediate(() => {
      startScheduled = false;
      const entry = starts.shift();
      if (entry) void run(entry);
      scheduleStart();
    });
  };

  const run = async (entry: BacklogEntry) => {
    const r: Running = { entry, since: Date.now(), marked: false, delivery: null };
    running.set(entry.id, r);
    o.onTaken?.(Math.max(0, Date.now() - entry.at) / 1000);
    let answered = true;
    try {
      const event = unseal(o.key, entry);
      if (entry.attempts > 1)
        o.log.warn({ eventId: entry.id, attempt: entry.attempts }, 'event resumed from the backlog');
      await process!(event);
      answered = r.delivery !== 'failed';
    } catch (err) {
      // Sealed with another key (LINE_CHANNEL_SECRET changed) or damaged: nothing can be answered.
      o.log.error({ err, eventId: entry.id }, 'event in the backlog cannot be read; dropped');
      answered = false;
    }
    // Deleted with the next take (pump); should the process die before, the row stays leased and
    // another attempt finds "sending" and will not push.
    finished.push({ id: entry.id, answered });
    running.delete(entry.id);
    void pump();
  };

  return {
    claimed: (event) => running.has(event.webhookEventId),
    wrapSender(sender) {
      return {
        showLoading: (userId) => sender.showLoading(userId),
        async reply(target, messages) {
          const r = running.get(target.eventId);
          if (!r) return sender.reply(target, messages);
          if (!r.marked) {
            r.marked = true;
            try {
              await o.backlog.markSending(r.entry.id, o.owner);
            } catch (err) {
              o.log.warn({ err, eventId: r.entry.id }, 'event backlog: could not note the reply');
            }
          }
          // An earlier attempt that got this far may have answered: a reply is safe (single-use
          // token), a push is not.
          const delivery = await sender.reply({ ...target, pushAllowed: !r.entry.sending }, messages);
          r.delivery = delivery;
          return delivery;
        },
      };
    },
    start(p) {
      process = p;
      const renew = () => {
        if (running.size === 0) return;
        o.backlog
          .renew(o.owner, leaseMs)
          .catch((err: unknown) => o.log.error({ err }, 'event backlog: could not renew leases'));
      };
      timers = [
        setInterval(renew, leaseMs / 3).unref(),
        setInterval(() => void pump(), o.pollMs ?? POLL_MS).unref(),
      ];
      void pump();
    },
    wake: () => void pump(),
    get running() {
      return running.size + starts.length + finished.length;
    },
    oldestRunningSince() {
      let oldest: number | null = null;
      for (const r of running.values()) if (oldest === null || r.since < oldest) oldest = r.since;
      return oldest;
    },
    async stop(deadline) {
      // Checked on a timer, not on every change: a loop of promise callbacks would starve the I/O
      // that the running events wait for.
      const until = (cond: () => boolean) =>
        new Promise<void>((resolve) => {
          const check = () => {
            if (cond() || Date.now() >= deadline) return resolve();
            void pump();
            setTimeout(check, 20);
          };
          check();
        });
      if (process)
        await until(
          () =>
            running.size === 0 && starts.length === 0 && finished.length === 0 && lastTakeEmpty && !taking,
        );
      stopping = true;
      starts.length = 0; // taken but not started: their leases run out and the next start takes them
      // pump() then only deletes what finished.
      await until(() => running.size === 0 && finished.length === 0 && !taking);
      for (const t of timers) clearInterval(t);
      if (flushTimer) clearTimeout(flushTimer);
      const unfinished = running.size;
      if (unfinished)
        o.log.warn({ unfinished }, 'stopping with events still running; the next start answers them');
      return { unfinished };
    },
  };
}
