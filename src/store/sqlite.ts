// The embedded default store: one node:sqlite file (on fly.io, on the /data volume). Every operation is
// one statement, so it is atomic without transactions; WAL lets reads go on while a write commits.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { Json, Store } from './store.ts';

const SWEEP_EVERY_MS = 10 * 60_000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  id TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS records (
  subject TEXT NOT NULL,
  ns TEXT NOT NULL,
  value TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (subject, ns)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS events_expiry ON events (expires_at);
CREATE INDEX IF NOT EXISTS records_expiry ON records (expires_at);
`;

export class SqliteStore implements Store {
  private readonly db: DatabaseSync;
  private readonly now: () => number;
  private readonly sweepTimer: NodeJS.Timeout;
  private readonly q: Record<
    'claim' | 'get' | 'set' | 'increment' | 'delete' | 'deleteSubject' | 'sweepEvents' | 'sweepRecords',
    StatementSync
  >;

  /** path: a file path (its directory is created) or ":memory:". */
  constructor(path: string, now: () => number = Date.now) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new DatabaseSync(path);
    this.now = now;
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;');
    this.db.exec(SCHEMA);
    this.q = {
      // Inserts a new id, or takes over an expired one; a live id is left alone (0 rows changed).
      claim: this.db.prepare(
        `INSERT INTO events (id, expires_at) VALUES (?, ?)
         ON CONFLICT (id) DO UPDATE SET expires_at = excluded.expires_at WHERE events.expires_at <= ?`,
      ),
      get: this.db.prepare('SELECT value FROM records WHERE subject = ? AND ns = ? AND expires_at > ?'),
      set: this.db.prepare(
        `INSERT INTO records (subject, ns, value, expires_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (subject, ns) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
      ),
      // One statement, so atomic: a live counter goes up by one and keeps its expiry; a missing or
      // expired one starts again at 1 with a new expiry (SET expressions read the row before the update).
      increment: this.db.prepare(
        `INSERT INTO records (subject, ns, value, expires_at) VALUES (?, ?, '1', ?)
         ON CONFLICT (subject, ns) DO UPDATE SET
           value = CASE WHEN expires_at <= ? THEN '1' ELSE CAST(CAST(value AS INTEGER) + 1 AS TEXT) END,
           expires_at = CASE WHEN expires_at <= ? THEN excluded.expires_at ELSE expires_at END
         RETURNING value`,
      ),
      delete: this.db.prepare('DELETE FROM records WHERE subject = ? AND ns = ?'),
      deleteSubject: this.db.prepare('DELETE FROM records WHERE subject = ?'),
      sweepEvents: this.db.prepare('DELETE FROM events WHERE expires_at <= ?'),
      sweepRecords: this.db.prepare('DELETE FROM records WHERE expires_at <= ?'),
    };
    this.sweep();
    this.sweepTimer = setInterval(() => this.sweep(), SWEEP_EVERY_MS).unref();
  }

  async claimEvent(eventId: string, ttlMs: number): Promise<boolean> {
    const t = this.now();
    return this.q.claim.run(eventId, t + ttlMs, t).changes === 1;
  }

  async get<T = Json>(ns: string, subject: string): Promise<T | null> {
    const row = this.q.get.get(subject, ns, this.now()) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as T) : null;
  }

  async set(ns: string, subject: string, value: Json, ttlMs: number): Promise<void> {
    this.q.set.run(subject, ns, JSON.stringify(value), this.now() + ttlMs);
  }

  async increment(ns: string, subject: string, ttlMs: number): Promise<number> {
    const t = this.now();
    const row = this.q.increment.get(subject, ns, t + ttlMs, t, t) as { value: string };
    return Number(row.value);
  }

  async delete(ns: string, subject: string): Promise<void> {
    this.q.delete.run(subject, ns);
  }

  async deleteSubject(subject: string): Promise<void> {
    this.q.deleteSubject.run(subject);
  }

  async close(): Promise<void> {
    clearInterval(this.sweepTimer);
    if (this.db.isOpen) this.db.close();
  }

  /** Expired rows are invisible already; this only keeps the file small. */
  private sweep(): void {
    const t = this.now();
    this.q.sweepEvents.run(t);
    this.q.sweepRecords.run(t);
  }
}
