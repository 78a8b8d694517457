// What the bot remembers, behind one small interface: the embedded node:sqlite store by default (one
// machine), memory for tests, Redis for several machines. It holds only what the bot needs to work:
// webhook event ids for de-duplication, and small JSON records and counters about a chat (never the
// text of a message), all with expiry.

/** JSON that survives a round trip through any backend. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Store {
  /**
   * Records a webhook event id for ttlMs. True the first time (the caller handles the event), false
   * when the id is already recorded and not expired. Atomic across concurrent callers and, for shared
   * backends, across machines.
   */
  claimEvent(eventId: string, ttlMs: number): Promise<boolean>;

  /**
   * A record about one subject: a LINE user, group or room id. `ns` names the kind of record
   * ("context", "flow" …), so features keep their own records side by side.
   */
  /** The caller names the shape it stored (T); the store only guarantees it is the JSON given to set. */
  get<T = Json>(ns: string, subject: string): Promise<T | null>;
  set(ns: string, subject: string, value: Json, ttlMs: number): Promise<void>;
  delete(ns: string, subject: string): Promise<void>;
  /**
   * Adds one to a counter record and returns the new count: 1 when there was no live counter, which
   * then expires ttlMs later; further increments keep that expiry (a fixed window, e.g. for rate
   * limits). Atomic like claimEvent: of concurrent callers, each gets a different count. The counter
   * reads back through get() as a number and goes with deleteSubject like any record.
   */
  increment(ns: string, subject: string, ttlMs: number): Promise<number>;
  /** Removes every record of a subject: the user blocked the bot, or the bot left a group. */
  deleteSubject(subject: string): Promise<void>;

  /**
   * increment() of one record and get() of another in one call: the rate limit's count and the
   * chat's last verdict, read for every text checked. Optional: a store without it gets the two calls
   * (src/conversation/rate-limit.ts); Redis makes them one script, one command instead of two.
   */
  incrementAndGet?<T = Json>(
    counter: { ns: string; subject: string; ttlMs: number },
    read: { ns: string; subject: string },
  ): Promise<[number, T | null]>;

  /** Webhook events acknowledged and not yet answered (src/server/backlog.ts). */
  readonly backlog: Backlog;

  close(): Promise<void>;
}

/**
 * The durable event backlog: every event LINE was told "200" is written here first, then taken, answered
 * and deleted. Events of one chat are taken one at a time, in the order they came (a conversation's
 * next step must see the previous one). A taken event is leased to its owner (a thread of one server
 * process); a lease not renewed runs out and another owner takes the event over.
 */
export interface Backlog {
  /**
   * Adds the events not seen before, in one transaction, and returns for each whether it was new
   * (false: a duplicate, already waiting or answered within dedupeMs).
   */
  enqueue(items: BacklogItem[], dedupeMs: number): Promise<boolean[]>;
  /**
   * Completes the `finished` events of this owner (as complete() does), then leases up to `max` events
   * that are next in their chat and not leased, oldest first: one round trip (one Redis script, one
   * SQLite transaction) for a consumer's whole batch.
   */
  take(owner: string, max: number, leaseMs: number, finished?: Finished[]): Promise<BacklogEntry[]>;
  /** Extends every lease the owner holds (a heartbeat while long events run). */
  renew(owner: string, leaseMs: number): Promise<void>;
  /** Notes that an answer may be on its way, so a later attempt does not send a second one by push. */
  markSending(id: string, owner: string): Promise<void>;
  /**
   * Deletes the event. answered=false also forgets its id, so a redelivery of it is taken again rather
   * than dropped as a duplicate.
   */
  complete(id: string, owner: string, answered: boolean): Promise<void>;
  /**
   * Gives back the leases of the owners whose name starts with `prefix` (a thread that died; the
   * previous run of a restarted Fly Machine), or of every owner: a single machine (SQLite) restarting
   * after a crash takes its events again at once instead of after the lease.
   */
  release(prefix?: string): Promise<void>;
  /**
   * Gives back the leases of events this owner took and never started (taken ahead, then stopped): they
   * can be taken at once, and that take did not count as an attempt.
   */
  giveBack(owner: string, ids: string[]): Promise<void>;
  /** Events waiting, and when the oldest one that could be taken now (next in its chat, not leased) came. */
  stats(): Promise<BacklogStats>;
}

export interface BacklogItem {
  /** webhookEventId */
  id: string;
  /** Events with the same key run one at a time, in order (the chat's id). */
  chat: string;
  /** The event, sealed (src/server/backlog.ts): the store never sees it in the clear. */
  body: string;
}

/** An event a consumer is done with: deleted; answered=false also forgets its id (see complete()). */
export interface Finished {
  id: string;
  answered: boolean;
}

export interface BacklogEntry extends BacklogItem {
  /** When it was enqueued (ms). */
  at: number;
  /** Times it has been taken, this time included: above 1, an earlier attempt did not finish. */
  attempts: number;
  /** An earlier attempt called markSending: an answer may already have reached the person. */
  sending: boolean;
}

export interface BacklogStats {
  count: number;
  /** null when nothing is waiting that could be taken. */
  oldestReadyAt: number | null;
}

/** An operation the store could not carry out (e.g. Redis unreachable); the message names no data. */
export class StoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
  }
}

export class StoreConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreConfigError';
  }
}
