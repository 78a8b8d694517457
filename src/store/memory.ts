// In-process store for tests and the local simulator: same behaviour as sqlite.ts, nothing on disk.
import type { Json, Store } from './store.ts';

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

  constructor(now: () => number = Date.now) {
    this.now = now;
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
