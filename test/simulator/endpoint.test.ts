// The simulator's HTTP side: when the page is served, what POST /simulator/events accepts and refuses,
// and that its answers are the very messages the LINE webhook path sends for the same input.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDetector } from '../../src/detector/load.ts';
import { CONTEXT_NS } from '../../src/store/context.ts';
import { SIMULATOR_USER } from '../../src/simulator/events.ts';
import { startBot, type Bot } from '../support/bot.ts';
import type { RecordedCall } from '../../scripts/stand-ins/fake-line.ts';
import {
  body,
  followEvent,
  postWebhook,
  postbackEvent,
  textEvent,
  waitFor,
} from '../../scripts/stand-ins/webhook.ts';

const detector = loadDetector();
const PHISHING =
  '【Amazon】お支払い方法に問題があります。24時間以内に更新してください https://amazon-co-jp.xyz/login';

type Msg = { type: string; text?: string; altText?: string; contents?: unknown; quickReply?: unknown };

async function simulate(bot: Bot, payload: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${bot.url}/simulator/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
  const json = (await res.json()) as { messages?: Msg[]; error?: string; message?: string };
  return { status: res.status, json, headers: res.headers };
}

async function viaLine(bot: Bot, event: { replyToken: string }): Promise<Msg[]> {
  expect((await postWebhook(bot.url, body(event))).status).toBe(200);
  const call = await waitFor(
    () =>
      bot.fake
        .callsTo('reply')
        .find((c: RecordedCall) => (c.body as { replyToken: string }).replyToken === event.replyToken),
    10_000,
    'reply',
  );
  return (call.body as { messages: Msg[] }).messages;
}

describe('when the page is served', () => {
  it('serves it without credentials, and the webhook still answers 503 with a clear message', async () => {
    const bot = await startBot({ line: false, detector });
    try {
      const page = await fetch(`${bot.url}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
      const html = await page.text();
      expect(html).toContain('友だち追加');
      expect(html).toContain('data-upload-bytes="8388608"');
      // Nothing from another origin: every src/href is this server's own.
      for (const [, url] of html.matchAll(/(?:src|href)="([^"]+)"/g)) expect(url).toMatch(/^\/simulator\//);
      for (const asset of ['app.js', 'flex.js', 'style.css', 'avatar.svg']) {
        const res = await fetch(`${bot.url}/simulator/${asset}`);
        expect(res.status, asset).toBe(200);
        const text = await res.text();
        // No web fonts, no imported style sheets, no modules from elsewhere (the browser test checks
        // that the page makes no request off this origin at all).
        expect(text, asset).not.toMatch(/@import|@font-face|url\(/);
        for (const [, from] of text.matchAll(/\bfrom '([^']+)'/g)) expect(from, asset).toMatch(/^\.\//);
      }
      expect((await fetch(`${bot.url}/simulator/tsconfig.json`)).status).toBe(404);
      expect((await fetch(`${bot.url}/simulator/index.html`)).status).toBe(404);
      const hook = await postWebhook(bot.url, body(textEvent('テスト')));
      expect(hook.status).toBe(503);
      expect(JSON.stringify(hook.json)).toContain('LINE_CHANNEL_SECRET');
    } finally {
      await bot.close();
    }
  });

  it('does not serve it when credentials are set, unless SIMULATOR=1', async () => {
    const live = await startBot({ detector });
    try {
      expect((await fetch(`${live.url}/`)).status).toBe(404);
      expect((await fetch(`${live.url}/simulator/app.js`)).status).toBe(404);
      expect((await simulate(live, { type: 'follow' })).status).toBe(404);
    } finally {
      await live.close();
    }
    const both = await startBot({ detector, env: { SIMULATOR: '1' } });
    try {
      expect((await fetch(`${both.url}/`)).status).toBe(200);
      expect((await simulate(both, { type: 'follow' })).status).toBe(200);
    } finally {
      await both.close();
    }
  });

  it('never serves it in production without SIMULATOR=1, nor anywhere with SIMULATOR=0', async () => {
    for (const env of [{ NODE_ENV: 'production' }, { NODE_ENV: 'Production' }, { SIMULATOR: '0' }]) {
      const bot = await startBot({ line: false, detector, env });
      try {
        expect((await fetch(`${bot.url}/`)).status).toBe(404);
        expect((await postWebhook(bot.url, body(textEvent('テスト')))).status).toBe(503);
      } finally {
        await bot.close();
      }
    }
    const asked = await startBot({ line: false, detector, env: { NODE_ENV: 'production', SIMULATOR: '1' } });
    try {
      expect((await fetch(`${asked.url}/`)).status).toBe(200);
    } finally {
      await asked.close();
    }
  });
});

describe('the Host allowlist (DNS rebinding)', () => {
  /** GET with a Host header of our choosing (fetch would set its own). */
  const get = (url: string, path: string, host: string) =>
    new Promise<number>((resolve, reject) => {
      const u = new URL(url);
      request({ host: u.hostname, port: u.port, path, headers: { host } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      })
        .on('error', reject)
        .end();
    });

  it('answers localhost, 127.0.0.1 and [::1] only, unless SIMULATOR_HOSTS names more', async () => {
    const bot = await startBot({ line: false, detector, env: { SIMULATOR_HOSTS: 'mypc.local' } });
    try {
      for (const host of ['localhost:3000', '127.0.0.1', '[::1]:3000', 'LOCALHOST', 'mypc.local:3000'])
        expect([host, await get(bot.url, '/', host)]).toEqual([host, 200]);
      for (const host of ['attacker.example', 'attacker.example:3000', '127.0.0.1.nip.io'])
        for (const path of ['/', '/simulator/app.js'])
          expect([host, path, await get(bot.url, path, host)]).toEqual([host, path, 403]);
      // The webhook and health checks are not the simulator's: any Host reaches them.
      expect(await get(bot.url, '/healthz', 'attacker.example')).toBe(200);
    } finally {
      await bot.close();
    }
  });
});

describe('POST /simulator/events', () => {
  let bot: Bot;
  beforeAll(async () => {
    // LINE live too, so one server answers the same input both ways.
    bot = await startBot({ detector, env: { SIMULATOR: '1' } });
  });
  afterAll(() => bot.close());

  it('answers with exactly the messages the LINE webhook path sends for the same input', async () => {
    const cases: [unknown, { replyToken: string }][] = [
      [{ type: 'text', text: PHISHING }, textEvent(PHISHING)],
      [{ type: 'follow' }, followEvent()],
      [{ type: 'postback', data: 'action=usage' }, postbackEvent('action=usage')],
      [{ type: 'text', text: '使い方' }, textEvent('使い方')],
    ];
    for (const [request, event] of cases) {
      const sim = await simulate(bot, request);
      expect(sim.status).toBe(200);
      expect(sim.json.messages!.length).toBeGreaterThan(0);
      expect(sim.json.messages).toEqual(await viaLine(bot, event));
    }
    const [card] = (await simulate(bot, { type: 'text', text: PHISHING })).json.messages!;
    expect(card!.type).toBe('flex');
    expect(card!.altText).toMatch(/^【危険】/);
    expect(JSON.stringify(card)).toContain('amazon-co-jp[.]xyz');
    // The simulator's events never reach LINE.
    expect(bot.fake.callsTo('reply')).toHaveLength(cases.length);
  }, 30_000);

  it('reads an uploaded file through the same content path, and refuses what the bot does not read', async () => {
    const sms = Buffer.from(PHISHING, 'utf8');
    const txt = await simulate(bot, { type: 'file', fileName: 'sms.txt', data: sms.toString('base64') });
    expect(txt.status).toBe(200);
    const [card, read] = txt.json.messages!;
    expect(card!.altText).toMatch(/^【危険】/);
    expect(read!.text).toMatch(/^上の判定は、ファイルから読み取った次の文字で確かめました。/);
    const pdf = await simulate(bot, { type: 'file', fileName: 'bill.pdf', data: sms.toString('base64') });
    expect(pdf.json.messages!).toHaveLength(1);
    expect(pdf.json.messages![0]!.type).toBe('text');
  }, 30_000);

  it('forgets the chat on unfollow, as when a person blocks the bot', async () => {
    await simulate(bot, { type: 'text', text: PHISHING });
    expect(await bot.store.get(CONTEXT_NS, SIMULATOR_USER)).not.toBeNull();
    const res = await simulate(bot, { type: 'unfollow' });
    expect(res.status).toBe(200);
    expect(res.json.messages).toEqual([]);
    expect(await bot.store.get(CONTEXT_NS, SIMULATOR_USER)).toBeNull();
  });

  it('answers 400 to anything but a valid request, naming where without echoing values', async () => {
    const bad: unknown[] = [
      {},
      { type: 'sticker' },
      { type: 'text' },
      { type: 'text', text: '' },
      { type: 'text', text: 'x'.repeat(10_001) },
      { type: 'text', text: 'ひみつの文', extra: 1 },
      { type: 'image', data: '***' },
      { type: 'file', data: 'aGk=' },
      { type: 'file', fileName: 'a.txt', data: 'aGk=', contentType: 'text/plain; <script>' },
      { type: 'postback', data: 'x'.repeat(301) },
      ['text'],
      'null',
    ];
    for (const payload of bad) {
      const res = await simulate(bot, payload);
      expect(res.status, JSON.stringify(payload).slice(0, 80)).toBe(400);
      expect(res.json.error).toMatch(/^invalid_(request|json)$/);
      expect(res.json.message).not.toContain('ひみつ');
    }
    expect((await simulate(bot, '{"type":')).json.error).toBe('invalid_json');
  });

  it('takes JSON only, from this origin only', async () => {
    const plain = await fetch(`${bot.url}/simulator/events`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ type: 'follow' }),
    });
    expect(plain.status).toBe(415);
    expect((await simulate(bot, { type: 'follow' }, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await simulate(bot, { type: 'follow' }, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await simulate(bot, { type: 'follow' }, { origin: bot.url })).status).toBe(200);
  });

  it('never logs what was sent', () => {
    const logs = bot.logs.join('\n');
    expect(logs).toMatch(/"via":"simulator"/);
    expect(logs).not.toContain('お支払い方法');
    expect(logs).not.toContain('amazon-co-jp');
  });
});

describe('bounds', () => {
  it('refuses an upload over the limit (413) and too many requests (429)', async () => {
    const bot = await startBot({
      line: false,
      detector,
      options: { simulator: { uploadBytes: 1000, requestsPerMinute: 4 } },
    });
    try {
      const big = Buffer.alloc(1001, 1).toString('base64');
      const over = await simulate(bot, { type: 'file', fileName: 'a.txt', data: big });
      expect(over.status).toBe(413);
      expect(over.json.error).toBe('upload_too_large');
      const huge = await simulate(bot, { type: 'text', text: 'x'.repeat(40_000) });
      expect(huge.status).toBe(413);
      expect(huge.json.error).toBe('body_too_large');
      expect((await simulate(bot, { type: 'follow' })).status).toBe(200);
      expect((await simulate(bot, { type: 'follow' })).status).toBe(200);
      const limited = await simulate(bot, { type: 'follow' });
      expect(limited.status).toBe(429);
      expect(limited.json.error).toBe('rate_limited');
    } finally {
      await bot.close();
    }
  });

  it('answers 503 while its few places are taken, and the waiting request is answered in turn', async () => {
    let ready!: (d: Awaited<typeof detector>) => void;
    const later = new Promise<Awaited<typeof detector>>((r) => (ready = r));
    const bot = await startBot({ line: false, detector: later, options: { simulator: { maxPending: 1 } } });
    try {
      // The detector is still loading: the first message waits for it and holds the one place.
      const first = simulate(bot, { type: 'text', text: PHISHING });
      // A greeting needs no detector: until the first message has its place, one goes through.
      let busy = await simulate(bot, { type: 'follow' });
      for (let i = 0; busy.status === 200 && i < 20; i++) busy = await simulate(bot, { type: 'follow' });
      expect(busy.status).toBe(503);
      expect(busy.json.error).toBe('busy');
      ready(await detector);
      const answer = await first;
      expect(answer.status).toBe(200);
      expect(answer.json.messages![0]!.altText).toMatch(/^【危険】/);
    } finally {
      await bot.close();
    }
  });
});
