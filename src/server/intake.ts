// Taking webhook events in: every acknowledged event is written to the backlog first (backlog.ts),
// sealed, then taken from there by the event threads or by a consumer in this thread (runtime.ts). A
// full backlog is refused before anything is written, so LINE redelivers rather than we answer late.
import type { LineEvent } from '../line/events.ts';
import type { BacklogItem, BacklogStats } from '../store/store.ts';
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

  const write = writesOfOneTurn((items: BacklogItem[]) => store.backlog.enqueue(items, DEDUPE_MS));

  return {
    // One transaction (SQLite) or one script (Redis) for the whole body, before the 200: what LINE is
    // told was received is on disk. Duplicates (same webhookEventId within a day) are not written again.
    async accept(events) {
      if (!sealKey || pending() + events.length > maxPending) return false;
      const fresh = await write(events.map((e) => seal(sealKey, e)));
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

/**
 * The webhooks read in one turn of the event loop are written together, in one store call (one Redis
 * script, one SQLite transaction), just after the turn's I/O: after a moment without a core, dozens of
 * requests are read in one turn, and each call costs more than the events it writes. Each webhook
 * still gets its 200 only once its events are written (it waits for that call), and a failed call
 * fails every webhook in it (503).
 */
export function writesOfOneTurn<T, R>(write: (items: T[]) => Promise<R[]>): (items: T[]) => Promise<R[]> {
  let batch: { items: T[]; written: Promise<R[]> } | null = null;
  return (items) => {
    if (!batch) {
      const b: { items: T[]; written: Promise<R[]> } = { items: [], written: null! };
      b.written = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        batch = null;
        return write(b.items);
      });
      batch = b;
    }
    const from = batch.items.length;
    batch.items.push(...items);
    return batch.written.then((out) => out.slice(from, from + items.length));
  };
}
