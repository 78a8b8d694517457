// Acknowledged means durable (issue 15): the server as deployed (npm start: event thread, SQLite store)
// acknowledges 300 events through the signed webhook while LINE holds every reply it gets, is killed with
// SIGKILL, and is started again on the same store. Every one of the 300 must then be answered exactly
// once. The LINE stand-in here behaves like LINE where it matters: a reply token works once (a second
// use is 400 "Invalid reply token") and a reply it has received counts as delivered even when the
// sender dies before the answer, so a resumed event that replies again or pushes would be counted twice.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite.ts';
import { RedisStore } from '../../src/store/redis.ts';
import type { Store } from '../../src/store/store.ts';
import { freePort, startRedis, type RedisServer } from '../../scripts/stand-ins/redis-server.ts';
import { body, inUser, postWebhook, serverEnv, textEvent, waitFor } from '../../scripts/stand-ins/webhook.ts';

const MAIN = new URL('../../src/server/main.ts', import.meta.url).pathname;
const COUNT = 300;

interface StandIn {
  url: string;
  /** Replies delivered per reply token, pushes per user. */
  replies: Map<string, number>;
  pushes: Map<string, number>;
  held: number;
  /** While holding, replies are recorded as delivered but never answered. */
  hold: boolean;
  close(): Promise<void>;
}

async function startStandIn(): Promise<StandIn> {
  const held: ServerResponse[] = [];
  const s: StandIn = {
    url: '',
    replies: new Map(),
    pushes: new Map(),
    get held() {
      return held.length;
    },
    hold: true,
    close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
  const retryKeys = new Set<string>();
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      const send = (status: number, json: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      if (req.url === '/v2/bot/message/reply') {
        const { replyToken } = JSON.parse(raw) as { replyToken: string };
        if (s.replies.has(replyToken)) return send(400, { message: 'Invalid reply token' });
        s.replies.set(replyToken, 1);
        if (s.hold) return void held.push(res);
        return send(200, { sentMessages: [] });
      }
      if (req.url === '/v2/bot/message/push') {
        const key = String(req.headers['x-line-retry-key']);
        if (retryKeys.has(key)) return send(409, { message: 'The retry key is already accepted' });
        retryKeys.add(key);
        const { to } = JSON.parse(raw) as { to: string };
        s.pushes.set(to, (s.pushes.get(to) ?? 0) + 1);
        return send(200, { sentMessages: [] });
      }
      return send(202, {}); // the loading indicator
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  s.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return s;
}

const dir = mkdtempSync(join(tmpdir(), 'sagicheck-crash-'));
const children: ChildProcess[] = [];
let redis: RedisServer | null = null;
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Kind {
  url(): Promise<string>;
  /** Variables of the server as deployed with this store. */
  env: Record<string, string>;
  open(url: string): Store;
}

const kinds: [string, Kind][] = [
  [
    'SQLite',
    {
      url: async () => `sqlite:${join(dir, 'bot.db')}`,
      env: {},
      open: (url) => new SqliteStore(url.slice('sqlite:'.length)),
    },
  ],
  [
    // On Fly, a restarted Machine takes back its earlier run's leases at once (FLY_MACHINE_ID).
    'Redis, a restarted Fly Machine',
    {
      url: async () => (redis ??= await startRedis()).url,
      env: { FLY_MACHINE_ID: '148e21ea7e5089' },
      open: (url) => new RedisStore(url),
    },
  ],
];

async function start(port: number, lineUrl: string, storeUrl: string, more: Record<string, string>) {
  const logs: string[] = [];
  const child = spawn(process.execPath, [MAIN], {
    env: serverEnv(
      { port, lineUrl, storeUrl },
      { EVENT_THREADS: '1', LOG_LEVEL: 'info', SIMULATOR: '0', ...more },
    ),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let rest = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString('utf8')).split('\n');
    rest = lines.pop()!;
    logs.push(...lines);
  });
  child.stderr!.resume();
  await waitFor(
    () => child.exitCode === null && logs.some((l) => l.includes('detector ready')),
    40_000,
    'ready',
  );
  return { child, logs };
}

describe.each(kinds)('SIGKILL after 300 acknowledged events (%s)', { timeout: 120_000 }, (_name, kind) => {
  it('answers every one exactly once after a restart on the same store', async () => {
    const line = await startStandIn();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const storeUrl = await kind.url();
    try {
      const first = await start(port, line.url, storeUrl, kind.env);
      // One user per event: nothing waits for another event of its chat, all could run at once.
      const users = Array.from({ length: COUNT }, (_, i) => `U${String(i).padStart(32, '0')}`);
      const events = users.map((user) =>
        textEvent('【Amazon】お支払い方法に問題があります https://amazon-verify.top/login', inUser(user)),
      );
      for (let i = 0; i < COUNT; i += 10) {
        const batch = events.slice(i, i + 10);
        const sent = await Promise.all(batch.map((e) => postWebhook(base, body(e))));
        expect(sent.map((r) => r.status)).toEqual(batch.map(() => 200));
      }
      // Some answers are on their way (held by LINE), the rest wait in the backlog.
      await waitFor(() => line.held >= 10, 30_000, 'replies in flight');
      first.child.kill('SIGKILL');
      await new Promise((r) => first.child.once('exit', r));
      const inFlight = line.replies.size;
      expect(inFlight).toBeLessThan(COUNT);

      line.hold = false;
      const second = await start(port, line.url, storeUrl, kind.env);
      const answers = (i: number) =>
        (line.replies.get(events[i]!.replyToken) ?? 0) + (line.pushes.get(users[i]!) ?? 0);
      const answered = () => users.filter((_, i) => answers(i) > 0).length;
      await waitFor(() => answered() === COUNT, 60_000, 'all answered');
      await new Promise((r) => setTimeout(r, 1000)); // room for a second answer, were there one
      expect(users.map((_, i) => answers(i))).toEqual(users.map(() => 1));
      expect(line.pushes.size).toBe(0);
      expect(second.logs.find((l) => l.includes('acknowledged before the last stop'))).toContain(
        `"events":${COUNT}`,
      );
      // Nothing of the message text in the logs.
      expect(second.logs.join('\n')).not.toContain('お支払い');

      const exited = new Promise((r) => second.child.once('exit', r));
      second.child.kill('SIGTERM');
      await exited;
      const store = kind.open(storeUrl);
      expect(await store.backlog.stats()).toEqual({ count: 0, oldestReadyAt: null });
      await store.close();
    } finally {
      await line.close();
    }
  });
});
