// Chooses the store from STORE_URL (../shared/CONTRACT.md §3).
import { resolve } from 'node:path';
import type { Logger } from '../log/logger.ts';
import { MemoryStore } from './memory.ts';
import { RedisStore } from './redis.ts';
import { SqliteStore } from './sqlite.ts';
import { StoreConfigError, type Store } from './store.ts';

/**
 * log: where a shared store reports connection problems. checkpoints: false leaves SQLite's WAL
 * checkpoints to the other threads' connections (sqlite.ts). waitForReplies: Redis's writes wait for
 * the replies awaited (redis.ts; by default in event threads only).
 */
export function openStore(
  url: string,
  log?: Logger,
  o: { checkpoints?: boolean; waitForReplies?: boolean } = {},
): Store {
  if (url === 'memory:') return new MemoryStore();
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (!path)
      throw new StoreConfigError('STORE_URL: sqlite: needs a file path, e.g. sqlite:./data/sagicheck.db');
    return new SqliteStore(path === ':memory:' ? path : resolve(path), Date.now, o);
  }
  if (/^rediss?:\/\//.test(url)) {
    const u = URL.parse(url);
    if (!u?.hostname)
      throw new StoreConfigError('STORE_URL: redis:// needs a host, e.g. redis://localhost:6379/0');
    if (u.pathname.length > 1 && !/^\/\d{1,2}$/.test(u.pathname))
      throw new StoreConfigError('STORE_URL: the database after the port must be a number, e.g. /0');
    // Connects in the background: until it does, operations wait (briefly) and /readyz says 503.
    return new RedisStore(url, { log, waitForReplies: o.waitForReplies });
  }
  throw new StoreConfigError(
    'STORE_URL: must be sqlite:PATH, memory:, redis://HOST:PORT[/DB] or rediss://HOST:PORT[/DB]',
  );
}
