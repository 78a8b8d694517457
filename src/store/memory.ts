// In-process store for tests and the local simulator: same behaviour as sqlite.ts, nothing on disk.
import type { Backlog, BacklogEntry, BacklogItem, BacklogStats, Finished, Json, Store } from './store.ts';

interface Entry {
  value: string;
  expiresAt: number;
}

export class MemoryStore implements Store {
  private readonly events = new Map<string, number>();
  /** subject → ns → entry, so deleteSubject is one map delete. */
  private readonly records = new Map<string, Map<string, Entry>>();
  private readonly now: () => number;
  private closed = false;
  readonly backlog: Backlog;

  constructor(now: () => number = Date.now) {
    this.now = now;
    this.backlog = new MemoryBacklog(now, () => this.open());
  }

  async claimEvent(eventId: string, ttlMs: number): Promise<boolean> {
    this.open();
    const t = this.now();
    const until = this.events.get(eventId);
    if (until !== undefined && until > t) return false;
    this.events.set(eventId, t + ttlMs);
    if (this.events.size % 1024 === 0) this.sweep(t);
    return true;
  }

  async get<T = Json>(ns: string, subject: string): Promise<T | null> {
    this.open();
    const e = this.records.get(subject)?.get(ns);
    if (!e || e.expiresAt <= this.now()) return null;
    return JSON.parse(e.value) as T;
  }

  async set(ns: string, subject: string, value: Json, ttlMs: number): Promise<void> {
    this.open();
    let bySubject = this.records.get(subject);
    if (!bySubject) this.records.set(subject, (bySubject = new Map()));
    // Stored as JSON so callers cannot share mutable objects with the store, as with a real backend.
    bySubject.set(ns, { value: JSON.stringify(value), expiresAt: this.now() + ttlMs });
  }

  async delete(ns: string, subject: string): Promise<void> {
    this.open();
    const bySubject = this.records.get(subject);
    bySubject?.delete(ns);
    if (bySubject?.size === 0) this.records.delete(subject);
  }

  async increment(ns: string, subject: string, ttlMs: number): Promise<number> {
    this.open();
    const t = this.now();
    let bySubject = this.records.get(subject);
    if (!bySubject) this.records.set(subject, (bySubject = new Map()));
    const e = bySubject.get(ns);
    const live = e !== undefined && e.expiresAt > t;
    const n = live ? Number(JSON.parse(e.value)) + 1 : 1;
    if (!Number.isSafeInteger(n)) throw new Error(`store: ${ns} is not a counter`);
    bySubject.set(ns, { value: JSON.stringify(n), expiresAt: live ? e.expiresAt : t + ttlMs });
    return n;
  }

  async deleteSubject(subject: string): Promise<void> {
    this.open();
    this.records.delete(subject);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private open(): void {
    if (this.closed) throw new Error('store is closed');
  }

  private sweep(t: number): void {
    for (const [id, until] of this.events) if (until <= t) this.events.delete(id);
    for (const [subject, byNs] of this.records) {
      for (const [ns, e] of byNs) if (e.expiresAt <= t) byNs.delete(ns);
      if (byNs.size === 0) this.records.delete(subject);
    }
  }
}

interface Row extends BacklogEntry {
  owner: string | null;
  leaseUntil: number;
}

/** The backlog in a Map (insertion order is arrival order); answered ids kept for dedupeMs. */
class MemoryBacklog implements Backlog {
  private readonly rows = new Map<string, Row>();
  private readonly answered = new Map<string, number>();
  private readonly now: () => number;
  private readonly open: () => void;

  constructor(now: () => number, open: () => void) {
    this.now = now;
    this.open = open;
  }

  async enqueue(items: BacklogItem[], dedupeMs: number): Promise<boolean[]> {
    this.open();
    const t = this.now();
    return items.map((item) => {
      const until = this.answered.get(item.id);
      if (this.rows.has(item.id) || (until !== undefined && until > t)) return false;
      this.answered.set(item.id, t + dedupeMs);
      this.rows.set(item.id, { ...item, at: t, attempts: 0, sending: false, owner: null, leaseUntil: 0 });
      if (this.answered.size % 1024 === 0)
        for (const [id, u] of this.answered) if (u <= t) this.answered.delete(id);
      return true;
    });
  }

  async take(
    owner: string,
    max: number,
    leaseMs: number,
    finished: Finished[] = [],
  ): Promise<BacklogEntry[]> {
    this.open();
    for (const f of finished) this.completeNow(f.id, owner, f.answered);
    const t = this.now();
    const out: BacklogEntry[] = [];
    for (const row of this.heads()) {
      if (out.length >= max) break;
      if (row.leaseUntil > t) continue;
      row.owner = owner;
      row.leaseUntil = t + leaseMs;
      row.attempts++;
      out.push(entry(row));
    }
    return out;
  }

  async renew(owner: string, leaseMs: number): Promise<void> {
    this.open();
    const until = this.now() + leaseMs;
    for (const row of this.rows.values()) if (row.owner === owner) row.leaseUntil = until;
  }

  async markSending(id: string, owner: string): Promise<void> {
    this.open();
    const row = this.rows.get(id);
    if (row?.owner === owner) row.sending = true;
  }

  async complete(id: string, owner: string, answered: boolean): Promise<void> {
    this.open();
    this.completeNow(id, owner, answered);
  }

  private completeNow(id: string, owner: string, answered: boolean): void {
    if (this.rows.get(id)?.owner !== owner) return;
    this.rows.delete(id);
    if (!answered) this.answered.delete(id);
  }

  async release(prefix?: string): Promise<void> {
    this.open();
    for (const row of this.rows.values())
      if (row.owner !== null && row.owner.startsWith(prefix ?? '')) {
        row.owner = null;
        row.leaseUntil = 0;
      }
  }

  async giveBack(owner: string, ids: string[]): Promise<void> {
    this.open();
    for (const id of ids) {
      const row = this.rows.get(id);
      if (row?.owner !== owner) continue;
      row.owner = null;
      row.leaseUntil = 0;
      row.attempts--;
    }
  }

  async stats(): Promise<BacklogStats> {
    this.open();
    const t = this.now();
    let oldestReadyAt: number | null = null;
    for (const row of this.heads())
      if (row.leaseUntil <= t && (oldestReadyAt === null || row.at < oldestReadyAt)) oldestReadyAt = row.at;
    return { count: this.rows.size, oldestReadyAt };
  }

  /** The first row of each chat, in arrival order. */
  private *heads(): Generator<Row> {
    const seen = new Set<string>();
    for (const row of this.rows.values()) {
      if (seen.has(row.chat)) continue;
      seen.add(row.chat);
      yield row;
    }
  }
}

function entry(row: Row): BacklogEntry {
  return {
    id: row.id,
    chat: row.chat,
    body: row.body,
    at: row.at,
    attempts: row.attempts,
    sending: row.sending,
  };
}
