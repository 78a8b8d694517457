// What the bot remembers, behind one small interface: the embedded node:sqlite store by default, memory
// for tests, Redis later (issue 7). It holds only what the bot needs to work: webhook event ids for
// de-duplication, and small JSON records about a chat (never the text of a message), all with expiry.

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
  /** Removes every record of a subject: the user blocked the bot, or the bot left a group. */
  deleteSubject(subject: string): Promise<void>;

  close(): Promise<void>;
}

export class StoreConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreConfigError';
  }
}
