// Taking webhook events in: every acknowledged event is written to the backlog first (backlog.ts),
// sealed, then taken from there by the event threads or by a consumer in this thread (runtime.ts). A
// full backlog is refused before anything is written, so LINE redelivers rather than we answer late.
import type { LineEvent } from '../line/events.ts';
import type { BacklogStats } from '../store/store.ts';
import { DEDUPE_MS, seal } from './backlog.ts';
import type { Runtime } from './runtime.ts';

export interface Intake {
  /** Writes the events to the backlog (one transaction or script); false: refused, nothing written. */
  accept(events: LineEvent[]): Promise<boolean>;
  /** The backlog is full: refuse before reading the request. */
  full(): boolean;
  /** Reads the store's count now (it proves the store answers). */
  countBacklog(): Promise<BacklogStats>;
  stop(): void;
}

export function createIntake(runtime: Runtime, maxPending: number): Intake {
  const { store, logger: log } = runtime.deps;
  const { metrics, sealKey } = runtime;
  // Events in the backlog, for the full check on every request: the store's count (read every 5 s and
  // at each /readyz) plus what this server wrote since, less what its consumers finished since.
  let enqueued = 0;
  let counted = { count: 0, enqueued: 0, done: 0 };
  const countBacklog = async () => {
    const at = { enqueued, done: runtime.done() };
    const s = await store.backlog.stats();
    counted = { count: s.count, ...at };
    return s;
  };
  const pending = () =>
    Math.max(0, counted.count + enqueued - counted.enqueued - (runtime.done() - counted.done));
  const counting = setInterval(
    () => void countBacklog().catch((err: unknown) => log.warn({ err }, 'event backlog: count failed')),
    5000,
  ).unref();
  void countBacklog().catch(() => undefined);
  // A reply token lives about a minute: beyond ~2,000 waiting events (5–15 s of work on one machine)
  // answering late would fail anyway, so a full backlog asks LINE to redeliver (503) instead.
  metrics.watchWebhookQueue(() => {
    const r = runtime.running();
    return { waiting: Math.max(0, pending() - r), running: r };
  });

  return {
    // One transaction (SQLite) or one script (Redis) for the whole body, before the 200: what LINE is
    // told was received is on disk. Duplicates (same webhookEventId within a day) are not written again.
    async accept(events) {
      if (!sealKey || pending() + events.length > maxPending) return false;
      const fresh = await store.backlog.enqueue(
        events.map((e) => seal(sealKey, e)),
        DEDUPE_MS,
      );
      fresh.forEach((isNew, i) => {
        const event = events[i]!;
        if (isNew) {
          enqueued++;
          metrics.accepted(event);
        } else {
          metrics.duplicate();
          log.info({ eventId: event.webhookEventId }, 'duplicate event skipped');
        }
      });
      if (fresh.some(Boolean)) runtime.wake(Math.max(0, pending() - runtime.running()));
      return true;
    },
    full: () => pending() >= maxPending,
    countBacklog,
    stop: () => clearInterval(counting),
  };
}
