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
import { freePort } from '../helpers/redis-server.ts';
import { body, inUser, postWebhook, serverEnv, textEvent, waitFor } from '../helpers/webhook.ts';

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
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function start(port: number, lineUrl: string, storeUrl: string) {
  const logs: string[] = [];
  const child = spawn(process.execPath, [MAIN], {
    env: serverEnv({ port, lineUrl, storeUrl }, { EVENT_THREADS: '1', LOG_LEVEL: 'info', SIMULATOR: '0' }),
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

describe('SIGKILL after 300 acknowledged events (SQLite)', { timeout: 120_000 }, () => {
  it('answers every one exactly once after a restart on the same store', async () => {
    const line = await startStandIn();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const file = join(dir, 'bot.db');
    try {
      const first = await start(port, line.url, `sqlite:${file}`);
      // One user per event: nothing waits for another event of its chat, all could run at once.
      const events = Array.from({ length: COUNT }, (_, i) =>
        textEvent(
          '【Amazon】お支払い方法に問題があります https://amazon-verify.top/login',
          inUser(`U${String(i).padStart(32, '0')}`),
        ),
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
      const second = await start(port, line.url, `sqlite:${file}`);
      const answered = () =>
        events.filter(
          (e) => (line.replies.get(e.replyToken) ?? 0) + (line.pushes.get(e.source.userId) ?? 0) > 0,
        ).length;
      await waitFor(() => answered() === COUNT, 60_000, 'all answered');
      await new Promise((r) => setTimeout(r, 1000)); // room for a second answer, were there one
      for (const e of events)
        expect((line.replies.get(e.replyToken) ?? 0) + (line.pushes.get(e.source.userId) ?? 0)).toBe(1);
      expect(line.pushes.size).toBe(0);
      expect(second.logs.find((l) => l.includes('acknowledged before the last stop'))).toContain(
        `"events":${COUNT}`,
      );
      // Nothing of the message text in the logs.
      expect(second.logs.join('\n')).not.toContain('お支払い');

      const exited = new Promise((r) => second.child.once('exit', r));
      second.child.kill('SIGTERM');
      await exited;
      const store = new SqliteStore(file);
      expect(await store.backlog.stats()).toEqual({ count: 0, oldestReadyAt: null });
      await store.close();
    } finally {
      await line.close();
    }
  });
});
