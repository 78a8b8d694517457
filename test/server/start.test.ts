// `npm start` as deployed: the server process with its event thread (EVENT_THREADS, src/server/
// event-threads.ts) and the sqlite store, answering signed webhooks through a stand-in LINE API on 127.0.0.1, and
// stopping on SIGTERM only after every accepted event has been answered.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLine, type FakeLine } from '../../scripts/stand-ins/fake-line.ts';
import { body, inUser, postWebhook, serverEnv, textEvent, waitFor } from '../../scripts/stand-ins/webhook.ts';
import { freePort } from '../../scripts/stand-ins/redis-server.ts';

const MAIN = new URL('../../src/server/main.ts', import.meta.url).pathname;
const PHISHING =
  '【Amazon】お支払い方法に問題があります。24時間以内に https://amazon-verify.top/login で更新してください';
const GENUINE = '明日の打ち合わせは10時からです。よろしくお願いします。';

let fake: FakeLine;
let dir: string;
let server: ChildProcess;
let base: string;
const logs: string[] = [];

const replies = () =>
  fake
    .callsTo('reply')
    .map((c) => c.body as { replyToken: string; messages: { altText?: string; text?: string }[] });

beforeAll(async () => {
  fake = await startFakeLine();
  dir = mkdtempSync(join(tmpdir(), 'sagicheck-start-'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, [MAIN], {
    env: serverEnv(
      { port, lineUrl: fake.url, storeUrl: `sqlite:${join(dir, 'bot.db')}` },
      { EVENT_THREADS: '1', LOG_LEVEL: 'info', SIMULATOR: '0' },
    ),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let rest = '';
  server.stdout!.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString('utf8')).split('\n');
    rest = lines.pop()!;
    logs.push(...lines);
  });
  server.stderr!.resume();
  await waitFor(
    () => server.exitCode === null && logs.some((l) => l.includes('detector ready')),
    30_000,
    'ready',
  );
  expect((await fetch(`${base}/readyz`)).status).toBe(200);
}, 40_000);

afterAll(async () => {
  if (server.exitCode === null) server.kill('SIGKILL');
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('npm start', { timeout: 30_000 }, () => {
  it('answers in its event thread each message with the verdict label first', async () => {
    expect(logs.find((l) => l.includes('detector ready'))).toContain('"eventThreads":1');
    const events = [textEvent(PHISHING, inUser()), textEvent(GENUINE, inUser('U' + '3'.repeat(32)))];
    expect((await postWebhook(base, body(...events))).status).toBe(200);
    await waitFor(() => replies().length === 2, 10_000, 'two replies');
    const first = (token: string) => {
      const m = replies().find((r) => r.replyToken === token)!.messages[0]!;
      return m.altText ?? m.text ?? '';
    };
    expect(first(events[0]!.replyToken)).toMatch(/^【危険】/);
    expect(first(events[1]!.replyToken)).toMatch(/^【危険なサインは見つかりません】/);
    // /metrics adds the event thread's figures to the server thread's, each series once.
    const m = await (await fetch(`${base}/metrics`)).text();
    expect(m).toMatch(/^sagicheck_verdicts_total\{risk="high",brand="amazon"\} 1$/m);
    expect(m).toMatch(/^sagicheck_events_total\{type="message",message="text"\} 2$/m);
    expect(m.match(/^process_resident_memory_bytes /gm)).toHaveLength(1);
    // What the person sent never reaches the log.
    expect(logs.join('\n')).not.toContain('amazon-verify');
    expect(logs.join('\n')).not.toContain('打ち合わせ');
  });

  // Linux keeps a nice value per thread: the event thread's setPriority (event-worker.ts) puts it
  // below the thread that acknowledges webhooks, not the whole process.
  it.runIf(process.platform === 'linux')('runs its event thread below the acknowledging thread', () => {
    const nice = new Map<string, number[]>();
    for (const tid of readdirSync(`/proc/${server.pid}/task`)) {
      let stat: string;
      try {
        stat = readFileSync(`/proc/${server.pid}/task/${tid}/stat`, 'utf8');
      } catch {
        continue; // a helper thread that ended meanwhile
      }
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      // Field 19 of stat: the nice value (fields counted after the name's closing bracket from 3).
      const value = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
      nice.set(name, [...(nice.get(name) ?? []), value]);
    }
    expect(nice.get('MainThread')).toEqual([0]);
    // Threads the event thread starts (OCR, mail parsing) inherit its value.
    expect([...new Set(nice.get('WorkerThread'))]).toEqual([10]);
  });

  it('on SIGTERM, answers every event it accepted, then exits 0', async () => {
    fake.setDelay('reply', 300); // LINE is slow: answers are still going out when the signal comes
    const before = replies().length;
    const events = Array.from({ length: 6 }, (_, i) => textEvent(PHISHING, inUser(`U${'4'.repeat(31)}${i}`)));
    expect((await postWebhook(base, body(...events))).status).toBe(200);
    const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    const tokens = replies()
      .slice(before)
      .map((r) => r.replyToken);
    expect(new Set(tokens)).toEqual(new Set(events.map((e) => e.replyToken)));
    expect(logs.some((l) => l.includes('"msg":"stopped"'))).toBe(true);
  });
});
