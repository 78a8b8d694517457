// The backlog consumer (src/server/consumer.ts) on its own, with a memory store and a stand-in processor
// and sender: a resumed event that may have answered never pushes, a failed answer frees the id for a
// redelivery, an unreadable event is dropped by id, an event whose lease ran out while it still runs here
// is not started twice, and stop() leaves what it could not answer in the store.
import { describe, expect, it } from 'vitest';
import type { Sender, ReplyTarget, Delivery } from '../../src/line/port.ts';
import type { LineEvent } from '../../src/line/events.ts';
import { createLogger } from '../../src/log/logger.ts';
import { backlogKey, seal } from '../../src/server/backlog.ts';
import { createConsumer } from '../../src/server/consumer.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import type { Backlog } from '../../src/store/store.ts';
import { waitFor } from '../../scripts/stand-ins/webhook.ts';

const key = backlogKey('secret');
const event = (id: string, user = 'U' + '1'.repeat(32)) =>
  ({
    type: 'message',
    mode: 'active',
    webhookEventId: id,
    replyToken: `rt-${id}`,
    source: { type: 'user', userId: user },
    message: { type: 'text', id: '1', text: 'x' },
  }) as unknown as LineEvent;

function setup(o: { delivery?: Delivery; leaseMs?: number; block?: Promise<void> } = {}) {
  const clock = { t: 1_000_000 };
  const store = new MemoryStore(() => clock.t);
  const logs: string[] = [];
  const log = createLogger('debug', { write: (s: string) => void logs.push(s) });
  const consumer = createConsumer({
    backlog: store.backlog,
    key,
    owner: 'me/',
    concurrency: 4,
    log,
    leaseMs: o.leaseMs ?? 30_000,
    pollMs: 20,
  });
  const targets: ReplyTarget[] = [];
  const base: Sender = {
    async reply(target) {
      targets.push(target);
      return o.delivery ?? 'replied';
    },
    async showLoading() {},
  };
  const sender = consumer.wrapSender(base);
  const processed: string[] = [];
  consumer.start(async (e) => {
    processed.push(e.webhookEventId);
    if (!consumer.claimed(e)) throw new Error('not claimed by the consumer');
    await o.block;
    if ('replyToken' in e)
      await sender.reply(
        { eventId: e.webhookEventId, replyToken: e.replyToken!, chat: { type: 'user', id: 'U' } },
        [],
      );
  });
  return { clock, store, consumer, targets, processed, logs };
}

describe('the backlog consumer', { timeout: 10_000 }, () => {
  it('answers, deletes, and lets a first attempt push but not one after "sending"', async () => {
    const { store, consumer, targets } = setup();
    await store.backlog.enqueue([seal(key, event('e1'))], 60_000);
    consumer.wake();
    await waitFor(() => targets.length === 1, 2000, 'answer');
    expect(targets[0]!.pushAllowed).toBe(true);
    await waitFor(() => consumer.running === 0, 2000, 'done');
    expect((await store.backlog.stats()).count).toBe(0);

    // A crash after the "sending" mark: the next attempt may reply, not push.
    await store.backlog.enqueue([seal(key, event('e2'))], 60_000);
    const [taken] = await store.backlog.take('dead/', 1, 1);
    await store.backlog.markSending(taken!.id, 'dead/');
    await store.backlog.release('dead/');
    await waitFor(() => targets.length === 2, 2000, 'resumed answer');
    expect(targets[1]!.pushAllowed).toBe(false);
    await consumer.stop(Date.now() + 1000);
  });

  it('forgets the id of an event it could not answer, and drops an unreadable one by id', async () => {
    const { store, consumer, logs } = setup({ delivery: 'failed' });
    await store.backlog.enqueue([seal(key, event('f1'))], 60_000);
    await store.backlog.enqueue([{ ...seal(backlogKey('old secret'), event('f2')), chat: 'other' }], 60_000);
    consumer.wake();
    await waitFor(
      () => consumer.running === 0 && logs.some((l) => l.includes('cannot be read')),
      2000,
      'both',
    );
    expect((await store.backlog.stats()).count).toBe(0);
    expect(logs.find((l) => l.includes('cannot be read'))).toContain('"eventId":"f2"');
    // A redelivery of either is taken again rather than dropped as a duplicate.
    expect(await store.backlog.enqueue([seal(key, event('f1')), seal(key, event('f2'))], 60_000)).toEqual([
      true,
      true,
    ]);
    await consumer.stop(Date.now() + 500);
  });

  it('does not start twice an event whose lease ran out while it runs here, and leaves the rest on stop', async () => {
    let release!: () => void;
    const block = new Promise<void>((r) => (release = r));
    const { clock, store, consumer, processed } = setup({ leaseMs: 1000, block });
    await store.backlog.enqueue(
      [seal(key, event('g1')), seal(key, event('g2', 'U' + '2'.repeat(32)))],
      60_000,
    );
    consumer.wake();
    await waitFor(() => processed.length === 2, 2000, 'both running');
    clock.t += 5000; // the leases run out (the renewal timer has not fired in this fake time)
    await new Promise((r) => setTimeout(r, 100)); // several polls take them again
    expect(processed).toEqual(['g1', 'g2']);
    // Stopping with both still running: they stay in the store for the next start.
    const stopped = await consumer.stop(Date.now() + 200);
    expect(stopped.unfinished).toBe(2);
    expect((await store.backlog.stats()).count).toBe(2);
    release();
  });

  it('a busy consumer takes in batches and deletes what it finished with the next take', async () => {
    const store = new MemoryStore();
    const calls = { take: 0, complete: 0 };
    const backlog: Backlog = Object.assign(Object.create(store.backlog) as Backlog, {
      take: (...a: Parameters<Backlog['take']>) => (calls.take++, store.backlog.take(...a)),
      complete: (...a: Parameters<Backlog['complete']>) => (calls.complete++, store.backlog.complete(...a)),
    });
    const log = createLogger('error', { write: () => {} });
    const consumer = createConsumer({ backlog, key, owner: 'me/', concurrency: 8, log, pollMs: 1000 });
    const answered: string[] = [];
    consumer.start(async (e) => {
      await new Promise((r) => setTimeout(r, 1 + (answered.length % 3)));
      answered.push(e.webhookEventId);
    });
    const events = Array.from({ length: 60 }, (_, i) =>
      seal(key, event(`b${i}`, `U${String(i).padStart(32, '0')}`)),
    );
    await store.backlog.enqueue(events, 60_000);
    consumer.wake();
    await waitFor(() => answered.length === 60 && consumer.running === 0, 5000, 'all answered');
    expect(new Set(answered).size).toBe(60);
    expect((await store.backlog.stats()).count).toBe(0);
    expect(calls.complete).toBe(0);
    // Two calls per event before (a take and a delete each, 120); now batches of a quarter of the
    // concurrency (2), plus the last events' deletes, which find nothing more to take.
    expect(calls.take).toBeLessThanOrEqual(40);
    await consumer.stop(Date.now() + 1000);
  });

  it('holds a batch taken ahead: a slot that frees starts the next event before the next take returns', async () => {
    const store = new MemoryStore();
    let takes = 0;
    let openTakes!: () => void;
    const takesOpen = new Promise<void>((r) => (openTakes = r));
    const backlog: Backlog = Object.assign(Object.create(store.backlog) as Backlog, {
      take: async (...a: Parameters<Backlog['take']>) => {
        // The first take answers at once; every later one waits until the test opens them.
        if (takes++ > 0) await takesOpen;
        return store.backlog.take(...a);
      },
    });
    const log = createLogger('error', { write: () => {} });
    const consumer = createConsumer({ backlog, key, owner: 'me/', concurrency: 4, log, pollMs: 1000 });
    const started: string[] = [];
    const finish = new Map<string, () => void>();
    const events = Array.from({ length: 10 }, (_, i) =>
      seal(key, event(`p${i}`, `U${String(i).padStart(32, '0')}`)),
    );
    await store.backlog.enqueue(events, 60_000);
    consumer.start(async (e) => {
      started.push(e.webhookEventId);
      await new Promise<void>((r) => finish.set(e.webhookEventId, r));
    });
    await waitFor(() => started.length === 4, 2000, 'four running');
    // Four run (the concurrency), one more was taken ahead (a batch: a quarter of four).
    finish.get('p0')!();
    await waitFor(() => started.length === 5, 2000, 'the event taken ahead starts');
    expect(takes).toBeGreaterThan(1); // the next take is on its way, still waiting
    openTakes();
    for (let i = 0; i < 10; i++) {
      await waitFor(() => started.length > i, 2000, `p${i} started`);
      finish.get(`p${i}`)?.();
    }
    await waitFor(() => consumer.running === 0 && started.length === 10, 2000, 'all answered');
    for (const id of started.slice(5)) finish.get(id)!();
    expect(new Set(started).size).toBe(10);
    await consumer.stop(Date.now() + 1000);
  });

  it('starts one taken event per turn of the event loop, or startsPerTurn of them (event threads)', async () => {
    // Counts the events started in the turn of the first start: a setImmediate queued by the first
    // start runs before the consumer's next turn of starts.
    async function startedInOneTurn(startsPerTurn?: number): Promise<number> {
      const store = new MemoryStore();
      const log = createLogger('error', { write: () => {} });
      const consumer = createConsumer({
        backlog: store.backlog,
        key,
        owner: 'me/',
        concurrency: 8,
        log,
        pollMs: 1000,
        startsPerTurn,
      });
      const started: string[] = [];
      let inFirstTurn = -1;
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      consumer.start(async (e) => {
        started.push(e.webhookEventId);
        if (started.length === 1) setImmediate(() => (inFirstTurn = started.length));
        await held;
      });
      const events = Array.from({ length: 8 }, (_, i) =>
        seal(key, event(`t${i}`, `U${String(i).padStart(32, '0')}`)),
      );
      await store.backlog.enqueue(events, 60_000);
      consumer.wake();
      await waitFor(() => inFirstTurn > 0, 2000, 'a start');
      release();
      await waitFor(() => consumer.running === 0 && started.length === 8, 2000, 'all answered');
      await consumer.stop(Date.now() + 1000);
      return inFirstTurn;
    }
    expect(await startedInOneTurn()).toBe(1);
    expect(await startedInOneTurn(8)).toBe(8);
  });

  it('notes "sending" once, from prepare() or reply(), and never replies before the note is written', async () => {
    const store = new MemoryStore();
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const marks: string[] = [];
    const backlog: Backlog = Object.assign(Object.create(store.backlog) as Backlog, {
      markSending: async (...a: Parameters<Backlog['markSending']>) => {
        marks.push(a[0]);
        await gate;
        await store.backlog.markSending(...a);
      },
    });
    const log = createLogger('error', { write: () => {} });
    const consumer = createConsumer({ backlog, key, owner: 'me/', concurrency: 4, log, pollMs: 1000 });
    const replied: string[] = [];
    const sender = consumer.wrapSender({
      async reply(target) {
        replied.push(target.eventId);
        return 'replied';
      },
      async showLoading() {},
    });
    consumer.start(async (e) => {
      const target = {
        eventId: e.webhookEventId,
        replyToken: 'rt',
        chat: { type: 'user' as const, id: 'U' },
      };
      const prepared = sender.prepare!(target); // as the processor does, alongside its own writes
      const reply = sender.reply(target, []);
      await Promise.all([prepared, reply]);
    });
    await store.backlog.enqueue([seal(key, event('s1'))], 60_000);
    consumer.wake();
    await waitFor(() => marks.length === 1, 2000, 'the note started');
    await new Promise((r) => setTimeout(r, 30));
    expect(replied).toEqual([]); // still waiting for the note
    open();
    await waitFor(() => replied.length === 1, 2000, 'the reply');
    expect(marks).toEqual(['s1']);
    await consumer.stop(Date.now() + 1000);
  });
});
