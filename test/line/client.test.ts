// The LINE client wrapper against the fake API: retries, final errors, retry keys, content download.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLineApi, isInvalidReplyToken, LineApiError, type LineApi } from '../../src/line/client.ts';
import { createLineSender } from '../../src/line/sender.ts';
import { createLogger } from '../../src/log/logger.ts';
import { INVALID_REPLY_TOKEN, startFakeLine, type FakeLine } from '../../scripts/stand-ins/fake-line.ts';
import { TOKEN } from '../../scripts/stand-ins/webhook.ts';

const hello = [{ type: 'text' as const, text: 'こんにちは' }];

describe('LINE client', () => {
  let fake: FakeLine;
  let api: LineApi;
  beforeAll(async () => {
    fake = await startFakeLine();
    api = createLineApi({
      channelAccessToken: TOKEN,
      apiBaseUrl: fake.url,
      baseDelayMs: 5,
      maxDelayMs: 20,
      timeoutMs: 300,
    });
  });
  afterAll(() => fake.close());
  afterEach(() => fake.reset());

  it('replies with the token and the access token', async () => {
    await api.reply('rt-1', hello);
    const [call] = fake.callsTo('reply');
    expect(call!.body).toEqual({ replyToken: 'rt-1', messages: hello });
    expect(call!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(call!.headers['x-line-retry-key']).toBeUndefined(); // reply refuses retry keys
    // The headers are a raw list: Host and the length are ours to get right.
    expect(call!.headers.host).toBe(new URL(fake.url).host);
    expect(call!.headers['content-type']).toBe('application/json');
    expect(Number(call!.headers['content-length'])).toBe(
      Buffer.byteLength(JSON.stringify({ replyToken: 'rt-1', messages: hello })),
    );
    expect(call!.headers.connection).toBe('keep-alive');
  });

  it('builds the same request around the messages already serialised (the sender hands them over)', async () => {
    await api.reply('rt-1"\u2028', hello);
    await api.reply('rt-1"\u2028', hello, JSON.stringify(hello));
    const [plain, given] = fake.callsTo('reply');
    expect(given!.body).toEqual(plain!.body);
    expect(given!.headers['content-length']).toBe(plain!.headers['content-length']);
  });

  it('retries 429 and 5xx, then succeeds', async () => {
    fake.script('reply', { status: 429 }, { status: 500 }, { status: 502 });
    await api.reply('rt-2', hello);
    expect(fake.callsTo('reply')).toHaveLength(4);
  });

  it('gives up after the last attempt with the status', async () => {
    fake.script('reply', ...Array.from({ length: 4 }, () => ({ status: 500, body: { message: 'boom' } })));
    const err = await api.reply('rt-3', hello).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LineApiError);
    expect(err).toMatchObject({ status: 500, attempts: 4, lineMessage: 'boom', uncertain: true });
  });

  it('does not retry other 4xx; recognises an invalid reply token', async () => {
    fake.script('reply', INVALID_REPLY_TOKEN);
    const err = await api.reply('rt-4', hello).catch((e: unknown) => e);
    expect(fake.callsTo('reply')).toHaveLength(1);
    expect(isInvalidReplyToken(err)).toBe(true);
    expect(err).toMatchObject({ uncertain: false });
  });

  it('treats a hung request as failed after the timeout and retries it', async () => {
    fake.script('reply', { status: 200, delayMs: 1000 });
    await api.reply('rt-5', hello);
    expect(fake.callsTo('reply')).toHaveLength(2);
  });

  it('sends the same retry key on every push attempt, and takes 409 (already accepted) as done', async () => {
    fake.script(
      'push',
      { status: 500 },
      { status: 409, body: { message: 'The retry key is already accepted' } },
    );
    await api.push('U1', hello, 'a0b1c2d3-0000-4000-8000-000000000000');
    const keys = fake.callsTo('push').map((c) => c.headers['x-line-retry-key']);
    expect(keys).toEqual(Array(2).fill('a0b1c2d3-0000-4000-8000-000000000000'));
  });

  it('starts the loading animation once, without retrying', async () => {
    fake.script('loading', { status: 500 });
    await expect(api.showLoading('U1', 20)).rejects.toBeInstanceOf(LineApiError);
    await api.showLoading('U1', 20);
    expect(fake.callsTo('loading').map((c) => c.body)).toEqual([
      { chatId: 'U1', loadingSeconds: 20 },
      { chatId: 'U1', loadingSeconds: 20 },
    ]);
  });

  it('the sender never sends a message LINE would refuse: an oversized card goes out as its summary', async () => {
    const logs: string[] = [];
    const sender = createLineSender(api, createLogger('info', { write: (l: string) => void logs.push(l) }));
    const altText = '【危険】' + 'あ'.repeat(500);
    const card = { type: 'flex' as const, altText, contents: { type: 'bubble' as const } };
    const delivery = await sender.reply(
      { eventId: 'E1', replyToken: 'rt-6', chat: { type: 'user', id: 'U1' } },
      [card],
    );
    expect(delivery).toBe('replied');
    const [call] = fake.callsTo('reply');
    expect(call!.body).toEqual({ replyToken: 'rt-6', messages: [{ type: 'text', text: altText }] });
    expect(logs.join('')).toContain('exceeds LINE limits');
  });
  it('when LINE refuses the answer itself (e.g. a link scheme the channel does not take), the verdict still goes out as text', async () => {
    const sender = createLineSender(api, createLogger('silent'));
    const altText = '【危険】Amazonを名乗る、詐欺の可能性が高いメッセージです。';
    const card = { type: 'flex' as const, altText, contents: { type: 'bubble' as const } };
    const report = { type: 'flex' as const, altText: '報告する', contents: { type: 'bubble' as const } };
    fake.script('reply', { status: 400, body: { message: 'The request body has 1 error(s)' } });
    const delivery = await sender.reply(
      { eventId: 'E2', replyToken: 'rt-7', chat: { type: 'user', id: 'U1' } },
      [card, report],
    );
    expect(delivery).toBe('replied');
    const calls = fake.callsTo('reply');
    expect(calls).toHaveLength(2);
    expect(calls[1]!.body).toEqual({ replyToken: 'rt-7', messages: [{ type: 'text', text: altText }] });
    expect(fake.callsTo('push')).toHaveLength(0);
  });
});
