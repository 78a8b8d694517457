// Overload: when the queue has no room, a webhook is refused with 503 before its body is read (no
// signature check, no parsing: that CPU belongs to the queued events), logged with a count rather than
// once per request, and events are taken again as soon as there is room.
import { describe, expect, it } from 'vitest';
import { startBot } from '../support/bot.ts';
import { stubDetector } from '../support/verdicts.ts';
import { body, inUser, postWebhook, textEvent, waitFor } from '../../scripts/stand-ins/webhook.ts';

describe('a full queue', { timeout: 30_000 }, () => {
  it('refuses at once, logs a count, and takes events again when there is room', async () => {
    const bot = await startBot({
      detector: Promise.resolve(stubDetector()),
      options: { maxPending: 2, concurrency: 1 },
    });
    try {
      bot.fake.setDelay('reply', 300); // LINE is slow: the two events stay in the queue a while
      const two = [textEvent('HIGH with link', inUser('U' + '3'.repeat(32))), textEvent('LOW with link')];
      expect((await postWebhook(bot.url, body(...two))).status).toBe(200);
      for (let i = 0; i < 5; i++) {
        const res = await postWebhook(bot.url, body(textEvent('HIGH with link')));
        expect(res.status).toBe(503);
        expect(res.json).toMatchObject({ error: 'busy' });
      }
      // Refused before the body was read: not even the signature is looked at.
      expect((await postWebhook(bot.url, 'garbage', { 'x-line-signature': 'x' })).status).toBe(503);
      expect(bot.logs.filter((l) => l.includes('refusing webhooks'))).toHaveLength(1);

      await waitFor(() => bot.fake.callsTo('reply').length === 2, 5000, 'queued events answered');
      await waitFor(() => bot.logs.filter((l) => l.includes('"event handled"')).length === 2, 2000, 'done');
      expect((await postWebhook(bot.url, body(textEvent('HIGH with link')))).status).toBe(200);
      const m = await (await fetch(`${bot.url}/metrics`)).text();
      expect(m).toMatch(/^sagicheck_webhook_requests_total\{status="503"\} 6$/m);
    } finally {
      await bot.close();
    }
  });
});
