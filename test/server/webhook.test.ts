// The webhook's HTTP contract: signature, body checks, size limit, verify button, local mode, probes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDetector } from '../../src/detector/load.ts';
import type { Detector } from '../../src/detector/index.ts';
import { startBot, type Bot } from '../support/bot.ts';
import { body, followEvent, postWebhook, sign, textEvent, waitFor } from '../../scripts/stand-ins/webhook.ts';

describe('POST /webhooks/line', () => {
  let bot: Bot;
  beforeAll(async () => {
    bot = await startBot({ options: { bodyLimit: 64 * 1024 } });
  });
  afterAll(() => bot.close());

  it('answers 200 to the console Verify request (no events)', async () => {
    const raw = body();
    const res = await postWebhook(bot.url, raw);
    expect(res.status).toBe(200);
    expect(bot.fake.calls).toHaveLength(0);
  });

  it('acknowledges with an empty JSON object, as before the body was written as text', async () => {
    const raw = body();
    const res = await fetch(`${bot.url}/webhooks/line`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-line-signature': sign(raw) },
      body: raw,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await res.text()).toBe('{}');
  });

  it('answers 401 when the signature is missing, wrong, or made with another secret', async () => {
    const raw = body(textEvent('テスト'));
    expect((await postWebhook(bot.url, raw, {})).status).toBe(401);
    expect((await postWebhook(bot.url, raw, { 'x-line-signature': 'AAAA' })).status).toBe(401);
    expect((await postWebhook(bot.url, raw, { 'x-line-signature': sign(raw, 'other-secret') })).status).toBe(
      401,
    );
    const res = await postWebhook(bot.url, raw, { 'x-line-signature': sign(raw + ' ') });
    expect(res.status).toBe(401);
    expect(res.json).toMatchObject({ error: 'invalid_signature' });
  });

  it('takes the signature only as LINE writes it: 44 characters of standard base64, one "="', async () => {
    const raw = body(followEvent());
    const good = sign(raw);
    expect(good).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    // Each decodes to the same 32 bytes with a lenient decoder; none is what LINE sends. (Spaces around
    // the value are not the sender's: HTTP strips them from every header.)
    const lenient = [
      good.slice(0, -1), // no padding
      `${good.slice(0, 20)}\t${good.slice(20)}`,
      `${good}==`,
      `${good}!`,
      good.replace(/\+/g, '-').replace(/\//g, '_'), // the URL-safe alphabet
    ].filter((sig) => sig !== good); // a signature with no '+' or '/' reads the same in both alphabets
    for (const sig of lenient)
      expect([sig, (await postWebhook(bot.url, raw, { 'x-line-signature': sig })).status]).toEqual([
        sig,
        401,
      ]);
    expect((await postWebhook(bot.url, raw, { 'x-line-signature': good })).status).toBe(200);
  });

  it('checks the signature before parsing: a forged invalid body is 401, not 400', async () => {
    expect((await postWebhook(bot.url, '{not json', { 'x-line-signature': 'x' })).status).toBe(401);
  });

  it('verifies the exact bytes: LINE escapes emoji as \\uXXXX and a re-serialised body would not match', async () => {
    const raw = body(textEvent('x')).replace('"x"', '"\\ud83c\\udf4e"');
    const res = await postWebhook(bot.url, raw);
    expect(res.status).toBe(200);
    await waitFor(() => bot.fake.callsTo('reply').length === 1, 3000, 'reply');
  });

  it('answers 400 for signed bodies that are not JSON or not a webhook body', async () => {
    for (const raw of ['{not json', '', '[]', '{"events": "x"}', '{"destination": "U1"}', 'null']) {
      const res = await postWebhook(bot.url, raw);
      expect(res.status, raw).toBe(400);
    }
  });

  it('checks the signature of a request with no body and no content type too', async () => {
    const post = (headers: Record<string, string>) =>
      fetch(`${bot.url}/webhooks/line`, { method: 'POST', headers }).then((r) => r.status);
    expect(await post({})).toBe(401);
    expect(await post({ 'x-line-signature': sign('') })).toBe(400);
  });

  it('answers 413 above the body limit, before reading it all', async () => {
    const raw = body(textEvent('あ'.repeat(30_000)));
    expect(Buffer.byteLength(raw)).toBeGreaterThan(64 * 1024);
    const res = await postWebhook(bot.url, raw);
    expect(res.status).toBe(413);
    expect(res.json).toMatchObject({ error: 'body_too_large' });
  });

  it('drops a malformed event with a logged error naming its id, and still handles the others', async () => {
    bot.fake.reset();
    const good = textEvent('こんにちは');
    const bad = { ...textEvent('x'), source: { type: 'user' } }; // no userId
    const res = await postWebhook(bot.url, body(bad, good));
    expect(res.status).toBe(200);
    await waitFor(() => bot.fake.callsTo('reply').length === 1, 3000, 'reply');
    const line = bot.logs.find((l) => l.includes('invalid event dropped'));
    expect(line).toContain(bad.webhookEventId);
  });

  it("logs a request's lines with its request id (its child logger is made on its first line)", async () => {
    const raw = body(followEvent());
    await postWebhook(bot.url, raw, { 'x-line-signature': sign(raw, 'other-secret') });
    await postWebhook(bot.url, raw, { 'x-line-signature': sign(raw, 'other-secret') });
    const ids = bot.logs
      .filter((l) => l.includes('webhook request refused'))
      .slice(-2)
      .map((l) => JSON.parse(l) as { reqId?: unknown; level: number; status: number });
    expect(ids).toHaveLength(2);
    for (const line of ids)
      expect(line).toMatchObject({ reqId: expect.stringMatching(/^req-/), level: 40, status: 401 });
    expect(ids[0]!.reqId).not.toBe(ids[1]!.reqId);
  });

  it('serves /healthz', async () => {
    const res = await fetch(`${bot.url}/healthz`);
    expect(res.status).toBe(200);
  });
});

describe('local mode (no LINE credentials)', () => {
  it('answers 503 with a clear message, and the other endpoints still work', async () => {
    const bot = await startBot({ line: false });
    try {
      const raw = body(textEvent('テスト'));
      const res = await postWebhook(bot.url, raw);
      expect(res.status).toBe(503);
      expect(res.json).toMatchObject({ error: 'line_not_configured' });
      expect(JSON.stringify(res.json)).toContain('LINE_CHANNEL_SECRET');
      expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
      expect(bot.fake.calls).toHaveLength(0);
    } finally {
      await bot.close();
    }
  });
});

describe('/readyz', () => {
  it('is 503 until the detector is ready, then 200; events accepted meanwhile wait and are answered', async () => {
    let resolve!: (d: Detector) => void;
    const detector = new Promise<Detector>((r) => (resolve = r));
    const bot = await startBot({ detector });
    try {
      const before = await fetch(`${bot.url}/readyz`);
      expect(before.status).toBe(503);
      expect(await before.json()).toEqual({ status: 'starting' });
      expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);

      const res = await postWebhook(bot.url, body(textEvent('こんにちは')));
      expect(res.status).toBe(200);
      expect(bot.fake.callsTo('reply')).toHaveLength(0);

      resolve(await loadDetector());
      await waitFor(() => bot.fake.callsTo('reply').length === 1, 5000, 'reply after ready');
      expect((await fetch(`${bot.url}/readyz`)).status).toBe(200);
    } finally {
      await bot.close();
    }
  });

  it('is 503 when the store stops answering', async () => {
    const bot = await startBot({ detector: loadDetector() });
    try {
      await loadDetector();
      expect((await fetch(`${bot.url}/readyz`)).status).toBe(200);
      await bot.store.close();
      const res = await fetch(`${bot.url}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'store_unavailable' });
    } finally {
      await bot.app.close();
      await bot.fake.close();
    }
  });

  it('reports a failed detector load as 503 "failed"', async () => {
    const detector = Promise.reject(new Error('dictionary missing'));
    const bot = await startBot({ detector });
    try {
      const res = await fetch(`${bot.url}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'failed' });
    } finally {
      await bot.close();
    }
  });
});
