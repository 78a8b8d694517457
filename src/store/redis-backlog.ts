// The event backlog (store.ts, Backlog) in Redis, shared by every machine. Five keys under one hash tag,
// so each Lua script names every key it touches and they all live in one slot:
//   {backlog}:order  sorted set: event id by arrival number (the order events are taken in)
//   {backlog}:meta   hash: event id → "chat \t at \t attempts \t sending \t owner \t leaseUntil"
//   {backlog}:body   hash: event id → the sealed event (src/server/backlog.ts), never in the clear
//   {backlog}:done   sorted set: event id by the time its dedupe claim runs out
//   {backlog}:seq    the arrival counter
// Each operation is one script: atomic across machines, one round trip. A take looks at the first
// SCAN events only (far more than a machine answers at once), so its cost stays bounded; it also
// completes the events its consumer finished since the last take.
import type { Redis } from 'ioredis';
import { RedisScript } from './redis-script.ts';
import type { Backlog, BacklogEntry, BacklogItem, BacklogStats, Finished } from './store.ts';

const SCAN = 2000;

// Parses a meta value; Lua patterns here are anchored and linear.
const META = `
local function meta(v)
  local chat, at, attempts, sending, owner, lease =
    string.match(v, '^([^\\t]*)\\t([^\\t]*)\\t([^\\t]*)\\t([^\\t]*)\\t([^\\t]*)\\t([^\\t]*)$')
  return { chat = chat, at = at, attempts = tonumber(attempts), sending = sending, owner = owner, lease = tonumber(lease) }
end
local function pack(m)
  return m.chat .. '\\t' .. m.at .. '\\t' .. m.attempts .. '\\t' .. m.sending .. '\\t' .. m.owner .. '\\t' .. string.format('%.0f', m.lease)
end
`;

// KEYS order meta body done seq; ARGV now, dedupeMs, then id, chat, body per event.
const ENQUEUE = `
local now = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now)
local out = {}
for i = 3, #ARGV, 3 do
  local id = ARGV[i]
  if redis.call('ZSCORE', KEYS[4], id) or redis.call('HEXISTS', KEYS[2], id) == 1 then
    out[#out + 1] = 0
  else
    redis.call('ZADD', KEYS[1], redis.call('INCR', KEYS[5]), id)
    redis.call('HSET', KEYS[2], id, ARGV[i + 1] .. '\\t' .. ARGV[1] .. '\\t0\\t0\\t\\t0')
    redis.call('HSET', KEYS[3], id, ARGV[i + 2])
    redis.call('ZADD', KEYS[4], now + tonumber(ARGV[2]), id)
    out[#out + 1] = 1
  end
end
return out`;

// KEYS order meta body done; ARGV now, leaseUntil, owner, max, scan, then id and answered ('1' or '0')
// of each finished event. Completes those first (as COMPLETE), then leases: a consumer's finished
// events and its next batch in one round trip. Only the first event of each chat counts. The order is
// read in growing pieces, not SCAN ids at once: a take usually stops within the first few dozen.
const TAKE = `${META}
local now, max, scan = tonumber(ARGV[1]), tonumber(ARGV[4]), tonumber(ARGV[5])
for i = 6, #ARGV, 2 do
  local v = redis.call('HGET', KEYS[2], ARGV[i])
  if v and meta(v).owner == ARGV[3] then
    redis.call('ZREM', KEYS[1], ARGV[i])
    redis.call('HDEL', KEYS[2], ARGV[i])
    redis.call('HDEL', KEYS[3], ARGV[i])
    if ARGV[i + 1] == '0' then redis.call('ZREM', KEYS[4], ARGV[i]) end
  end
end
local seen, out = {}, {}
local from, size = 0, 64
while #out < max and from < scan do
  local ids = redis.call('ZRANGE', KEYS[1], from, math.min(from + size, scan) - 1)
  for _, id in ipairs(ids) do
    if #out >= max then break end
    local v = redis.call('HGET', KEYS[2], id)
    if v then
      local m = meta(v)
      if not seen[m.chat] then
        seen[m.chat] = true
        if m.lease <= now then
          m.attempts, m.owner, m.lease = m.attempts + 1, ARGV[3], tonumber(ARGV[2])
          redis.call('HSET', KEYS[2], id, pack(m))
          out[#out + 1] = { id, m.chat, redis.call('HGET', KEYS[3], id) or '', m.at, tostring(m.attempts), m.sending }
        end
      end
    end
  end
  if #ids < size then break end
  from, size = from + size, size * 2
end
return out`;

// KEYS meta; ARGV owner (renew) or owner prefix (release; '' for every owner), leaseUntil, 'renew' or
// 'release'.
const LEASES = `${META}
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  local m = meta(all[i + 1])
  local mine
  if ARGV[3] == 'renew' then mine = m.owner == ARGV[1]
  else mine = string.sub(m.owner, 1, #ARGV[1]) == ARGV[1] end
  if mine and m.owner ~= '' then
    if ARGV[3] == 'release' then m.owner = '' end
    m.lease = tonumber(ARGV[2])
    redis.call('HSET', KEYS[1], all[i], pack(m))
  end
end
return 1`;

// KEYS meta; ARGV id, owner.
const SENDING = `${META}
local v = redis.call('HGET', KEYS[1], ARGV[1])
if not v then return 0 end
local m = meta(v)
if m.owner ~= ARGV[2] then return 0 end
m.sending = '1'
redis.call('HSET', KEYS[1], ARGV[1], pack(m))
return 1`;

// Before every reply: called by SHA, its command written by ./redis-script.ts (see there why).
const SENDING_SCRIPT = new RedisScript(SENDING, 1);

// KEYS order meta body done; ARGV id, owner, answered ('1' or '0').
const COMPLETE = `${META}
local v = redis.call('HGET', KEYS[2], ARGV[1])
if not v or meta(v).owner ~= ARGV[2] then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
if ARGV[3] == '0' then redis.call('ZREM', KEYS[4], ARGV[1]) end
return 1`;

// KEYS meta; ARGV owner, then the ids taken and never started.
const GIVE_BACK = `${META}
for i = 2, #ARGV do
  local v = redis.call('HGET', KEYS[1], ARGV[i])
  if v then
    local m = meta(v)
    if m.owner == ARGV[1] then
      m.owner, m.lease, m.attempts = '', 0, m.attempts - 1
      redis.call('HSET', KEYS[1], ARGV[i], pack(m))
    end
  end
end
return 1`;

// KEYS order meta; ARGV now, scan. Returns count and the oldest arrival among takeable events.
const STATS = `${META}
local now = tonumber(ARGV[1])
local seen, oldest = {}, false
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[2]) - 1)) do
  local v = redis.call('HGET', KEYS[2], id)
  if v then
    local m = meta(v)
    if not seen[m.chat] then
      seen[m.chat] = true
      if m.lease <= now and (not oldest or tonumber(m.at) < tonumber(oldest)) then oldest = m.at end
    end
  end
end
return { redis.call('ZCARD', KEYS[1]), oldest or '' }`;

interface Scripts {
  backlogEnqueue(...args: (string | number)[]): Promise<number[]>;
  backlogTake(...args: (string | number)[]): Promise<string[][]>;
  backlogLeases(...args: (string | number)[]): Promise<number>;
  backlogComplete(...args: (string | number)[]): Promise<number>;
  backlogStats(...args: (string | number)[]): Promise<[number, string]>;
  backlogGiveBack(...args: (string | number)[]): Promise<number>;
}

type Run = <T>(op: string, f: () => Promise<T>) => Promise<T>;

export class RedisBacklog implements Backlog {
  private readonly client: Redis & Scripts;
  private readonly k: { order: string; meta: string; body: string; done: string; seq: string };
  private readonly now: () => number;
  private readonly run: Run;
  private readonly flushWrites: () => void;

  /** flushWrites: sends the commands the client holds back for the end of the turn (redis.ts) now. */
  constructor(client: Redis, prefix: string, now: () => number, run: Run, flushWrites = () => {}) {
    this.now = now;
    this.run = run;
    this.flushWrites = flushWrites;
    client.defineCommand('backlogEnqueue', { numberOfKeys: 5, lua: ENQUEUE });
    client.defineCommand('backlogTake', { numberOfKeys: 4, lua: TAKE });
    client.defineCommand('backlogLeases', { numberOfKeys: 1, lua: LEASES });
    client.defineCommand('backlogComplete', { numberOfKeys: 4, lua: COMPLETE });
    client.defineCommand('backlogStats', { numberOfKeys: 2, lua: STATS });
    client.defineCommand('backlogGiveBack', { numberOfKeys: 1, lua: GIVE_BACK });
    this.client = client as Redis & Scripts;
    const key = (name: string) => `${prefix}{backlog}:${name}`;
    this.k = {
      order: key('order'),
      meta: key('meta'),
      body: key('body'),
      done: key('done'),
      seq: key('seq'),
    };
  }

  async enqueue(items: BacklogItem[], dedupeMs: number): Promise<boolean[]> {
    if (items.length === 0) return [];
    const { order, meta, body, done, seq } = this.k;
    const args = items.flatMap((i) => [i.id, i.chat, i.body]);
    const out = await this.run('backlog enqueue', () => {
      const sent = this.client.backlogEnqueue(
        order,
        meta,
        body,
        done,
        seq,
        this.now(),
        Math.ceil(dedupeMs),
        ...args,
      );
      // The webhooks of a turn are written in one call already (intake.ts) and their 200s wait for
      // it: it leaves now, not one more turn of the event loop later.
      this.flushWrites();
      return sent;
    });
    return out.map((n) => n === 1);
  }

  async take(
    owner: string,
    max: number,
    leaseMs: number,
    finished: Finished[] = [],
  ): Promise<BacklogEntry[]> {
    const t = this.now();
    const { order, meta, body, done } = this.k;
    const args: string[] = [];
    for (const f of finished) args.push(f.id, f.answered ? '1' : '0');
    const rows = await this.run('backlog take', () =>
      this.client.backlogTake(order, meta, body, done, t, t + leaseMs, owner, max, SCAN, ...args),
    );
    return rows.map(([id, chat, b, at, attempts, sending]) => ({
      id: id!,
      chat: chat!,
      body: b!,
      at: Number(at),
      attempts: Number(attempts),
      sending: sending === '1',
    }));
  }

  async renew(owner: string, leaseMs: number): Promise<void> {
    await this.run('backlog renew', () =>
      this.client.backlogLeases(this.k.meta, owner, this.now() + leaseMs, 'renew'),
    );
  }

  async markSending(id: string, owner: string): Promise<void> {
    await this.run('backlog markSending', () => SENDING_SCRIPT.call(this.client, [this.k.meta, id, owner]));
  }

  async complete(id: string, owner: string, answered: boolean): Promise<void> {
    const { order, meta, body, done } = this.k;
    await this.run('backlog complete', () =>
      this.client.backlogComplete(order, meta, body, done, id, owner, answered ? '1' : '0'),
    );
  }

  async release(owner?: string): Promise<void> {
    await this.run('backlog release', () =>
      this.client.backlogLeases(this.k.meta, owner ?? '', 0, 'release'),
    );
  }

  async giveBack(owner: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.run('backlog giveBack', () => this.client.backlogGiveBack(this.k.meta, owner, ...ids));
  }

  async stats(): Promise<BacklogStats> {
    const [count, oldest] = await this.run('backlog stats', () =>
      this.client.backlogStats(this.k.order, this.k.meta, this.now(), SCAN),
    );
    return { count: Number(count), oldestReadyAt: oldest === '' ? null : Number(oldest) };
  }
}
