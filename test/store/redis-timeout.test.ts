// A Redis that stops answering: every store command fails after the command timeout, whether it was
// sent (the server is stopped with SIGSTOP: connected, silent) or waits for a connection (a server that
// accepts and never answers), and the store works again once Redis answers. The timeout is one sweep
// over ioredis's queues (src/store/redis.ts), not a timer per command: this holds it to its word.
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/store/redis.ts';
import { StoreError } from '../../src/store/store.ts';
import { startRedis, type RedisServer } from '../../scripts/stand-ins/redis-server.ts';

const TIMEOUT_MS = 800;

/** How long the call took to fail, and its error. */
async function failure(call: Promise<unknown>): Promise<{ ms: number; err: unknown }> {
  const t0 = performance.now();
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  return { ms: performance.now() - t0, err };
}

// Both ways of writing: each turn's commands at its end, or (event threads) after the replies awaited.
describe.each([false, true])(
  'a Redis that does not answer (writes wait for replies: %s)',
  { timeout: 20_000 },
  (waitForReplies) => {
    let redis: RedisServer;
    beforeAll(async () => {
      redis = await startRedis();
    });
    afterAll(async () => {
      process.kill(redis.pid, 'SIGCONT');
      await redis?.stop();
    });

    it('fails the commands sent to it within the timeout, and works again when it answers', async () => {
      const store = new RedisStore(redis.url, { commandTimeoutMs: TIMEOUT_MS, waitForReplies });
      try {
        await store.set('context', 'U1', { a: 1 }, 60_000);
        process.kill(redis.pid, 'SIGSTOP');
        const first = failure(store.get('context', 'U1'));
        // Sent a turn later, while the first waits for its reply: it still leaves, and fails in time.
        await new Promise((r) => setImmediate(r));
        const [get, incr] = await Promise.all([first, failure(store.increment('rate', 'U1', 60_000))]);
        process.kill(redis.pid, 'SIGCONT');
        for (const { ms, err } of [get, incr]) {
          expect(err).toBeInstanceOf(StoreError);
          expect((err as Error).message).toMatch(/timed out/);
          expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 300);
          expect(ms).toBeLessThan(TIMEOUT_MS + 2000);
        }
        expect(await store.get('context', 'U1')).toEqual({ a: 1 });
      } finally {
        process.kill(redis.pid, 'SIGCONT');
        await store.close();
      }
    });

    it('fails a command that waits for a server that never answers', async () => {
      const sockets = new Set<Socket>();
      const silent = createServer((s) => void sockets.add(s));
      await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
      const store = new RedisStore(`redis://127.0.0.1:${(silent.address() as AddressInfo).port}`, {
        commandTimeoutMs: TIMEOUT_MS,
        waitForReplies,
      });
      try {
        const { ms, err } = await failure(store.get('context', 'U1'));
        expect(err).toBeInstanceOf(StoreError);
        expect(ms).toBeLessThan(TIMEOUT_MS + 2000);
      } finally {
        await store.close();
        for (const s of sockets) s.destroy();
        silent.close();
      }
    });
  },
);
