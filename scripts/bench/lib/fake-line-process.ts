// The fake LINE API in a process of its own for scripts/bench/webhook.ts, so the load generator and the
// fake do not slow each other down. Prints its URL; over IPC, answers "calls" with the reply tokens it
// received and when (epoch milliseconds, sub-millisecond precision, comparable across processes), and
// "reset" by forgetting them.
import { startFakeLine } from '../../stand-ins/fake-line.ts';

const fake = await startFakeLine();
const epoch = (hr: number) => performance.timeOrigin + hr;
process.on('message', (msg: string) => {
  if (msg === 'calls') {
    const replies = fake
      .callsTo('reply')
      .map((c) => [(c.body as { replyToken: string }).replyToken, epoch(c.hr)]);
    process.send!({ replies, pushes: fake.callsTo('push').length, loading: fake.callsTo('loading').length });
  } else if (msg === 'reset') {
    fake.reset();
    process.send!({ reset: true });
  }
});
process.on('disconnect', () => void fake.close().then(() => process.exit(0)));
console.log(fake.url);
