// Health that tells the truth: /readyz turns 503 while events that could be answered wait too long
// (and 200 again once they are answered), and a client that trickles its request is cut off rather than
// holding a connection. (A thread whose beats stop: test/server/event-threads.test.ts.)
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startBot } from '../support/bot.ts';
import { stubDetector } from '../support/verdicts.ts';
import { body, inUser, postWebhook, textEvent, waitFor } from '../../scripts/stand-ins/webhook.ts';

describe('/readyz', { timeout: 30_000 }, () => {
  it('says 503 while an answerable event waits longer than readyMaxWaitMs, then 200 again', async () => {
    const bot = await startBot({
      detector: Promise.resolve(stubDetector()),
      options: { concurrency: 1, readyMaxWaitMs: 200 },
    });
    try {
      expect((await fetch(`${bot.url}/readyz`)).status).toBe(200);
      bot.fake.setDelay('reply', 1200); // LINE is slow: the one slot is busy, the second event waits
      const a = textEvent('HIGH with link', inUser('U' + 'a'.repeat(32)));
      const b = textEvent('HIGH with link', inUser('U' + 'b'.repeat(32)));
      expect((await postWebhook(bot.url, body(a, b))).status).toBe(200);
      let notReady: unknown = null;
      for (let i = 0; i < 100 && !notReady; i++) {
        const res = await fetch(`${bot.url}/readyz`);
        if (res.status === 503) notReady = await res.json();
        else await new Promise((r) => setTimeout(r, 20));
      }
      expect(notReady).toMatchObject({ status: 'backlog', backlog: 2 });
      await waitFor(() => bot.fake.callsTo('reply').length === 2, 10_000, 'both answered');
      await waitFor(() => bot.logs.filter((l) => l.includes('"event handled"')).length === 2, 5000, 'done');
      expect((await fetch(`${bot.url}/readyz`)).status).toBe(200);
      expect(bot.logs.some((l) => l.includes('not ready: events wait too long'))).toBe(true);
    } finally {
      await bot.close();
    }
  });
});

describe('slow requests', { timeout: 30_000 }, () => {
  it('are cut off: a body trickled byte by byte gets 408 and the connection closes', async () => {
    const bot = await startBot({
      detector: Promise.resolve(stubDetector()),
      options: { requestTimeoutMs: 300 },
    });
    try {
      const { port } = new URL(bot.url);
      const socket = connect(Number(port), '127.0.0.1');
      let answer = '';
      socket.on('data', (c: Buffer) => (answer += c.toString('latin1')));
      const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
      socket.write(
        'POST /webhooks/line HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
          'x-line-signature: x\r\nContent-Length: 100000\r\n\r\n{',
      );
      const trickle = setInterval(() => socket.writable && socket.write(' '), 100);
      await closed;
      clearInterval(trickle);
      expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    } finally {
      await bot.close();
    }
  });

  it('are bounded by default', async () => {
    const bot = await startBot({ detector: Promise.resolve(stubDetector()) });
    try {
      expect(bot.app.server.requestTimeout).toBe(15_000);
      expect(bot.app.server.timeout).toBe(30_000);
      expect(bot.app.server.headersTimeout).toBe(5000);
    } finally {
      await bot.close();
    }
  });
});
