// The durable event backlog (src/store/store.ts, Backlog) behaves the same in every store: duplicates
// dropped in one transaction with the new events, one event per chat at a time and in order, leases that
// run out and are taken over, "sending" noted for the next attempt, answered=false forgetting the id.
// And the sealing (src/server/backlog.ts): the store never holds the event in the clear.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/store/memory.ts';
import { RedisStore } from '../../src/store/redis.ts';
import { SqliteStore } from '../../src/store/sqlite.ts';
import type { BacklogItem, Store } from '../../src/store/store.ts';
import { backlogKey, seal, unseal } from '../../src/server/backlog.ts';
import type { LineEvent } from '../../src/line/events.ts';
import { startRedis, type RedisServer } from '../../scripts/stand-ins/redis-server.ts';
import { Redis } from 'ioredis';
import { DatabaseSync } from 'node:sqlite';

const dir = mkdtempSync(join(tmpdir(), 'sagicheck-backlog-'));
let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
const kinds: [string, (now: () => number) => Store][] = [
  ['memory', (now) => new MemoryStore(now)],
  ['sqlite', (now) => new SqliteStore(join(dir, `s${++n}`, 'store.db'), now)],
  ['redis', (now) => new RedisStore(redis.url, { now, prefix: `b${++n}:` })],
];

const item = (id: string, chat: string): BacklogItem => ({ id, chat, body: `body of ${id}` });
const ids = (entries: { id: string }[]) => entries.map((e) => e.id);
const DAY = 86_400_000;

describe.each(kinds)('%s backlog', { timeout: 30_000 }, (_name, make) => {
  function clocked() {
    const clock = { t: 1_000_000 };
    return { clock, store: make(() => clock.t) };
  }

  it('takes events oldest first, one per chat at a time, and drops duplicates', async () => {
    const { clock, store } = clocked();
    try {
      expect(await store.backlog.enqueue([item('a1', 'A'), item('a2', 'A'), item('b1', 'B')], DAY)).toEqual([
        true,
        true,
        true,
      ]);
      clock.t += 10;
      // a1 again (a redelivery while it waits) is a duplicate; c1 is new.
      expect(await store.backlog.enqueue([item('a1', 'A'), item('c1', 'C')], DAY)).toEqual([false, true]);
      expect(await store.backlog.stats()).toEqual({ count: 4, oldestReadyAt: 1_000_000 });

      const first = await store.backlog.take('w1', 10, 30_000);
      expect(ids(first)).toEqual(['a1', 'b1', 'c1']);
      expect(first[0]).toEqual({
        id: 'a1',
        chat: 'A',
        body: 'body of a1',
        at: 1_000_000,
        attempts: 1,
        sending: false,
      });
      // a2 waits for a1, even for another owner; nothing else is free.
      expect(await store.backlog.take('w2', 10, 30_000)).toEqual([]);
      expect(await store.backlog.stats()).toEqual({ count: 4, oldestReadyAt: null });

      await store.backlog.complete('a1', 'w1', true);
      expect(ids(await store.backlog.take('w2', 10, 30_000))).toEqual(['a2']);
      // Answered ids stay claimed: a later redelivery is a duplicate.
      expect(await store.backlog.enqueue([item('a1', 'A')], DAY)).toEqual([false]);
      // Not answered: the id is forgotten, so a redelivery is taken again.
      await store.backlog.complete('b1', 'w1', false);
      expect(await store.backlog.enqueue([item('b1', 'B')], DAY)).toEqual([true]);
      // Only the owner completes.
      await store.backlog.complete('c1', 'someone else', true);
      expect((await store.backlog.stats()).count).toBe(3);
    } finally {
      await store.close();
    }
  });

  it("a take first completes what its owner finished: the chat's next event comes in the same call", async () => {
    const { store } = clocked();
    try {
      await store.backlog.enqueue([item('a1', 'A'), item('a2', 'A'), item('b1', 'B'), item('c1', 'C')], DAY);
      expect(ids(await store.backlog.take('w1', 2, 30_000))).toEqual(['a1', 'b1']);
      // Another owner's finished events are not its to delete; a1 done and b1 given up are.
      const next = await store.backlog.take('w2', 10, 30_000, [{ id: 'a1', answered: true }]);
      expect(ids(next)).toEqual(['c1']);
      const after = await store.backlog.take('w1', 10, 30_000, [
        { id: 'a1', answered: true },
        { id: 'b1', answered: false },
      ]);
      expect(ids(after)).toEqual(['a2']);
      // Only finishing, nothing more taken.
      expect(await store.backlog.take('w1', 0, 30_000, [{ id: 'a2', answered: true }])).toEqual([]);
      expect(await store.backlog.stats()).toEqual({ count: 1, oldestReadyAt: null });
      // a1 answered stays claimed; b1 given up is forgotten, so its redelivery is taken again.
      expect(await store.backlog.enqueue([item('a1', 'A'), item('b1', 'B')], DAY)).toEqual([false, true]);
    } finally {
      await store.close();
    }
  });

  it('hands an event whose lease ran out to another owner, with "sending" noted', async () => {
    const { clock, store } = clocked();
    try {
      await store.backlog.enqueue([item('e1', 'A'), item('e2', 'B')], DAY);
      expect(ids(await store.backlog.take('dead', 10, 1000))).toEqual(['e1', 'e2']);
      await store.backlog.markSending('e1', 'dead');
      await store.backlog.markSending('e2', 'not the owner');
      clock.t += 999;
      expect(await store.backlog.take('w', 10, 1000)).toEqual([]);
      clock.t += 1;
      const again = await store.backlog.take('w', 10, 1000);
      expect(again.map((e) => [e.id, e.attempts, e.sending])).toEqual([
        ['e1', 2, true],
        ['e2', 2, false],
      ]);
      // A live owner renews; its events are not taken over.
      clock.t += 900;
      await store.backlog.renew('w', 1000);
      clock.t += 900;
      expect(await store.backlog.take('x', 10, 1000)).toEqual([]);
      // The dead owner's completion changes nothing now.
      await store.backlog.complete('e1', 'dead', true);
      expect((await store.backlog.stats()).count).toBe(2);
    } finally {
      await store.close();
    }
  });

  it('gives back the leases of the owners named by a prefix, or of all', async () => {
    const { store } = clocked();
    try {
      await store.backlog.enqueue([item('a', 'A'), item('b', 'B'), item('c', 'C'), item('d', 'D')], DAY);
      await store.backlog.take('m1/run/1/', 1, 60_000);
      await store.backlog.take('m1/run/11/', 1, 60_000);
      await store.backlog.take('m2/run/1/', 2, 60_000);
      await store.backlog.release('m1/run/1/');
      expect(ids(await store.backlog.take('three', 10, 60_000))).toEqual(['a']);
      await store.backlog.release('m1/');
      expect(ids(await store.backlog.take('three', 10, 60_000))).toEqual(['b']);
      await store.backlog.release();
      expect(ids(await store.backlog.take('four', 10, 60_000))).toEqual(['a', 'b', 'c', 'd']);
    } finally {
      await store.close();
    }
  });

  it('gives back by id the events its owner took and never started, and that take is no attempt', async () => {
    const { store } = clocked();
    try {
      await store.backlog.enqueue([item('a', 'A'), item('b', 'B'), item('c', 'C')], DAY);
      expect(ids(await store.backlog.take('w1', 3, 60_000))).toEqual(['a', 'b', 'c']);
      // Another owner cannot give them back; an unknown id is ignored.
      await store.backlog.giveBack('w2', ['b']);
      await store.backlog.giveBack('w1', ['c', 'gone']);
      const again = await store.backlog.take('w2', 10, 60_000);
      expect(ids(again)).toEqual(['c']);
      expect(again[0]!.attempts).toBe(1);
    } finally {
      await store.close();
    }
  });
});

describe('SQLite enqueue while another thread writes', () => {
  it('waits for the write lock without blocking the event loop, then writes', async () => {
    const file = join(dir, 'locked', 'store.db');
    const store = new SqliteStore(file);
    const other = new DatabaseSync(file);
    other.exec('BEGIN IMMEDIATE'); // an event thread in the middle of a write
    let settled = false;
    const written = store.backlog.enqueue([item('l1', 'A')], DAY).finally(() => (settled = true));
    // The acknowledging thread goes on: timers run while the enqueue waits for the lock.
    await new Promise((r) => setTimeout(r, 50));
    expect(settled).toBe(false);
    other.exec('COMMIT');
    expect(await written).toEqual([true]);
    other.close();
    await store.close();
  });
});

describe('at rest', () => {
  const event = {
    type: 'message',
    webhookEventId: '01SEALED',
    message: { type: 'text', text: '【Amazon】お支払い方法に問題があります' },
    source: { type: 'user', userId: 'U' + 'f'.repeat(32) },
  } as unknown as LineEvent;
  const key = backlogKey('a channel secret');

  it('sealed events are unreadable without the key, bound to their id, and come back whole', () => {
    const sealed = seal(key, event);
    expect(sealed.chat).toHaveLength(22); // a hash of the chat's id, only to keep its events in order
    expect(sealed.chat).toBe(seal(key, { ...event, webhookEventId: '01NEXT' } as LineEvent).chat);
    expect(sealed.body).not.toContain('Amazon');
    expect(Buffer.from(sealed.body.slice(3), 'base64').toString('latin1')).not.toContain('fff');
    expect(unseal(key, sealed)).toEqual(event);
    expect(() => unseal(backlogKey('another secret'), sealed)).toThrow();
    expect(() => unseal(key, { ...sealed, id: '01OTHER' })).toThrow();
  });

  it('sealed events leave no text in the SQLite file or its WAL, waiting or answered', async () => {
    const sub = join(dir, 'sealed');
    const store = new SqliteStore(join(sub, 'store.db'));
    await store.backlog.enqueue([seal(key, event)], DAY);
    const files = () =>
      readdirSync(sub)
        .map((f) => readFileSync(join(sub, f)).toString('utf8'))
        .join('');
    expect(files()).not.toContain('お支払い');
    const [taken] = await store.backlog.take('w', 1, 1000);
    await store.backlog.complete(taken!.id, 'w', true);
    await store.close();
    expect(files()).not.toContain('お支払い');
    expect(files()).not.toContain('f'.repeat(32));
  });

  it("a blocked user's records leave no trace in the SQLite file (secure_delete)", async () => {
    const sub = join(dir, 'deleted');
    const store = new SqliteStore(join(sub, 'store.db'));
    const subject = 'U' + 'e'.repeat(32);
    await store.set('context', subject, { risk: 'high', brand: 'amazon' }, DAY);
    await store.set('context', 'U' + 'd'.repeat(32), { risk: 'low' }, DAY);
    await store.deleteSubject(subject);
    await store.close();
    const bytes = readdirSync(sub)
      .map((f) => readFileSync(join(sub, f)).toString('latin1'))
      .join('');
    expect(bytes).toContain('d'.repeat(32));
    expect(bytes).not.toContain('e'.repeat(32));
  });

  it('the Redis keys of the backlog live in one slot', async () => {
    const store = new RedisStore(redis.url, { prefix: 'slot:' });
    await store.backlog.enqueue([seal(key, event)], DAY);
    const client = new Redis(redis.url);
    const keys = (await client.keys('slot:*')).sort();
    expect(keys).toEqual([
      'slot:{backlog}:body',
      'slot:{backlog}:done',
      'slot:{backlog}:meta',
      'slot:{backlog}:order',
      'slot:{backlog}:seq',
    ]);
    expect(JSON.stringify(await client.hgetall('slot:{backlog}:body'))).not.toContain('Amazon');
    client.disconnect();
    await store.close();
  });
});
