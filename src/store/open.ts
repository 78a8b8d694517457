// Chooses the store from STORE_URL (../shared/CONTRACT.md §3).
import { resolve } from 'node:path';
import { MemoryStore } from './memory.ts';
import { SqliteStore } from './sqlite.ts';
import { StoreConfigError, type Store } from './store.ts';

export function openStore(url: string): Store {
  if (url === 'memory:') return new MemoryStore();
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (!path)
      throw new StoreConfigError('STORE_URL: sqlite: needs a file path, e.g. sqlite:./data/sagicheck.db');
    return new SqliteStore(path === ':memory:' ? path : resolve(path));
  }
  if (/^rediss?:\/\//.test(url))
    throw new StoreConfigError(
      'STORE_URL: redis:// is not supported yet; use sqlite:PATH (one machine) or memory: (tests)',
    );
  throw new StoreConfigError('STORE_URL: must be sqlite:PATH, memory: or redis://HOST:PORT[/DB]');
}
