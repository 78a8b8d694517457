// The embedded default store: one node:sqlite file (on fly.io, on the /data volume). Every record
// operation is one statement, so it is atomic without transactions; the backlog's take and enqueue are
// one transaction each. WAL lets reads go on while a write commits. secure_delete overwrites deleted rows
// (a blocked user's records, answered events) with zeros instead of leaving them in free pages.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { Backlog, BacklogEntry, BacklogItem, BacklogStats, Finished, Json, Store } from './store.ts';

const SWEEP_EVERY_MS = 10 * 60_000;
const BUSY_TIMEOUT_MS = 5000;
const SQLITE_BUSY = 5;
/** The webhook waits at most this long for the write lock (LINE gives up after 2 s). */
const ENQUEUE_WAIT_MS = 1000;

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
CREATE TABLE IF NOT EXISTS backlog (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  chat TEXT NOT NULL,
  body TEXT NOT NULL,
  at INTEGER NOT NULL,
  owner TEXT,
  lease_until INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  sending INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS backlog_chat ON backlog (chat, seq);
`;

/** Rows that are next in their chat (no earlier row of the same chat, leased or not). */
const HEAD = 'NOT EXISTS (SELECT 1 FROM backlog c WHERE c.chat = b.chat AND c.seq < b.seq)';

export class SqliteStore implements Store {
  private readonly db: DatabaseSync;
  readonly backlog: Backlog;
  private readonly now: () => number;
  private readonly sweepTimer: NodeJS.Timeout;
  private readonly q: Record<
    'claim' | 'get' | 'set' | 'increment' | 'delete' | 'deleteSubject' | 'sweepEvents' | 'sweepRecords',
    StatementSync
  >;

  /**
   * path: a file path (its directory is created) or ":memory:". checkpoints: false for the connection
   * of the thread that acknowledges webhooks while event threads have their own: a WAL checkpoint (run
   * by the commit that finds the WAL over 1,000 pages) writes and syncs the database file, which held
   * its webhooks' 200 for 5–230 ms; the event threads' connections, which commit far more, run them.
   */
  constructor(path: string, now: () => number = Date.now, o: { checkpoints?: boolean } = {}) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new DatabaseSync(path);
    this.now = now;
    // synchronous = NORMAL: a commit survives the process being killed (it is in the WAL, in the OS's
    // cache), not a power cut of the host before the next checkpoint; see docs/deploy.md.
    this.db.exec(
      `PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}; PRAGMA secure_delete = ON;`,
    );
    this.db.exec(SCHEMA);
    if (o.checkpoints === false) this.db.exec('PRAGMA wal_autocheckpoint = 0');
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
    this.backlog = new SqliteBacklog(this.db, now, this.q.claim);
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

class SqliteBacklog implements Backlog {
  private readonly q: Record<
    | 'insert'
    | 'heads'
    | 'lease'
    | 'renew'
    | 'sending'
    | 'delete'
    | 'forget'
    | 'release'
    | 'releaseAll'
    | 'giveBack'
    | 'count'
    | 'oldest',
    StatementSync
  >;

  private readonly db: DatabaseSync;
  private readonly now: () => number;
  private readonly claim: StatementSync;

  constructor(db: DatabaseSync, now: () => number, claim: StatementSync) {
    this.db = db;
    this.now = now;
    this.claim = claim;
    this.q = {
      insert: db.prepare('INSERT OR IGNORE INTO backlog (id, chat, body, at) VALUES (?, ?, ?, ?)'),
      heads: db.prepare(
        `SELECT seq, id, chat, body, at, attempts, sending FROM backlog b
         WHERE lease_until <= ? AND ${HEAD} ORDER BY seq LIMIT ?`,
      ),
      lease: db.prepare(
        'UPDATE backlog SET owner = ?, lease_until = ?, attempts = attempts + 1 WHERE seq = ?',
      ),
      renew: db.prepare('UPDATE backlog SET lease_until = ? WHERE owner = ?'),
      sending: db.prepare('UPDATE backlog SET sending = 1 WHERE id = ? AND owner = ?'),
      delete: db.prepare('DELETE FROM backlog WHERE id = ? AND owner = ?'),
      forget: db.prepare('DELETE FROM events WHERE id = ?'),
      release: db.prepare(
        'UPDATE backlog SET owner = NULL, lease_until = 0 WHERE substr(owner, 1, length(?1)) = ?1',
      ),
      releaseAll: db.prepare('UPDATE backlog SET owner = NULL, lease_until = 0 WHERE owner IS NOT NULL'),
      giveBack: db.prepare(
        'UPDATE backlog SET owner = NULL, lease_until = 0, attempts = attempts - 1 WHERE id = ? AND owner = ?',
      ),
      count: db.prepare('SELECT count(*) AS n FROM backlog'),
      oldest: db.prepare(`SELECT min(at) AS at FROM backlog b WHERE lease_until <= ? AND ${HEAD}`),
    };
  }

  async enqueue(items: BacklogItem[], dedupeMs: number): Promise<boolean[]> {
    // Called by the thread that acknowledges webhooks: it must never sleep in SQLite's busy handler
    // while an event thread holds the write lock. It tries without waiting and, if the lock is taken,
    // tries again on the next turn of the event loop, reading other webhooks in between.
    const giveUpAt = Date.now() + ENQUEUE_WAIT_MS;
    let tries = 0;
    for (;;) {
      const t = this.now();
      try {
        return this.transaction(
          () =>
            // The id's claim (the same table as claimEvent) and the row together, or neither.
            items.map((item) => {
              if (this.claim.run(item.id, t + dedupeMs, t).changes !== 1) return false;
              this.q.insert.run(item.id, item.chat, item.body, t);
              return true;
            }),
          { wait: false },
        );
      } catch (err) {
        if ((err as { errcode?: number }).errcode !== SQLITE_BUSY || Date.now() > giveUpAt) throw err;
        // The holder is an event thread, below this one in the scheduler: retrying at every turn kept
        // this thread on the core the holder needed to finish (BENCHMARKS.md, LINE webhook). Once at
        // the next turn, then every millisecond; webhooks are still read in between.
        await new Promise((resolve) => (tries++ === 0 ? setImmediate(resolve) : setTimeout(resolve, 1)));
      }
    }
  }

  async take(
    owner: string,
    max: number,
    leaseMs: number,
    finished: Finished[] = [],
  ): Promise<BacklogEntry[]> {
    const t = this.now();
    return this.transaction(() => {
      for (const f of finished) this.completeNow(f.id, owner, f.answered);
      if (max <= 0) return [];
      const rows = this.q.heads.all(t, max) as unknown as (Omit<BacklogEntry, 'sending'> & {
        seq: number;
        sending: number;
      })[];
      return rows.map((r) => {
        this.q.lease.run(owner, t + leaseMs, r.seq);
        return {
          id: r.id,
          chat: r.chat,
          body: r.body,
          at: r.at,
          attempts: r.attempts + 1,
          sending: r.sending === 1,
        };
      });
    });
  }

  async renew(owner: string, leaseMs: number): Promise<void> {
    this.q.renew.run(this.now() + leaseMs, owner);
  }

  async markSending(id: string, owner: string): Promise<void> {
    this.q.sending.run(id, owner);
  }

  async complete(id: string, owner: string, answered: boolean): Promise<void> {
    this.transaction(() => this.completeNow(id, owner, answered));
  }

  private completeNow(id: string, owner: string, answered: boolean): void {
    if (this.q.delete.run(id, owner).changes === 1 && !answered) this.q.forget.run(id);
  }

  async release(prefix?: string): Promise<void> {
    if (prefix === undefined) this.q.releaseAll.run();
    else this.q.release.run(prefix);
  }

  async giveBack(owner: string, ids: string[]): Promise<void> {
    if (ids.length) this.transaction(() => ids.forEach((id) => this.q.giveBack.run(id, owner)));
  }

  async stats(): Promise<BacklogStats> {
    const count = (this.q.count.get() as { n: number }).n;
    const oldest = this.q.oldest.get(this.now()) as { at: number | null };
    return { count, oldestReadyAt: oldest.at };
  }

  /**
   * BEGIN IMMEDIATE: takes the write lock at once, so two threads never lease the same row. With
   * wait: false, throws SQLITE_BUSY at once instead of waiting for the lock (busy_timeout).
   */
  private transaction<T>(f: () => T, o: { wait: boolean } = { wait: true }): T {
    if (o.wait) this.db.exec('BEGIN IMMEDIATE');
    else {
      this.db.exec('PRAGMA busy_timeout = 0');
      try {
        this.db.exec('BEGIN IMMEDIATE');
      } finally {
        this.db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
      }
    }
    try {
      const v = f();
      this.db.exec('COMMIT');
      return v;
    } catch (err) {
      this.db.exec('ROLLBACK');
      throw err;
    }
  }
}
