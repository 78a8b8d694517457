// Issue 15's hostile files against the server as deployed: `node src/server/main.ts` (event thread, OCR
// workers, SQLite) gets each through a signed webhook, its bytes served by a stand-in LINE API on
// 127.0.0.1; a text from another person follows 1 s later. Wall-clock times and the server's RSS (the
// whole process, from /proc, sampled every 20 ms) are returned for the test to check and the bench to
// report.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeLine, type FakeLine } from '../../stand-ins/fake-line.ts';
import { freePort } from '../../stand-ins/redis-server.ts';
import {
  body,
  inUser,
  messageEvent,
  postWebhook,
  serverEnv,
  textEvent,
  waitFor,
} from '../../stand-ins/webhook.ts';
import { hostileCases, type HostileCase } from '../../fixtures/hostile-inputs.ts';
import { stop, waitReady } from './server-process.ts';

const MAIN = new URL('../../../src/server/main.ts', import.meta.url).pathname;
const TEXT = '【佐川急便】お荷物をお届けにあがりましたが不在の為持ち帰りました。 https://sagawa-jp.top/';

export interface HostileResult {
  case: Pick<HostileCase, 'name' | 'boundMs' | 'answer'>;
  /** Webhook sent → reply at the stand-in; null: no answer within the wait. */
  ms: number | null;
  /** The answer as read in the chat: each message's text (a card's altText), one per line. */
  said: string;
  /** The text sent 1 s after it: webhook → reply. */
  textMs: number | null;
  textAnswered: boolean;
  /** Status of the webhook POSTs (LINE needs 200). */
  statuses: number[];
  /** The server's peak RSS from sending it until both answers were in. */
  peakRss: number;
}

export interface HostileRun {
  restRss: number;
  peakRss: number;
  results: HostileResult[];
}

type Msg = { type: string; text?: string; altText?: string };

export async function hostileServer(o: { waitMs?: number } = {}): Promise<HostileRun> {
  const waitMs = o.waitMs ?? 120_000;
  const fake = await startFakeLine();
  const dir = mkdtempSync(join(tmpdir(), 'sagicheck-hostile-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, [MAIN], {
    env: serverEnv(
      { port, lineUrl: fake.url, storeUrl: `sqlite:${join(dir, 'hostile.db')}` },
      { RATE_LIMIT_USER: 'off', LOG_LEVEL: 'warn' },
    ),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const rss = () =>
    Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))![1]) * 1024;
  let sampler: NodeJS.Timeout | undefined;
  try {
    const cases = await hostileCases();
    await waitReady(base, server);
    // The OCR workers start and warm up after the dictionary: wait until the memory stops growing.
    let rest = rss();
    for (let last = 0, i = 0; Math.abs(rest - last) > 2e6 && i < 60; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      [last, rest] = [rest, rss()];
    }
    let peak = rest;
    let casePeak = rest;
    sampler = setInterval(() => {
      if (server.exitCode !== null) return;
      const now = rss();
      peak = Math.max(peak, now);
      casePeak = Math.max(casePeak, now);
    }, 20);
    const results: HostileResult[] = [];
    for (const c of cases) {
      casePeak = rss();
      const r = await sendCase(c, fake, base, waitMs);
      results.push({ ...r, peakRss: casePeak });
    }
    return { restRss: rest, peakRss: peak, results };
  } finally {
    clearInterval(sampler);
    await stop(server);
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function sendCase(
  c: HostileCase,
  fake: FakeLine,
  base: string,
  waitMs: number,
): Promise<Omit<HostileResult, 'peakRss'>> {
  const replyTo = (token: string) =>
    waitFor(
      () => {
        const call = fake
          .callsTo('reply')
          .find((x) => (x.body as { replyToken: string }).replyToken === token);
        return call ? (call.body as { messages: Msg[] }).messages : undefined;
      },
      waitMs,
      'reply',
    ).catch(() => null);
  const id = `hostile-${c.name.replace(/\W+/g, '-')}`;
  fake.serveContent(id, { bytes: c.bytes, contentType: c.contentType });
  const ev = messageEvent({ id, ...c.message }, inUser('U' + 'a'.repeat(32))) as { replyToken: string };
  const statuses: number[] = [];
  const t0 = performance.now();
  statuses.push((await postWebhook(base, body(ev))).status);
  const heavy = replyTo(ev.replyToken).then((m) => ({ m, ms: performance.now() - t0 }));
  await new Promise((r) => setTimeout(r, 1000));
  const text = textEvent(TEXT, inUser('U' + 'b'.repeat(32)));
  const t1 = performance.now();
  statuses.push((await postWebhook(base, body(text))).status);
  const light = await replyTo(text.replyToken).then((m) => ({ m, ms: performance.now() - t1 }));
  const h = await heavy;
  return {
    case: { name: c.name, boundMs: c.boundMs, answer: c.answer },
    ms: h.m ? h.ms : null,
    said: (h.m ?? []).map((m) => m.altText ?? m.text ?? '').join('\n'),
    textMs: light.m ? light.ms : null,
    textAnswered: light.m !== null && light.m.length > 0,
    statuses,
  };
}
