// Event threads (src/server/event-threads.ts): a thread that dies is reported with its lease owner (so
// its events can be given back at once) and replaced; a thread whose beats stop is reported stuck; spare
// threads start while events wait and stop once all are quiet.
import { describe, expect, it } from 'vitest';
import { startEventThreads } from '../../src/server/event-threads.ts';
import { waitFor } from '../../scripts/stand-ins/webhook.ts';

describe('event threads', { timeout: 20_000 }, () => {
  it('replaces a thread that dies, naming its owner, and reports one whose beats stop', async () => {
    const errors: { message: string; owner: string }[] = [];
    const threads = startEventThreads({
      threads: 1,
      concurrency: 4,
      ownerPrefix: 'host/run/',
      onThreadError: (err, owner) => errors.push({ message: err.message, owner }),
      stuckBeatMs: 300,
      worker: new URL('../support/failing-event-thread.ts', import.meta.url),
    });
    try {
      await threads.ready;
      expect(threads.stuck()).toBeNull();
      threads.wake(); // the first thread fails
      await waitFor(() => errors.length === 1, 5000, 'the failure');
      expect(errors[0]!.message).toMatch(
        /^event thread failed: staged failure \(\d+ events in it; the others take them over\)$/,
      );
      expect(errors[0]!.owner).toBe('host/run/1/');
      // The replacement starts, beats, and answers for metrics.
      let answering = 0;
      for (let i = 0; i < 100 && answering === 0; i++) {
        answering = (await threads.metrics()).length;
        if (!answering) await new Promise((r) => setTimeout(r, 50));
      }
      expect(answering).toBe(1);
      await waitFor(() => threads.running() === 1, 5000, 'a beat');
      expect(threads.stuck()).toBeNull();
      threads.wake(); // the replacement stops beating
      await waitFor(() => threads.stuck() !== null, 5000, 'stuck');
      expect(threads.stuck()).toMatch(/^event thread 1 has not answered for \d+ ms$/);
    } finally {
      await threads.close(Date.now() + 1000);
    }
  });

  it('starts a spare thread only while many events wait, and stops it once the threads are quiet', async () => {
    const spares: number[] = [];
    const retired: string[] = [];
    const threads = startEventThreads({
      threads: 2,
      concurrency: 4,
      ownerPrefix: 'host/run/',
      onThreadError: (err) => {
        throw err;
      },
      onSpare: (n) => spares.push(n),
      onRetired: (owner) => retired.push(owner),
      growAfterMs: 100,
      retireAfterMs: 1500,
      retireCheckMs: 50,
      worker: new URL('../support/quiet-event-thread.ts', import.meta.url),
    });
    try {
      await threads.ready;
      expect(threads.count()).toBe(1);
      // No more waiting than one thread holds (its concurrency): no spare, however long.
      threads.wake(4);
      await new Promise((r) => setTimeout(r, 150));
      threads.wake(4);
      expect(threads.count()).toBe(1);
      // Many waiting, but only for a moment (a burst cleared at once): none either.
      threads.wake(50);
      threads.wake(3);
      await new Promise((r) => setTimeout(r, 150));
      threads.wake(50);
      expect(threads.count()).toBe(1);
      // Many waiting for longer than growAfterMs: one spare, and never more than `threads`.
      await new Promise((r) => setTimeout(r, 150));
      threads.wake(50);
      expect(threads.count()).toBe(2);
      expect(spares).toEqual([2]);
      for (let i = 0; i < 100 && (await threads.metrics()).length < 2; i++)
        await new Promise((r) => setTimeout(r, 50)); // the spare loaded
      expect((await threads.metrics()).length).toBe(2);
      await new Promise((r) => setTimeout(r, 150));
      threads.wake(50);
      expect(threads.count()).toBe(2);
      // Both idle: after retireAfterMs the spare (the second thread) finishes and stops; the first stays.
      await waitFor(() => retired.length === 1, 10_000, 'the spare to stop');
      expect(retired).toEqual(['host/run/2/']);
      expect(threads.count()).toBe(1);
      expect((await threads.metrics()).length).toBe(1);
      await new Promise((r) => setTimeout(r, 600));
      expect(threads.count()).toBe(1);
    } finally {
      await threads.close(Date.now() + 1000);
    }
  });
});
