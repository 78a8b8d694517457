// Bounded work queue (the simulator page's events; LINE's go through the durable backlog, src/server/
// backlog.ts and consumer.ts): at most `concurrency` run at once, events of one chat run in
// arrival order (a conversation's next step must see the previous one), and at most `maxPending` wait.
// Tasks start one per turn of the event loop (setImmediate): analysing a message is CPU work, and
// starting one at a time lets the server read and acknowledge new webhooks in between, so the 200
// that LINE waits for never queues behind a long burst of analyses.
export interface WorkQueue {
  /** False when full: the caller must not acknowledge work it could not take. */
  push(key: string, task: () => Promise<void>): boolean;
  /** Free places; a batch is taken whole or not at all. */
  readonly room: number;
  /** Tasks taken and not finished (running included), and of those the ones running: for metrics. */
  readonly pending: number;
  readonly running: number;
  /** Resolves once everything pushed so far has finished. */
  drain(): Promise<void>;
}

export function createWorkQueue(opts: {
  concurrency: number;
  maxPending: number;
  onError: (err: unknown) => void;
}): WorkQueue {
  let pending = 0;
  let running = 0;
  /** Tasks whose turn has come in their chat, waiting for a slot. */
  const ready: (() => void)[] = [];
  const tails = new Map<string, Promise<void>>();
  let drained: (() => void)[] = [];
  let scheduled = false;

  const schedule = () => {
    if (scheduled || ready.length === 0 || running >= opts.concurrency) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      // One task a turn (the header says why); the next turn takes the next.
      if (ready.length > 0 && running < opts.concurrency) {
        running++;
        ready.shift()!();
      }
      schedule();
    });
  };
  const slot = () =>
    new Promise<void>((resolve) => {
      ready.push(resolve);
      schedule();
    });

  return {
    get room() {
      return opts.maxPending - pending;
    },
    get pending() {
      return pending;
    },
    get running() {
      return running;
    },
    push(key, task) {
      if (pending >= opts.maxPending) return false;
      pending++;
      const run = (tails.get(key) ?? Promise.resolve())
        .then(slot)
        .then(async () => {
          try {
            await task();
          } catch (err) {
            opts.onError(err);
          } finally {
            running--;
            schedule();
          }
        })
        .finally(() => {
          pending--;
          if (tails.get(key) === run) tails.delete(key);
          if (pending === 0) {
            for (const resolve of drained) resolve();
            drained = [];
          }
        });
      tails.set(key, run);
      return true;
    },
    drain() {
      return pending === 0 ? Promise.resolve() : new Promise((resolve) => drained.push(resolve));
    },
  };
}
