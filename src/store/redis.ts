// The shared store for several machines: STORE_URL=redis://HOST:PORT[/DB] or rediss:// (TLS), e.g.
// Upstash Redis from `fly redis create`. Same behaviour as memory.ts and sqlite.ts (one test suite
// runs against all three).
//
// Keys (prefix "sagicheck:" by default, so the bot can share a database):
//   sagicheck:event:<webhookEventId>  "1", written with SET NX PX: of two machines given the same event,
//                                     exactly one gets OK. Redis expires it.
//   sagicheck:subject:<chat id>       a hash with one field per record kind (ns); each value is
//                                     "<expiresAt ms>:<JSON>". A read treats a field past its time as
//                                     absent. The key itself expires with its longest-lived field, so
//                                     nothing outlives its own expiry by more than that; deleteSubject is
//                                     one DEL of one key (no index to keep in step, no SCAN), and every
//                                     command names the keys it touches (Lua scripts included): one,
//                                     but for incrementAndGet's two (a chat's rate counter and its
//                                     record; one database, as Upstash's, not a Redis Cluster).
//   sagicheck:{backlog}:…             the acknowledged events waiting to be answered (redis-backlog.ts).
// Writes that read first (increment) or touch the key's expiry (set) are Lua scripts: atomic across
// machines. Record times use the machine's clock, as the other stores do; NTP keeps machines within
// milliseconds, which is nothing next to expiries of minutes and hours.
//
// When Redis is unreachable the process keeps running: operations fail with a StoreError (the event is
// logged and the person gets the apology) — at once when Redis refuses the connection, within
// COMMAND_TIMEOUT_MS when it does not answer at all — /readyz answers 503, and the client reconnects
// on its own. Connection problems are logged once per outage.
import type { Socket } from 'node:net';
import { isMainThread } from 'node:worker_threads';
import { Redis } from 'ioredis';
import type { Logger } from '../log/logger.ts';
import { RedisBacklog } from './redis-backlog.ts';
import { RedisScript } from './redis-script.ts';
import { StoreError, type Backlog, type Json, type Store } from './store.ts';

/**
 * Generous on purpose: a busy machine can stall its event loop for a second or more, and a timeout that
 * fires then is a false alarm (the answer is there, unread) that turns a verdict into an apology.
 */
export const COMMAND_TIMEOUT_MS = 5000;

const SET_RECORD = `
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return 1`;

// ARGV: field, now (ms), ttl (ms). A live counter goes up and keeps its expiry; otherwise it starts at 1.
const INCREMENT = `
local now = tonumber(ARGV[2])
local n, exp = 1, now + tonumber(ARGV[3])
local v = redis.call('HGET', KEYS[1], ARGV[1])
if v then
  local sep = string.find(v, ':', 1, true)
  local e = tonumber(string.sub(v, 1, sep - 1))
  if e > now then
    local old = tonumber(string.sub(v, sep + 1))
    if not old then return redis.error_reply('ERR record is not a counter') end
    n, exp = old + 1, e
  end
end
redis.call('HSET', KEYS[1], ARGV[1], string.format('%.0f:%.0f', exp, n))
if redis.call('PTTL', KEYS[1]) < exp - now then redis.call('PEXPIRE', KEYS[1], exp - now) end
return n`;

// KEYS: the counter's subject, the record's subject; ARGV: as INCREMENT, then the record's field.
// The count goes up as INCREMENT, and the record is read in the same script: one command, not two.
const INCREMENT_GET = `${INCREMENT.replace(/\nreturn n$/, '')}
return { n, redis.call('HGET', KEYS[2], ARGV[4]) or '' }`;

// Called on every event: by SHA, their commands written by ./redis-script.ts rather than ioredis's
// defineCommand (its per-call cost is in that file's header).
const SCRIPTS = {
  /** KEYS subject; ARGV field, value, ttl (ms). */
  set: new RedisScript(SET_RECORD, 1),
  /** KEYS subject; ARGV field, now (ms), ttl (ms). */
  increment: new RedisScript(INCREMENT, 1),
  /** KEYS counter's subject, record's subject; ARGV counter's field, now, ttl, record's field. */
  incrementGet: new RedisScript(INCREMENT_GET, 2),
};

export interface RedisStoreOptions {
  /** Connection problems are logged here (never keys or values). */
  log?: Logger;
  prefix?: string;
  now?: () => number;
  /** COMMAND_TIMEOUT_MS unless given (tests). */
  commandTimeoutMs?: number;
  /**
   * A command sent while others wait for replies waits for those (≤ 1 ms) to share their write
   * (coalesceWrites). By default in event threads (many events at once, CPU per event counts), not in
   * the server's thread (the webhook's acknowledgement waits for its backlog write).
   */
  waitForReplies?: boolean;
}

export class RedisStore implements Store {
  private readonly client: Redis;
  private readonly prefix: string;
  private readonly now: () => number;
  private closed = false;
  private readonly sweep: NodeJS.Timeout;
  readonly backlog: Backlog;

  constructor(url: string, opts: RedisStoreOptions = {}) {
    this.prefix = opts.prefix ?? 'sagicheck:';
    this.now = opts.now ?? Date.now;
    const client = new Redis(url, {
      connectTimeout: 5000,
      // No commandTimeout: failCommandsAfter below does its work with one timer for all commands.
      // While reconnecting, commands wait for the next attempt, then fail.
      maxRetriesPerRequest: 1,
      retryStrategy: (times) => Math.min(50 * 2 ** times, 2000),
      // Not ioredis's auto-pipelining: its Pipeline object per tick cost ~20 µs of CPU per event (four
      // commands); coalesceWrites below already sends every command of a turn in one write.
      enableAutoPipelining: false,
    });
    const queues = client as unknown as { stream: Socket; commandQueue: { length: number } };
    let flushWrites = () => {};
    client.on('connect', () => {
      flushWrites = coalesceWrites(
        queues.stream,
        () => queues.commandQueue.length,
        opts.waitForReplies ?? !isMainThread,
      );
    });
    // A command waits at most this long, connected or not: a Redis that stops answering slows events
    // down by this much at worst, never holds them.
    this.sweep = failCommandsAfter(client, opts.commandTimeoutMs ?? COMMAND_TIMEOUT_MS);
    this.client = client;
    this.backlog = new RedisBacklog(
      client,
      this.prefix,
      this.now,
      (op, f) => this.run(op, f),
      () => flushWrites(),
    );

    // Without an 'error' listener ioredis prints every failed attempt; log each outage once instead.
    const log = opts.log;
    let down = false;
    client.on('error', (err: Error & { code?: string }) => {
      if (down || this.closed) return;
      down = true;
      log?.error(
        { err: { type: err.name, message: err.message, code: err.code } },
        'redis store unavailable',
      );
    });
    client.on('ready', () => {
      if (!down) return;
      down = false;
      log?.info('redis store available again');
    });
  }

  async claimEvent(eventId: string, ttlMs: number): Promise<boolean> {
    const ok = await this.run('claimEvent', () =>
      this.client.set(`${this.prefix}event:${eventId}`, '1', 'PX', ms(ttlMs), 'NX'),
    );
    return ok === 'OK';
  }

  async get<T = Json>(ns: string, subject: string): Promise<T | null> {
    return this.record<T>(await this.run('get', () => this.client.hget(this.key(subject), ns)));
  }

  async incrementAndGet<T = Json>(
    counter: { ns: string; subject: string; ttlMs: number },
    read: { ns: string; subject: string },
  ): Promise<[number, T | null]> {
    const [n, v] = await this.run('increment', () =>
      SCRIPTS.incrementGet.call<[number, string]>(this.client, [
        this.key(counter.subject),
        this.key(read.subject),
        counter.ns,
        this.now(),
        ms(counter.ttlMs),
        read.ns,
      ]),
    );
    return [n, this.record<T>(v === '' ? null : v)];
  }

  /** A stored value "<expiresAt ms>:<JSON>", or null when absent or past its time. */
  private record<T>(v: string | null): T | null {
    if (v === null) return null;
    const sep = v.indexOf(':');
    if (Number(v.slice(0, sep)) <= this.now()) return null;
    return JSON.parse(v.slice(sep + 1)) as T;
  }

  async set(ns: string, subject: string, value: Json, ttlMs: number): Promise<void> {
    const expiresAt = this.now() + ms(ttlMs);
    await this.run('set', () =>
      SCRIPTS.set.call(this.client, [
        this.key(subject),
        ns,
        `${expiresAt}:${JSON.stringify(value)}`,
        ms(ttlMs),
      ]),
    );
  }

  async increment(ns: string, subject: string, ttlMs: number): Promise<number> {
    return this.run('increment', () =>
      SCRIPTS.increment.call<number>(this.client, [this.key(subject), ns, this.now(), ms(ttlMs)]),
    );
  }

  async delete(ns: string, subject: string): Promise<void> {
    await this.run('delete', () => this.client.hdel(this.key(subject), ns));
  }

  async deleteSubject(subject: string): Promise<void> {
    await this.run('deleteSubject', () => this.client.del(this.key(subject)));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.sweep);
    // QUIT lets replies in flight arrive; a Redis that is gone gets a second, then the socket closes.
    await Promise.race([this.client.quit().catch(() => {}), new Promise((r) => setTimeout(r, 1000).unref())]);
    this.client.disconnect();
  }

  private key(subject: string): string {
    return `${this.prefix}subject:${subject}`;
  }

  /** Errors carry the operation and Redis's reason, never the key (it holds a chat id). */
  private async run<T>(op: string, f: () => Promise<T>): Promise<T> {
    if (this.closed) throw new StoreError('store is closed');
    try {
      return await f();
    } catch (err) {
      throw new StoreError(`redis store: ${op} failed: ${(err as Error).message}`, { cause: err });
    }
  }
}

/**
 * The commands of one turn of the event loop leave in one write: the events answered at once each
 * issue theirs in a tick of their own (as each one's previous reply arrives), and every write to the
 * socket is a system call that costs more CPU than the command itself. Corked at the first write of a
 * turn, uncorked (one writev) once the turn's I/O callbacks have run.
 *
 * `waitForReplies`: while earlier commands still wait for their replies, the write waits for those
 * replies to arrive (and for what their callbacks send in turn), at most WAIT_MS: under load a reply
 * arrives for some event all the time, and each event's next command then shares a write with the
 * others' instead of taking one of its own (a drain of 3,000 events: ~1.8 → ~1.4 writes per event).
 * Nothing waiting for a reply, it leaves at the end of the turn as before: a lone command is never held.
 * Returns what sends the corked commands at once (a caller that knows its turn writes nothing more).
 */
function coalesceWrites(socket: Socket, waiting: () => number, waitForReplies: boolean): () => void {
  let corked = false;
  let armed = false;
  let timer: NodeJS.Timeout | null = null;
  const flush = () => {
    if (!corked) return;
    corked = armed = false;
    if (timer) clearTimeout(timer);
    timer = null;
    socket.uncork();
  };
  // Replies in: what their callbacks send is written once this turn's I/O callbacks have run.
  socket.prependListener('data', () => {
    if (armed) {
      armed = false;
      setImmediate(flush);
    }
  });
  const write = socket.write;
  socket.write = function (this: Socket, ...args: Parameters<Socket['write']>) {
    if (!corked) {
      corked = true;
      socket.cork();
      if (waitForReplies && waiting() > 0) {
        armed = true;
        timer = setTimeout(flush, WAIT_MS);
      } else setImmediate(flush);
    }
    return write.apply(this, args);
  } as Socket['write'];
  return flush;
}
const WAIT_MS = 1;

interface Waiting {
  length: number;
  peekAt(i: number): { command: { isSettled?: boolean; reject(err: Error): void } } | undefined;
}

/**
 * Fails every command still unanswered timeoutMs after it was sent (or queued while disconnected), as
 * ioredis's commandTimeout does ("Command timed out"), but with one timer for all: commandTimeout sets
 * and clears a timer for each command (~2–3 µs of CPU each, four or five commands per event). A sweep
 * every SWEEP_MS notes when it first saw each command, so a command fails between timeoutMs − SWEEP_MS
 * and timeoutMs after it was sent. Reads ioredis's two queues of waiting commands (ioredis 6:
 * commandQueue, offlineQueue; test/store/redis-timeout.test.ts holds the behaviour).
 */
function failCommandsAfter(client: Redis, timeoutMs: number): NodeJS.Timeout {
  const sweepMs = Math.min(SWEEP_MS, timeoutMs);
  const seen = new WeakMap<object, number>();
  const queues = client as unknown as { commandQueue?: Waiting; offlineQueue?: Waiting };
  return setInterval(() => {
    const now = Date.now();
    for (const queue of [queues.commandQueue, queues.offlineQueue]) {
      for (let i = 0; queue && i < queue.length; i++) {
        const command = queue.peekAt(i)?.command;
        if (!command || command.isSettled) continue;
        const since = seen.get(command);
        if (since === undefined) seen.set(command, now);
        else if (now - since >= timeoutMs - sweepMs) command.reject(new Error('Command timed out'));
      }
    }
  }, sweepMs).unref();
}
const SWEEP_MS = 250;

/** Redis expiries are whole milliseconds, at least one. */
function ms(ttlMs: number): number {
  return Math.max(1, Math.ceil(ttlMs));
}
