// An open-loop load generator: requests leave at the times of a Poisson process of the given rate, as
// webhooks from many independent people would, whether or not earlier ones were answered. (autocannon's
// overallRate is a budget per connection per second: each of its connections sends back to back at the
// start of every second until it has sent its share, so 1,000/s over 100 connections arrived as ~1,000
// requests in the first 100–200 ms of each second, 100 at a time, and then nothing: the ack latency it
// measured was mostly that queue of 100.) Latency is counted from the time a request was due, not from
// when it could be written, so a generator or connection pool that falls behind is not hidden.
// Requests go over kept-alive connections (src/line/http-post.ts, at most `connections` at once).
import { createJsonPoster } from '../../../src/line/http-post.ts';
import { seeded } from './texts.ts';

export interface OpenLoopRequest {
  path: string;
  body: string;
  headers: Record<string, string>;
  /** The status received (0: no answer: a network error or the timeout). */
  done(status: number): void;
}

export interface OpenLoopResult {
  sent: number;
  answered: number;
  errors: number;
  /** Due time → response, ms, of every answered request. */
  latencies: Float64Array;
}

const TIMEOUT_MS = 10_000;

export async function openLoop(
  base: string,
  o: { rate: number; seconds: number; connections: number; seed?: number },
  /** The next request, due at `due` (performance.now() ms). */
  next: (due: number) => OpenLoopRequest,
): Promise<OpenLoopResult> {
  const poster = createJsonPoster(base, [['content-type', 'application/json']], o.connections);
  const random = seeded(o.seed ?? 1);
  const latencies: number[] = [];
  let sent = 0;
  let errors = 0;
  const inFlight = new Set<Promise<void>>();
  const t0 = performance.now();
  const end = t0 + o.seconds * 1000;
  let due = t0;

  const send = (at: number) => {
    const r = next(at);
    sent++;
    const p = poster.post(r.path, r.body, TIMEOUT_MS, r.headers).then(
      (answer) => {
        latencies.push(performance.now() - at);
        r.done(answer.status);
      },
      () => {
        errors++;
        r.done(0);
      },
    );
    inFlight.add(p);
    void p.then(() => inFlight.delete(p));
  };

  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      // Every request due by now leaves now (timers fire late on a busy machine; they are not skipped).
      while (due <= now && due < end) {
        send(due);
        due += (-Math.log(1 - random()) * 1000) / o.rate;
      }
      if (due >= end) return resolve();
      setTimeout(tick, Math.max(0, due - performance.now()));
    };
    tick();
  });
  await Promise.all(inFlight);
  poster.close();
  return { sent, answered: latencies.length, errors, latencies: Float64Array.from(latencies) };
}
