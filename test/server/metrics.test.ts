// GET /metrics: Prometheus text with events, verdicts, replies, latencies and queues; labels only from
// fixed sets (no ids, text or links); readable from loopback, with METRICS_TOKEN, or on METRICS_PORT.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type Bot } from '../support/bot.ts';
import { freePort } from '../../scripts/stand-ins/redis-server.ts';
import { stubDetector } from '../support/verdicts.ts';
import {
  GROUP,
  USER,
  body,
  followEvent,
  inGroup,
  messageEvent,
  postWebhook,
  textEvent,
  waitFor,
} from '../../scripts/stand-ins/webhook.ts';

const detector = Promise.resolve(stubDetector());

async function scrape(bot: Bot): Promise<string> {
  const res = await fetch(`${bot.url}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

/** The value of one sample, e.g. value(text, 'sagicheck_verdicts_total{risk="high",brand="amazon"}'). */
function value(text: string, sample: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  return line === undefined ? undefined : Number(line.slice(sample.length + 1));
}

describe('GET /metrics', { timeout: 30_000 }, () => {
  let bot: Bot;
  beforeAll(async () => {
    bot = await startBot({ detector });
  });
  afterAll(() => bot.close());

  it('counts events, verdicts, duplicates, invalid events, replies and failures, with latencies', async () => {
    const high = textEvent('HIGH with link');
    const events = [high, textEvent('LOW with link'), followEvent(), messageEvent({ type: 'sticker' })];
    const invalid = { ...textEvent('x'), source: { type: 'user' } };
    expect((await postWebhook(bot.url, body(...events, invalid))).status).toBe(200);
    expect((await postWebhook(bot.url, body(high))).status).toBe(200); // a duplicate delivery
    await waitFor(() => bot.fake.callsTo('reply').length === 4, 5000, 'four replies');
    // LINE fails every attempt of the next reply.
    bot.fake.script('reply', ...Array.from({ length: 6 }, () => ({ status: 500 })));
    await postWebhook(bot.url, body(textEvent('MEDIUM with phone', inGroup())));
    await waitFor(() => bot.logs.some((l) => l.includes('event answer lost')), 5000, 'failed reply');
    await postWebhook(bot.url, 'not signed', { 'x-line-signature': 'x' });

    const m = await scrape(bot);
    // The duplicate is dropped when written to the backlog: not taken for processing.
    expect(value(m, 'sagicheck_events_total{type="message",message="text"}')).toBe(3);
    expect(value(m, 'sagicheck_events_total{type="message",message="sticker"}')).toBe(1);
    expect(value(m, 'sagicheck_events_total{type="follow",message=""}')).toBe(1);
    expect(value(m, 'sagicheck_events_invalid_total')).toBe(1);
    expect(value(m, 'sagicheck_events_duplicate_total')).toBe(1);
    expect(value(m, 'sagicheck_verdicts_total{risk="high",brand="amazon"}')).toBe(1);
    expect(value(m, 'sagicheck_verdicts_total{risk="low",brand="none"}')).toBe(1);
    expect(value(m, 'sagicheck_verdicts_total{risk="medium",brand="none"}')).toBe(1);
    expect(value(m, 'sagicheck_replies_total{delivery="replied"}')).toBe(4);
    expect(value(m, 'sagicheck_replies_total{delivery="failed"}')).toBe(1);
    expect(value(m, 'sagicheck_reply_failures_total')).toBe(1);
    expect(value(m, 'sagicheck_webhook_requests_total{status="200"}')).toBe(3);
    expect(value(m, 'sagicheck_webhook_requests_total{status="401"}')).toBe(1);
    expect(value(m, 'sagicheck_webhook_ack_seconds_count')).toBe(4);
    expect(value(m, 'sagicheck_event_queue_wait_seconds_count')).toBe(5);
    expect(value(m, 'sagicheck_event_processing_seconds_count')).toBe(5);
    expect(value(m, 'sagicheck_reply_seconds_count')).toBe(5);
    expect(value(m, 'sagicheck_webhook_queue_events{state="waiting"}')).toBe(0);
    expect(value(m, 'sagicheck_webhook_queue_events{state="running"}')).toBe(0);
    expect(value(m, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('never carries personal data: every label value comes from a fixed set', async () => {
    const handled = () => bot.logs.filter((l) => l.includes('"event handled"')).length;
    const before = handled();
    await postWebhook(
      bot.url,
      body(textEvent('090-1234-5678 https://amazon-co-jp.xyz/ 山田太郎', inGroup())),
    );
    await waitFor(() => handled() > before, 5000, 'handled');
    const m = await scrape(bot);
    for (const secret of [USER, GROUP, '090-1234-5678', 'amazon-co-jp', '山田', 'HIGH with link'])
      expect(m).not.toContain(secret);
    // Words of a fixed vocabulary (types, risks, brand ids, statuses) or bucket bounds.
    const allowed = /^(?:[a-z0-9_]{0,40}|[0-9.e+-]+|\+Inf)$/;
    for (const line of m.split('\n').filter((l) => l.startsWith('sagicheck_'))) {
      for (const [, label, v] of line.matchAll(/(\w+)="([^"]*)"/g)) {
        expect(['type', 'message', 'risk', 'brand', 'delivery', 'status', 'scope', 'state', 'le']).toContain(
          label,
        );
        expect(v, line).toMatch(allowed);
      }
    }
  });

  it('reports the OCR queue of the screenshot pool', async () => {
    const m = await scrape(bot);
    expect(value(m, 'sagicheck_ocr_queue_jobs{state="waiting"}')).toBe(0);
    expect(value(m, 'sagicheck_ocr_queue_jobs{state="running"}')).toBe(0);
  });

  it('is not public: a caller from elsewhere is refused without METRICS_TOKEN', async () => {
    const res = await bot.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '203.0.113.7' });
    expect(res.statusCode).toBe(403);
    expect(res.body).not.toContain('sagicheck_');
  });
});

describe('METRICS_TOKEN', { timeout: 30_000 }, () => {
  it('requires the bearer token from every caller, loopback included', async () => {
    const token = 'm3tr1cs-t0ken-for-tests';
    const bot = await startBot({ detector, env: { METRICS_TOKEN: token } });
    try {
      const get = (headers: Record<string, string> = {}) =>
        fetch(`${bot.url}/metrics`, { headers }).then((r) => r.status);
      expect(await get()).toBe(401);
      expect(await get({ authorization: 'Bearer wrong' })).toBe(401);
      expect(await get({ authorization: `Bearer ${token}x` })).toBe(401);
      expect(await get({ authorization: `Bearer ${token}` })).toBe(200);
      const res = await bot.app.inject({
        method: 'GET',
        url: '/metrics',
        remoteAddress: '203.0.113.7',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.statusCode).toBe(200);
    } finally {
      await bot.close();
    }
  });
});

describe('METRICS_PORT', () => {
  it('serves /metrics alone on a second port (npm start)', { timeout: 30_000 }, async () => {
    const [port, metricsPort] = [await freePort(), await freePort()];
    const server = spawn(process.execPath, [new URL('../../src/server/main.ts', import.meta.url).pathname], {
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        METRICS_PORT: String(metricsPort),
        STORE_URL: 'memory:',
        LOG_LEVEL: 'warn',
        LINE_CHANNEL_SECRET: '',
        LINE_CHANNEL_ACCESS_TOKEN: '',
        SIMULATOR: '0',
      },
      stdio: 'ignore',
    });
    const exited = new Promise((r) => server.once('exit', r));
    try {
      let m = '';
      for (const until = Date.now() + 15_000; !m && Date.now() < until;) {
        const r = await fetch(`http://127.0.0.1:${metricsPort}/metrics`).catch(() => null);
        if (r?.status === 200) m = await r.text();
        else await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(m).toContain('sagicheck_webhook_requests_total');
      expect((await fetch(`http://127.0.0.1:${metricsPort}/healthz`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${metricsPort}/webhooks/line`, { method: 'POST' })).status).toBe(
        404,
      );
    } finally {
      server.kill('SIGTERM');
      await exited;
    }
  });
});
