// The simulator page's uploads reach the same reading code as LINE's content API (the same handler,
// with the uploaded bytes as its ContentSource): the hostile files sent through
// POST /simulator/events are each answered, a verdict or a kind refusal, within generous waits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryContentSource } from '../../src/media/content.ts';
import { MEDIA_LIMITS } from '../../src/media/media.ts';
import { createOcrPool, type OcrPool } from '../../src/media/ocr-pool.ts';
import { startBot, type Bot } from '../support/bot.ts';
import { sharedDetector } from '../support/detector.ts';
import { hostileCases, type HostileCase } from '../../scripts/fixtures/hostile-inputs.ts';

let bot: Bot;
let pool: OcrPool;
let cases: HostileCase[];

beforeAll(async () => {
  pool = createOcrPool({ size: 1, maxQueue: 2 });
  cases = await hostileCases();
  bot = await startBot({
    line: false,
    detector: sharedDetector(),
    media: () => ({ content: memoryContentSource(new Map()), ocr: pool, limits: MEDIA_LIMITS }),
    env: { RATE_LIMIT_USER: 'off' },
  });
}, 60_000);
afterAll(async () => {
  await bot?.close();
  await pool?.close();
});

describe('hostile files uploaded to the simulator page', () => {
  it('are each answered through the same reading code', async () => {
    for (const c of cases) {
      const upload =
        c.message.type === 'image'
          ? { type: 'image', data: c.bytes.toString('base64'), contentType: c.contentType }
          : { type: 'file', fileName: c.message.fileName, data: c.bytes.toString('base64') };
      const t = performance.now();
      const res = await fetch(`${bot.url}/simulator/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(upload),
      });
      const json = (await res.json()) as { messages?: { text?: string; altText?: string }[] };
      const said = (json.messages ?? []).map((m) => m.altText ?? m.text ?? '').join('\n');
      console.log(`simulator, ${c.name}: answered in ${(performance.now() - t).toFixed(0)} ms`);
      expect(res.status, c.name).toBe(200);
      expect(said, c.name).toMatch(c.answer);
    }
  }, 300_000);

  it('says when a text file was longer than the bot reads', async () => {
    const long =
      '【Amazon】お支払い方法に問題があります。 https://amazon-co-jp.xyz/login\n' + 'あ'.repeat(30_000);
    const res = await fetch(`${bot.url}/simulator/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'file',
        fileName: 'long.txt',
        data: Buffer.from(long).toString('base64'),
      }),
    });
    const json = (await res.json()) as { messages?: { text?: string; altText?: string }[] };
    const said = (json.messages ?? []).map((m) => m.altText ?? m.text ?? '').join('\n');
    expect(said).toMatch(/^【危険】[^]*最初の20,000文字だけを確かめました/);
  }, 60_000);
});
