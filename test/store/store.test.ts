// Every store behaves the same: atomic event claims with expiry, records and counters with expiry,
// per-subject delete. One suite, three backends: memory, sqlite, and a real redis-server started here.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/store/memory.ts';
import { RedisStore } from '../../src/store/redis.ts';
import { SqliteStore } from '../../src/store/sqlite.ts';
import { openStore } from '../../src/store/open.ts';
import { StoreConfigError, type Store } from '../../src/store/store.ts';
import { startRedis, type RedisServer } from '../../scripts/stand-ins/redis-server.ts';

const dir = mkdtempSync(join(tmpdir(), 'sagicheck-store-'));
let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Kind {
  make(now: () => number): Store;
  /**
   * Event claims expire by the backend's own clock (Redis: SET NX PX), not the test's: the expiry test
   * waits in real time for these. Records and counters follow the injected clock everywhere.
   */
  realTimeEvents: boolean;
}

let n = 0;
const kinds: [string, Kind][] = [
  ['memory', { make: (now) => new MemoryStore(now), realTimeEvents: false }],
  [
    'sqlite',
    { make: (now) => new SqliteStore(join(dir, `s${++n}`, 'store.db'), now), realTimeEvents: false },
  ],
  // A prefix per store: every test starts from an empty keyspace on the one server.
  ['redis', { make: (now) => new RedisStore(redis.url, { now, prefix: `t${++n}:` }), realTimeEvents: true }],
  // As in an event thread: a command sent while others wait for replies waits for them to share a write.
  [
    'redis (writes wait for replies)',
    {
      make: (now) => new RedisStore(redis.url, { now, prefix: `t${++n}:`, waitForReplies: true }),
      realTimeEvents: true,
    },
  ],
];

describe.each(kinds)('%s store', { timeout: 30_000 }, (_name, kind) => {
  function clocked() {
    const clock = { t: 1_000_000 };
    return { clock, store: kind.make(() => clock.t) };
  }

  it('claims an event once until it expires', async () => {
    const { clock, store } = clocked();
    // The fake clock checks the exact boundary; real time (Redis) needs some room either side.
    const ttl = kind.realTimeEvents ? 300 : 1000;
    const pass = async (ms: number) => {
      clock.t += ms;
      if (kind.realTimeEvents) await sleep(ms);
    };
    expect(await store.claimEvent('e1', ttl)).toBe(true);
    expect(await store.claimEvent('e1', ttl)).toBe(false);
    expect(await store.claimEvent('e2', ttl)).toBe(true);
    await pass(kind.realTimeEvents ? 150 : ttl - 1);
    expect(await store.claimEvent('e1', ttl)).toBe(false);
    await pass(kind.realTimeEvents ? 250 : 1);
    expect(await store.claimEvent('e1', ttl)).toBe(true);
    expect(await store.claimEvent('e1', ttl)).toBe(false);
    await store.close();
  });

  it('lets exactly one of many concurrent claims win', async () => {
    const { store } = clocked();
    const wins = await Promise.all(Array.from({ length: 50 }, () => store.claimEvent('same', 60_000)));
    expect(wins.filter(Boolean)).toHaveLength(1);
    await store.close();
  });

  it('keeps JSON records per subject and kind, with expiry', async () => {
    const { clock, store } = clocked();
    await store.set('context', 'U1', { risk: 'high', advice: ['a'], n: 1, ok: true, none: null }, 1000);
    await store.set('flow', 'U1', { step: 2 }, 5000);
    await store.set('context', 'U2', { risk: 'low' }, 1000);
    expect(await store.get('context', 'U1')).toEqual({
      risk: 'high',
      advice: ['a'],
      n: 1,
      ok: true,
      none: null,
    });
    expect(await store.get('flow', 'U1')).toEqual({ step: 2 });
    expect(await store.get('context', 'nobody')).toBeNull();
    await store.set('context', 'U1', { risk: 'medium' }, 1000);
    expect(await store.get('context', 'U1')).toEqual({ risk: 'medium' });
    clock.t += 999;
    expect(await store.get('context', 'U1')).toEqual({ risk: 'medium' });
    clock.t += 1;
    expect(await store.get('context', 'U1')).toBeNull();
    expect(await store.get('flow', 'U1')).toEqual({ step: 2 });
    await store.delete('flow', 'U1');
    expect(await store.get('flow', 'U1')).toBeNull();
    await store.close();
  });

  it('keeps odd text and ids exactly (colons, quotes, emoji, braces)', async () => {
    const { store } = clocked();
    const value = { s: 'a:b"c\\d\n😀【危険】{}', list: ['', ':'], big: 2 ** 52 };
    await store.set('x:y', 'U:1}{', value, 60_000);
    expect(await store.get('x:y', 'U:1}{')).toEqual(value);
    expect(await store.get('x', 'U:1}{')).toBeNull();
    await store.close();
  });

  it('deletes everything of one subject and nothing of others', async () => {
    const { store } = clocked();
    await store.set('context', 'U1', { a: 1 }, 60_000);
    await store.set('flow', 'U1', { b: 2 }, 60_000);
    await store.increment('rate', 'U1', 60_000);
    await store.set('context', 'U2', { c: 3 }, 60_000);
    await store.deleteSubject('U1');
    expect(await store.get('context', 'U1')).toBeNull();
    expect(await store.get('flow', 'U1')).toBeNull();
    expect(await store.get('rate', 'U1')).toBeNull();
    expect(await store.increment('rate', 'U1', 60_000)).toBe(1);
    expect(await store.get('context', 'U2')).toEqual({ c: 3 });
    await store.deleteSubject('nobody');
    await store.close();
  });

  it('returns copies: changing a value read back does not change the store', async () => {
    const { store } = clocked();
    await store.set('context', 'U1', { list: [1] }, 60_000);
    const v = (await store.get<{ list: number[] }>('context', 'U1'))!;
    v.list.push(2);
    expect(await store.get('context', 'U1')).toEqual({ list: [1] });
    await store.close();
  });

  it('counts in fixed windows: the first increment sets the expiry, later ones keep it', async () => {
    const { clock, store } = clocked();
    expect(await store.increment('rate', 'U1', 1000)).toBe(1);
    clock.t += 500;
    expect(await store.increment('rate', 'U1', 1000)).toBe(2);
    expect(await store.increment('rate', 'U2', 1000)).toBe(1);
    expect(await store.increment('other', 'U1', 1000)).toBe(1);
    clock.t += 499;
    expect(await store.increment('rate', 'U1', 1000)).toBe(3);
    expect(await store.get('rate', 'U1')).toBe(3);
    clock.t += 1; // 1000 ms after the first increment: a new window
    expect(await store.get('rate', 'U1')).toBeNull();
    expect(await store.increment('rate', 'U1', 1000)).toBe(1);
    clock.t += 999;
    expect(await store.increment('rate', 'U1', 1000)).toBe(2);
    await store.close();
  });

  it('counts and reads another record in one call as increment and get do (where the store has it)', async () => {
    const { clock, store } = clocked();
    if (!store.incrementAndGet) return void (await store.close()); // memory and SQLite: the two calls
    const counter = { ns: 'rate', subject: 'H1', ttlMs: 1000 };
    const read = { ns: 'context', subject: 'U1' };
    expect(await store.incrementAndGet(counter, read)).toEqual([1, null]);
    await store.set('context', 'U1', { risk: 'high', note: 'a:b' }, 2500);
    expect(await store.incrementAndGet(counter, read)).toEqual([2, { risk: 'high', note: 'a:b' }]);
    clock.t += 1000; // the counter's window is over; the record lives on
    expect(await store.incrementAndGet(counter, read)).toEqual([1, { risk: 'high', note: 'a:b' }]);
    clock.t += 500;
    expect(await store.incrementAndGet(counter, read)).toEqual([2, { risk: 'high', note: 'a:b' }]);
    clock.t += 1000; // a new window again, and the record is past its time
    expect(await store.incrementAndGet(counter, read)).toEqual([1, null]);
    expect(await store.get('rate', 'H1')).toBe(1);
    await store.set('context', 'H1', 'x', 60_000);
    await expect(store.incrementAndGet({ ...counter, ns: 'context' }, read)).rejects.toThrow(/counter/);
    await store.close();
  });

  it('gives each of many concurrent increments its own count', async () => {
    const { store } = clocked();
    const counts = await Promise.all(Array.from({ length: 50 }, () => store.increment('rate', 'U1', 60_000)));
    expect([...counts].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    await store.close();
  });

  it('refuses work once closed', async () => {
    const { store } = clocked();
    await store.close();
    await expect(store.claimEvent('e', 1000)).rejects.toThrow();
  });
});

describe('redis store', { timeout: 30_000 }, () => {
  it('two clients (two machines) on one Redis: exactly one claim wins, counts are shared', async () => {
    const a = new RedisStore(redis.url, { prefix: 'shared:' });
    const b = new RedisStore(redis.url, { prefix: 'shared:' });
    const wins = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).claimEvent('E1', 60_000)),
    );
    expect(wins.filter(Boolean)).toHaveLength(1);
    const counts = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).increment('rate', 'U1', 60_000)),
    );
    expect(new Set(counts).size).toBe(20);
    await a.set('context', 'U1', { x: 1 }, 60_000);
    expect(await b.get('context', 'U1')).toEqual({ x: 1 });
    await b.deleteSubject('U1');
    expect(await a.get('context', 'U1')).toBeNull();
    await a.close();
    await b.close();
  });

  it('keeps nothing in Redis past the longest expiry of a subject, and names keys as documented', async () => {
    const store = new RedisStore(redis.url, { prefix: 'exp:' });
    const raw = new Redis(redis.url);
    await store.claimEvent('E1', 200);
    await store.set('context', 'U1', { a: 1 }, 150);
    await store.increment('rate', 'U1', 250);
    expect((await raw.keys('exp:*')).sort()).toEqual(['exp:event:E1', 'exp:subject:U1']);
    const pttl = await raw.pttl('exp:subject:U1');
    expect(pttl).toBeGreaterThan(150);
    expect(pttl).toBeLessThanOrEqual(250);
    await sleep(300);
    expect(await raw.keys('exp:*')).toEqual([]);
    await store.close();
    raw.disconnect();
  });
});

describe('sqlite file', () => {
  it('creates its directory and keeps data across reopening', async () => {
    const file = join(dir, 'a', 'b', 'bot.db');
    const first = new SqliteStore(file);
    expect(existsSync(file)).toBe(true);
    await first.claimEvent('e', 60_000);
    await first.set('context', 'U', { x: 1 }, 60_000);
    await first.close();
    const again = new SqliteStore(file);
    expect(await again.claimEvent('e', 60_000)).toBe(false);
    expect(await again.get('context', 'U')).toEqual({ x: 1 });
    await again.close();
  });
});

describe('sqlite WAL checkpoints', () => {
  // The thread that acknowledges webhooks opens its store with checkpoints: false (main.ts): the
  // event threads' connections run them. Written past SQLite's 1,000-page threshold, the WAL is
  // checkpointed (and reused from its start) by a connection that may, and keeps growing otherwise.
  it('leaves them to other connections when opened with checkpoints: false', async () => {
    const walAfterWrites = async (checkpoints: boolean) => {
      const file = join(dir, `wal-${checkpoints}`, 'bot.db');
      const store = openStore(`sqlite:${file}`, undefined, { checkpoints });
      const body = 'x'.repeat(2000);
      for (let i = 0; i < 40; i++)
        await store.backlog.enqueue(
          Array.from({ length: 100 }, (_, j) => ({ id: `e${i}-${j}`, chat: `c${j}`, body })),
          60_000,
        );
      const size = statSync(`${file}-wal`).size;
      await store.close();
      return size;
    };
    const pages = (bytes: number) => bytes / 4096;
    expect(pages(await walAfterWrites(false))).toBeGreaterThan(1500);
    expect(pages(await walAfterWrites(true))).toBeLessThan(1500);
  });
});

describe('openStore', () => {
  it('chooses the backend from STORE_URL', async () => {
    const mem = openStore('memory:');
    expect(mem).toBeInstanceOf(MemoryStore);
    await mem.close();
    const file = join(dir, 'open', 'x.db');
    const sql = openStore(`sqlite:${file}`);
    expect(sql).toBeInstanceOf(SqliteStore);
    expect(existsSync(file)).toBe(true);
    await sql.close();
  });

  it('opens redis:// and rediss:// URLs, and rejects others clearly', async () => {
    const r = openStore(`${redis.url}/2`);
    expect(r).toBeInstanceOf(RedisStore);
    expect(await r.claimEvent('open-e', 60_000)).toBe(true);
    await r.close();
    const tls = openStore('rediss://default:secret@127.0.0.1:1/0');
    expect(tls).toBeInstanceOf(RedisStore);
    await tls.close();
    expect(() => openStore('redis://localhost:6379/zero')).toThrow(StoreConfigError);
    expect(() => openStore('redis://localhost:6379/zero')).not.toThrow(/localhost/);
    expect(() => openStore('sqlite:')).toThrow(/STORE_URL/);
    expect(() => openStore('postgres://x')).toThrow(/STORE_URL/);
  });
});
