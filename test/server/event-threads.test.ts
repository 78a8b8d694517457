// When an event thread fails (src/server/event-threads.ts): the events it held fail loudly, naming their
// ids (the work queue logs them), a new thread takes over, and the server goes on answering.
import { describe, expect, it } from 'vitest';
import type { LineEvent } from '../../src/line/events.ts';
import { startEventThreads } from '../../src/server/event-threads.ts';

const event = (id: string) => ({ webhookEventId: id }) as LineEvent;

describe('event threads', { timeout: 20_000 }, () => {
  it('fails the events of a thread that dies, names them, and carries on with a new thread', async () => {
    const errors: string[] = [];
    const threads = startEventThreads({
      threads: 1,
      onThreadError: (err) => errors.push(err.message),
      worker: new URL('../helpers/failing-event-thread.ts', import.meta.url),
    });
    try {
      await threads.ready;
      const results = await Promise.allSettled([
        threads.process(event('first')),
        threads.process(event('crash')),
        threads.process(event('third')),
      ]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
      const reasons = results.map((r) => String((r as PromiseRejectedResult).reason));
      expect(reasons[0]).toMatch(/staged failure; event first may not have been answered/);
      expect(reasons[2]).toMatch(/event third/);
      expect(errors).toEqual(['event thread failed: staged failure (3 events in it)']);
      // The replacement starts and answers.
      let answered = false;
      for (let i = 0; i < 100 && !answered; i++) {
        answered = await threads.process(event(`after-${i}`)).then(
          () => true,
          () => false,
        );
        if (!answered) await new Promise((r) => setTimeout(r, 50));
      }
      expect(answered).toBe(true);
      expect(await threads.metrics()).toEqual([[]]);
    } finally {
      await threads.close();
    }
  });
});
