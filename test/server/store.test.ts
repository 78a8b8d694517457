// Both stores behave the same: atomic event claims with expiry, records with expiry, per-subject delete.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/store/memory.ts';
import { SqliteStore } from '../../src/store/sqlite.ts';
import { openStore } from '../../src/store/open.ts';
import { StoreConfigError, type Store } from '../../src/store/store.ts';

const dir = mkdtempSync(join(tmpdir(), 'sagicheck-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
const kinds: [string, (now: () => number) => Store][] = [
  ['memory', (now) => new MemoryStore(now)],
  ['sqlite', (now) => new SqliteStore(join(dir, `s${++n}`, 'store.db'), now)],
];

describe.each(kinds)('%s store', (_name, make) => {
  function clocked() {
    const clock = { t: 1_000_000 };
    return { clock, store: make(() => clock.t) };
  }

  it('claims an event once until it expires', async () => {
    const { clock, store } = clocked();
    expect(await store.claimEvent('e1', 1000)).toBe(true);
    expect(await store.claimEvent('e1', 1000)).toBe(false);
    expect(await store.claimEvent('e2', 1000)).toBe(true);
    clock.t += 999;
    expect(await store.claimEvent('e1', 1000)).toBe(false);
    clock.t += 1;
    expect(await store.claimEvent('e1', 1000)).toBe(true);
    expect(await store.claimEvent('e1', 1000)).toBe(false);
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
    clock.t += 1000;
    expect(await store.get('context', 'U1')).toBeNull();
    expect(await store.get('flow', 'U1')).toEqual({ step: 2 });
    await store.delete('flow', 'U1');
    expect(await store.get('flow', 'U1')).toBeNull();
    await store.close();
  });

  it('deletes everything of one subject and nothing of others', async () => {
    const { store } = clocked();
    await store.set('context', 'U1', { a: 1 }, 60_000);
    await store.set('flow', 'U1', { b: 2 }, 60_000);
    await store.set('context', 'U2', { c: 3 }, 60_000);
    await store.deleteSubject('U1');
    expect(await store.get('context', 'U1')).toBeNull();
    expect(await store.get('flow', 'U1')).toBeNull();
    expect(await store.get('context', 'U2')).toEqual({ c: 3 });
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

  it('says clearly that redis is not supported yet, and rejects other URLs', () => {
    expect(() => openStore('redis://localhost:6379/0')).toThrow(StoreConfigError);
    expect(() => openStore('redis://localhost:6379/0')).toThrow(/STORE_URL: redis:\/\/ is not supported yet/);
    expect(() => openStore('sqlite:')).toThrow(/STORE_URL/);
    expect(() => openStore('postgres://x')).toThrow(/STORE_URL/);
  });
});
