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

  close(): Promise<void>;
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
