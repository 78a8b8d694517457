// Rate limits (src/conversation/rate-limit.ts): per 1:1 chat and per group, one polite notice when the
// limit is reached, then silence until the window has passed; commands are never limited.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/store/memory.ts';
import { startBot, type Bot } from '../support/bot.ts';
import type { RecordedCall } from '../../scripts/stand-ins/fake-line.ts';
import { stubDetector } from '../support/verdicts.ts';
import {
  BOT,
  body,
  inGroup,
  inUser,
  postWebhook,
  textEvent,
  waitFor,
  type TestEvent,
} from '../../scripts/stand-ins/webhook.ts';

const clock = { t: Date.UTC(2026, 10, 25, 3, 0) };
let bot: Bot;
beforeAll(async () => {
  bot = await startBot({
    store: new MemoryStore(() => clock.t),
    detector: Promise.resolve(stubDetector()),
    env: { RATE_LIMIT_USER: '3/10m', RATE_LIMIT_GROUP: '4/5m' },
  });
});
afterAll(() => bot.close());
beforeEach(() => bot.fake.reset());

const handled = () => bot.logs.filter((l) => l.includes('"event handled"')).length;
/** Sends one event and waits until it was handled; returns what was replied to it (null: nothing). */
async function send(event: TestEvent & { replyToken?: string }): Promise<string | null> {
  const before = handled();
  expect((await postWebhook(bot.url, body(event))).status).toBe(200);
  await waitFor(() => handled() > before, 5000, 'event handled');
  const call = bot.fake
    .callsTo('reply')
    .find((c: RecordedCall) => (c.body as { replyToken: string }).replyToken === event.replyToken);
  if (!call) return null;
  const m = (call.body as { messages: { text?: string; altText?: string }[] }).messages[0]!;
  return m.text ?? m.altText ?? '';
}

const mentioned = (text: string, source = inGroup()) => {
  const ev = textEvent(`@さぎチェック${text}`, source);
  const mention = { mentionees: [{ index: 0, length: 7, type: 'user', userId: BOT, isSelf: true }] };
  return { ...ev, message: { ...ev.message, mention } };
};

describe('rate limit in a 1:1 chat', { timeout: 30_000 }, () => {
  it('answers up to the limit, says so once, then stays quiet until the window has passed', async () => {
    const user = inUser('U' + 'a'.repeat(32));
    for (let i = 0; i < 3; i++) expect(await send(textEvent('HIGH with link', user))).toMatch(/^【危険】/);
    const notice = await send(textEvent('HIGH with link', user));
    expect(notice).toContain('確認を少しお休みします');
    expect(notice).toContain('10分ほど');
    expect(await send(textEvent('HIGH with link', user))).toBeNull();
    expect(await send(textEvent('LOW with link', user))).toBeNull();
    // Typed commands and buttons are not checks: they are always answered.
    expect(await send(textEvent('どうすればいい？', user))).toContain('【危険】');
    // Another user is not affected.
    expect(await send(textEvent('HIGH with link', inUser('U' + 'b'.repeat(32))))).toMatch(/^【危険】/);
    // The log says what happened, without the text.
    const line = bot.logs.filter((l) => l.includes('"limited":"user"')).at(-1)!;
    expect(line).not.toContain('HIGH with link');

    clock.t += 10 * 60_000;
    expect(await send(textEvent('HIGH with link', user))).toMatch(/^【危険】/);
  });
});

describe('rate limit in a group', { timeout: 30_000 }, () => {
  it('counts every check in the group; chatter over the limit gets no notice, the first call of the bot does', async () => {
    const group = 'C' + 'c'.repeat(32);
    const alice = inGroup(group, 'U' + '1'.repeat(32));
    const bob = inGroup(group, 'U' + '2'.repeat(32));
    // Four checks: ordinary chatter (the bot stays quiet) and one likely scam (it warns).
    expect(await send(textEvent('LOW with link', alice))).toBeNull();
    expect(await send(textEvent('LOW with link', bob))).toBeNull();
    expect(await send(textEvent('LOW with link', alice))).toBeNull();
    expect(await send(textEvent('HIGH with link', bob))).toMatch(/^【危険】/);
    // Over the limit: a scam in the chatter passes silently, and no notice is pushed into the chat.
    expect(await send(textEvent('HIGH with link', alice))).toBeNull();
    // Someone calls the bot: the notice, once.
    const notice = await send(mentioned('HIGH with link', bob));
    expect(notice).toContain('確認を少しお休みします');
    expect(notice).toContain('5分ほど');
    expect(await send(mentioned('HIGH with link', alice))).toBeNull();
    // The 1:1 chats of the same people have their own limits.
    expect(await send(textEvent('HIGH with link', inUser('U' + '1'.repeat(32))))).toMatch(/^【危険】/);

    clock.t += 5 * 60_000;
    expect(await send(mentioned('HIGH with link', alice))).toMatch(/^【危険】/);
  });
});

describe('the count across blocking and adding the bot again (issue 11)', () => {
  it('is kept under a hash of the chat id, so deleting the chat does not reset it', async () => {
    const { takeCheck, counterKey, RATE_NS } = await import('../../src/conversation/rate-limit.ts');
    const store = new MemoryStore(() => clock.t);
    const chat = { type: 'user' as const, id: 'U' + '9'.repeat(32) };
    const limits = { user: { max: 2, windowMs: 600_000 }, group: null };
    expect((await takeCheck(store, chat, limits, true)).ok).toBe(true);
    expect((await takeCheck(store, chat, limits, true)).ok).toBe(true);
    await store.deleteSubject(chat.id); // unfollow
    expect((await takeCheck(store, chat, limits, true)).ok).toBe(false);
    // Only a number, under a name that is not the id and does not contain it.
    expect(counterKey(chat.id)).not.toContain(chat.id.slice(1, 10));
    expect(await store.get(RATE_NS, chat.id)).toBeNull();
  });
});
