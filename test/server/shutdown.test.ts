// Graceful shutdown and the work queue: accepted events are all answered before close() resolves.
import { describe, expect, it } from 'vitest';
import { createWorkQueue } from '../../src/conversation/queue.ts';
import { startBot } from '../support/bot.ts';
import { startFakeLine, type FakeLine } from '../../scripts/stand-ins/fake-line.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { stubDetector } from '../support/verdicts.ts';
import { body, inUser, postWebhook, textEvent, waitFor } from '../../scripts/stand-ins/webhook.ts';

describe('graceful close', () => {
  it('stops taking requests but answers every event already accepted', async () => {
    const bot = await startBot({ detector: Promise.resolve(stubDetector()) });
    bot.fake.setDelay('reply', 200); // LINE is slow: events are still in flight when close starts
    const events = Array.from({ length: 8 }, (_, i) =>
      textEvent('HIGH with link', inUser(`U${String(i).repeat(32)}`)),
    );
    const res = await postWebhook(bot.url, body(...events));
    expect(res.status).toBe(200);
    await waitFor(() => bot.fake.callsTo('reply').length > 0, 3000, 'first reply started');
    const url = bot.url;
    await bot.app.close();
    const tokens = bot.fake.callsTo('reply').map((c) => (c.body as { replyToken: string }).replyToken);
    expect(new Set(tokens)).toEqual(new Set(events.map((e) => e.replyToken)));
    expect(
      bot.logs.filter((l) => l.includes('event handled') && l.includes('"delivery":"replied"')),
    ).toHaveLength(8);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    await bot.store.close();
    await bot.fake.close();
  }, 30_000);
});

describe('closing with more than it can answer in time', () => {
  it('answers what it can within drainMs and leaves the rest to the next start on the same store', async () => {
    const store = new MemoryStore();
    const fake = await startFakeLine();
    fake.setDelay('reply', 800); // LINE is slow: two at a time, ten waiting
    const first = await startBot({
      store,
      fake,
      detector: Promise.resolve(stubDetector()),
      options: { concurrency: 2, drainMs: 300 },
    });
    const events = Array.from({ length: 12 }, (_, i) =>
      textEvent('HIGH with link', inUser(`U${String(i).padStart(32, '0')}`)),
    );
    expect((await postWebhook(first.url, body(...events))).status).toBe(200);
    await waitFor(() => fake.callsTo('reply').length >= 1, 3000, 'first replies started');
    await first.app.close();
    expect(first.logs.some((l) => l.includes('stopping with events still running'))).toBe(true);
    const left = (await store.backlog.stats()).count;
    expect(left).toBeGreaterThan(0);

    const second = await startBot({ store, fake, detector: Promise.resolve(stubDetector()) });
    try {
      await waitFor(() => new Set(tokens(fake)).size === events.length, 10_000, 'every event answered');
      await new Promise((r) => setTimeout(r, 200)); // room for a second answer, were there one
      expect(tokens(fake).sort()).toEqual(events.map((e) => e.replyToken).sort());
    } finally {
      await second.close();
      await fake.close();
    }
  });
});

const tokens = (fake: FakeLine) =>
  fake.callsTo('reply').map((c) => (c.body as { replyToken: string }).replyToken);

describe('work queue', () => {
  const deferred = () => {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    return { promise, resolve };
  };

  it('runs at most `concurrency` tasks at once and one chat in order', async () => {
    const q = createWorkQueue({ concurrency: 2, maxPending: 100, onError: () => {} });
    let running = 0;
    let peak = 0;
    const order: string[] = [];
    const task = (name: string, gate: Promise<void>) => async () => {
      running++;
      peak = Math.max(peak, running);
      order.push(`start ${name}`);
      await gate;
      order.push(`end ${name}`);
      running--;
    };
    const gates = Array.from({ length: 4 }, deferred);
    q.push('chat-a', task('a1', gates[0]!.promise));
    q.push('chat-a', task('a2', gates[1]!.promise));
    q.push('chat-b', task('b1', gates[2]!.promise));
    q.push('chat-c', task('c1', gates[3]!.promise));
    await waitFor(() => order.length === 2, 1000, 'two started');
    expect(order).toEqual(['start a1', 'start b1']);
    for (const g of gates) g.resolve();
    await q.drain();
    expect(peak).toBe(2);
    expect(order.indexOf('end a1')).toBeLessThan(order.indexOf('start a2'));
  });

  it('refuses work beyond maxPending, reports failures, and drains', async () => {
    const errors: unknown[] = [];
    const q = createWorkQueue({ concurrency: 1, maxPending: 2, onError: (e) => errors.push(e) });
    const gate = deferred();
    expect(q.push('a', () => gate.promise)).toBe(true);
    expect(q.push('b', async () => Promise.reject(new Error('bad')))).toBe(true);
    expect(q.room).toBe(0);
    expect(q.push('c', async () => {})).toBe(false);
    gate.resolve();
    await q.drain();
    expect(errors).toHaveLength(1);
    expect(q.room).toBe(2);
  });
});
