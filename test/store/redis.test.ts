// Several machines on one Redis (STORE_URL=redis://…): two real app instances share a real
// redis-server and one stand-in LINE API. The same event delivered to both is answered exactly once;
// rate limits and forgetting a chat hold across machines; and a Redis that goes away and comes back
// never takes the process down.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log/logger.ts';
import { RedisStore } from '../../src/store/redis.ts';
import { startBot, type Bot } from '../support/bot.ts';
import { startFakeLine, type FakeLine } from '../../scripts/stand-ins/fake-line.ts';
import { startRedis, type RedisServer } from '../../scripts/stand-ins/redis-server.ts';
import { stubDetector } from '../support/verdicts.ts';
import {
  body,
  inUser,
  plainEvent,
  postWebhook,
  textEvent,
  USER,
  waitFor,
} from '../../scripts/stand-ins/webhook.ts';

const detector = Promise.resolve(stubDetector());
const replyTokens = (fake: FakeLine) =>
  fake.callsTo('reply').map((c) => (c.body as { replyToken: string }).replyToken);
const replyTexts = (fake: FakeLine) =>
  fake.callsTo('reply').map((c) => {
    const m = (c.body as { messages: { type: string; text?: string; altText?: string }[] }).messages[0]!;
    return m.text ?? m.altText ?? '';
  });
const count = (bots: Bot[], what: string) =>
  bots.reduce((n, b) => n + b.logs.filter((l) => l.includes(what)).length, 0);

describe('two app instances on one Redis', { timeout: 30_000 }, () => {
  let redis: RedisServer;
  let fake: FakeLine;
  let a: Bot;
  let b: Bot;
  beforeAll(async () => {
    redis = await startRedis();
    fake = await startFakeLine();
    const env = { RATE_LIMIT_USER: '3/10m' };
    a = await startBot({ store: new RedisStore(redis.url), fake, detector, env });
    b = await startBot({ store: new RedisStore(redis.url), fake, detector, env });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await fake?.close();
    await redis?.stop();
  });

  it('answers an event delivered to both exactly once', async () => {
    fake.reset();
    const events = Array.from({ length: 40 }, (_, i) =>
      textEvent('HIGH with link', inUser(`U${String(i).padStart(32, '0')}`)),
    );
    // Each event reaches both machines at the same moment (LINE redelivering, or a duplicate on the
    // way), in turn first to one and then to the other.
    const posted = await Promise.all(
      events.flatMap((e, i) => {
        const again = { ...e, deliveryContext: { isRedelivery: true } };
        const [first, second] = i % 2 ? [a, b] : [b, a];
        return [postWebhook(first.url, body(e)), postWebhook(second.url, body(again))];
      }),
    );
    expect(posted.map((p) => p.status)).toEqual(posted.map(() => 200));
    await waitFor(
      () => count([a, b], 'event handled') + count([a, b], 'duplicate event skipped') === 80,
      10_000,
      'all 80 deliveries handled',
    );
    const tokens = replyTokens(fake);
    expect(tokens).toHaveLength(40);
    expect(new Set(tokens)).toEqual(new Set(events.map((e) => e.replyToken)));
    expect(count([a, b], 'duplicate event skipped')).toBe(40);
  });

  it("shares a user's rate limit: one notice when it is reached, then silence", async () => {
    fake.reset();
    const user = inUser('U' + 'f'.repeat(32));
    const handled = () => count([a, b], 'event handled');
    for (let i = 0; i < 6; i++) {
      const before = handled();
      const res = await postWebhook((i % 2 ? a : b).url, body(textEvent('HIGH with link', user)));
      expect(res.status).toBe(200);
      await waitFor(() => handled() > before, 5000, `message ${i + 1} handled`);
    }
    const texts = replyTexts(fake);
    expect(texts).toHaveLength(4);
    expect(texts.slice(0, 3).every((t) => t.startsWith('【危険】'))).toBe(true);
    expect(texts[3]).toContain('確認を少しお休みします');
    expect(texts[3]).toContain('10分ほど');
    // Buttons and typed commands still work while checks are paused.
    const before = handled();
    await postWebhook(a.url, body(textEvent('使い方', user)));
    await waitFor(() => handled() > before, 5000, 'usage handled');
    expect(replyTexts(fake)).toHaveLength(5);
  });

  it('forgets a chat on every machine when the user blocks the bot on one', async () => {
    fake.reset();
    const user = inUser(USER);
    const handled = () => count([a, b], 'event handled');
    const send = async (bot: Bot, event: object) => {
      const before = handled();
      await postWebhook(bot.url, body(event));
      await waitFor(() => handled() > before, 5000, 'handled');
    };
    await send(a, textEvent('HIGH with link', user));
    await send(b, textEvent('どうすればいい？', user));
    expect(replyTexts(fake)[1]).toContain('【危険】');
    await send(b, plainEvent('unfollow', user));
    await send(a, textEvent('どうすればいい？', user));
    expect(replyTexts(fake)[2]).not.toContain('【危険】');
  });
});

describe('Redis going away and coming back', { timeout: 30_000 }, () => {
  it('keeps the process up: /readyz and the webhook say 503 (nothing acknowledged unstored), and it recovers', async () => {
    let redis = await startRedis();
    const port = redis.port;
    const storeLogs: string[] = [];
    const log = createLogger('info', { write: (s: string) => void storeLogs.push(s) });
    const bot = await startBot({ store: new RedisStore(redis.url, { log }), detector });
    try {
      expect((await fetch(`${bot.url}/readyz`)).status).toBe(200);

      await redis.stop();
      const t = performance.now();
      const ready = await fetch(`${bot.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: 'store_unavailable' });
      expect(performance.now() - t).toBeLessThan(5000);

      // An event that cannot be written is not acknowledged: LINE redelivers it (webhook redelivery).
      for (let i = 0; i < 3; i++) {
        const res = await postWebhook(bot.url, body(textEvent('HIGH with link')));
        expect(res.status).toBe(503);
        expect(res.json).toMatchObject({ error: 'store_unavailable' });
      }
      // One line per outage, however many reconnection attempts fail; refusals at most every 5 s.
      expect(storeLogs.filter((l) => l.includes('redis store unavailable'))).toHaveLength(1);
      const refused = bot.logs.filter((l) => l.includes('could not be written to the store'));
      expect(refused.length).toBeGreaterThan(0);
      expect(refused.length).toBeLessThan(3);
      for (const l of refused) expect(l).toContain('StoreError');
      expect(bot.fake.callsTo('reply')).toHaveLength(0);
      // Logs name neither the chat nor the message.
      for (const l of [...bot.logs, ...storeLogs]) {
        expect(l).not.toContain(USER);
        expect(l).not.toContain('HIGH with link');
      }

      redis = await startRedis({ port });
      let status = 0;
      for (let i = 0; i < 200 && status !== 200; i++) {
        status = (await fetch(`${bot.url}/readyz`)).status;
        if (status !== 200) await new Promise((r) => setTimeout(r, 50));
      }
      expect(status).toBe(200);
      expect((await postWebhook(bot.url, body(textEvent('HIGH with link')))).status).toBe(200);
      await waitFor(() => bot.fake.callsTo('reply').length === 1, 5000, 'answer after recovery');
      expect(replyTexts(bot.fake)[0]).toContain('【危険】');
      expect(storeLogs.some((l) => l.includes('redis store available again'))).toBe(true);
    } finally {
      await bot.close();
      await redis.stop();
    }
  });
});

// The store's scripts are called by their SHA (src/store/redis-script.ts): a Redis that lost them (a
// restart, SCRIPT FLUSH, a failover) gets the script itself once, and every call still answers.
describe("Redis without the store's scripts loaded", { timeout: 30_000 }, () => {
  it('answers every call after SCRIPT FLUSH, the calls in flight included', async () => {
    const redis = await startRedis();
    const store = new RedisStore(redis.url);
    const admin = new RedisStore(redis.url);
    try {
      await store.set('context', 'U1', { a: 1 }, 60_000);
      expect(await store.increment('rate', 'U1', 60_000)).toBe(1);
      for (let round = 2; round <= 3; round++) {
        await (admin as unknown as { client: { script(op: string): Promise<unknown> } }).client.script(
          'FLUSH',
        );
        const [, n, got, sending] = await Promise.all([
          store.set('context', 'U1', { a: round }, 60_000),
          store.increment('rate', 'U1', 60_000),
          store.incrementAndGet(
            { ns: 'rate', subject: 'U2', ttlMs: 60_000 },
            { ns: 'context', subject: 'U1' },
          ),
          store.backlog.markSending('no-such-event', 'owner'),
        ]);
        expect(n).toBe(round);
        expect(got).toEqual([round - 1, { a: round }]);
        expect(sending).toBeUndefined();
      }
      // Written byte by byte into the command (redis-script.ts): any text, and longer than its buffer.
      const value = { text: `日本語😀\ud800${'é'.repeat(20_000)}`, n: 1.5 };
      await store.set('context', 'U3', value, 60_000);
      expect(await store.get('context', 'U3')).toEqual(value);
    } finally {
      await store.close();
      await admin.close();
      await redis.stop();
    }
  });
});
