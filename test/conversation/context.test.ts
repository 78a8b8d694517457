// End to end: signed webhook in, what the bot sent to the (fake) LINE API out.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite.ts';
import { CONTEXT_NS } from '../../src/store/context.ts';
import { startBot, type Bot } from '../support/bot.ts';
import { INVALID_REPLY_TOKEN, type RecordedCall } from '../../scripts/stand-ins/fake-line.ts';
import { stubDetector } from '../support/verdicts.ts';
import {
  BOT,
  GROUP,
  USER,
  body,
  followEvent,
  inGroup,
  inUser,
  messageEvent,
  plainEvent,
  postWebhook,
  postbackEvent,
  textEvent,
  waitFor,
  type TestEvent,
} from '../../scripts/stand-ins/webhook.ts';

type Msg = {
  type: string;
  text?: string;
  altText?: string;
  contents?: unknown;
  quickReply?: { items: { action: { type: string; label: string; data: string; displayText: string } }[] };
};
type Event = TestEvent & { replyToken?: string; message?: object };

const messagesOf = (call: RecordedCall) => (call.body as { messages: Msg[] }).messages;

/** Posts events and waits for the reply to the last one (by its reply token). */
async function ask(bot: Bot, ...events: Event[]): Promise<Msg[]> {
  const res = await postWebhook(bot.url, body(...events));
  expect(res.status).toBe(200);
  const token = events.at(-1)!.replyToken;
  const call = await waitFor(
    () => bot.fake.callsTo('reply').find((c) => (c.body as { replyToken: string }).replyToken === token),
    5000,
    'reply',
  );
  return messagesOf(call);
}

/** The postback data of the quick reply with this label under the last message. */
function tapData(messages: Msg[], label: string): string {
  const item = messages.at(-1)!.quickReply?.items.find((i) => i.action.label === label);
  if (!item) throw new Error(`no button 「${label}」`);
  return item.action.data;
}

function textOf(messages: Msg[]): string {
  return messages.map((m) => m.text ?? m.altText ?? '').join('\n');
}

const mention = (text: string) => ({
  mention: {
    mentionees: [{ index: 0, length: '@さぎチェック'.length, type: 'user', userId: BOT, isSelf: true }],
  },
  text: `@さぎチェック${text}`,
});

describe('a forwarded text in a 1:1 chat (real detector)', () => {
  let bot: Bot;
  beforeAll(async () => {
    bot = await startBot();
  });
  afterAll(() => bot.close());
  afterEach(() => bot.fake.reset());

  const PHISH =
    '【Amazon】お支払い方法に問題があります。24時間以内に更新してください https://amazon-co-jp.xyz/login';

  it('replies with the verdict card first, labelled as the contract says, with the four buttons', async () => {
    const ev = textEvent(PHISH);
    const messages = await ask(bot, ev);
    // The card, then the 報告する card (test/launch/report.test.ts), which carries the buttons.
    expect(messages).toHaveLength(2);
    const card = messages[0]!;
    expect(card.type).toBe('flex');
    expect(card.altText).toMatch(/^【危険】/);
    const buttons = messages[1]!.quickReply!;
    expect(buttons.items.map((i) => i.action.displayText)).toEqual([
      'どうすればいい？',
      'リンクを開いてしまった',
      '情報を入力してしまった',
      '使い方',
    ]);
    for (const item of buttons.items) expect(item.action.type).toBe('postback');
    const json = JSON.stringify(card);
    expect(json).toContain('amazon-co-jp[.]xyz');
    expect(json).not.toMatch(/amazon-co-jp\.xyz|https?:\/\//);
    expect(json).toContain('次にすること');
    expect(bot.fake.callsTo('push')).toHaveLength(0);
  });

  it('answers 「どうすればいい？」 with the step-by-step guide for that verdict (test/guide/)', async () => {
    await ask(bot, textEvent(PHISH));
    const messages = await ask(bot, postbackEvent('action=help'));
    const t = textOf(messages);
    expect(t).toContain('【危険】');
    expect(t).toContain('Amazonを名乗るもの');
    expect(t).toContain('何がありましたか？');
    const steps = await ask(bot, postbackEvent(tapData(messages, 'まだ何もしていない')));
    expect(textOf(steps)).toContain('「アカウントサービス」→「メッセージセンター」');
    expect(textOf(steps)).toMatch(/ステップ 1\/\d+/);
    expect(steps.at(-1)!.quickReply!.items.map((i) => i.action.label)).toEqual([
      'できた',
      '次へ',
      'まとめて見る',
      '相談メモ',
      'ほかにしたこと',
    ]);
  });

  it('treats 「どうすればいい？」 typed by hand like the button', async () => {
    await ask(bot, textEvent(PHISH));
    const t = textOf(await ask(bot, textEvent('どうすればいい？')));
    expect(t).toContain('【危険】');
  });

  it('never keeps the text: the stored context has the verdict only', async () => {
    const ev = textEvent(PHISH);
    await ask(bot, ev);
    const ctx = await bot.store.get<Record<string, unknown>>(CONTEXT_NS, USER);
    expect(ctx).toMatchObject({ risk: 'high', brand: { id: 'amazon' }, messageId: ev.message.id });
    expect(JSON.stringify(ctx)).not.toContain('amazon-co-jp');
    expect(JSON.stringify(ctx)).not.toContain('24時間以内');
  });

  it('logs no message text, link, or phone number', async () => {
    const secret =
      'ヤマダタロウ様 090-8765-4321 taro@example.jp https://evil-example.top/x 4111 1111 1111 1111';
    await ask(bot, textEvent(secret));
    const all = bot.logs.join('\n');
    for (const piece of ['ヤマダタロウ', '090-8765-4321', 'taro@example.jp', 'evil-example', '4111 1111']) {
      expect(all).not.toContain(piece);
    }
    expect(all).not.toContain(USER); // chats appear as pseudonyms
    expect(all).toContain('event handled');
  });
});

describe('conversation rules (scripted verdicts)', () => {
  let bot: Bot;
  beforeAll(async () => {
    bot = await startBot({ detector: Promise.resolve(stubDetector()) });
  });
  afterAll(() => bot.close());
  afterEach(() => bot.fake.reset());

  it('answers every button with a real, useful text', async () => {
    // With no verdict yet, 「どうすればいい？」 asks what happened; the guide itself is tested in
    // test/guide/conversation.test.ts.
    const help = textOf(await ask(bot, postbackEvent('action=help', inUser('U' + 'a'.repeat(32)))));
    expect(help).toContain('何がありましたか？');

    const opened = textOf(await ask(bot, postbackEvent('action=opened_link')));
    expect(opened).toContain('開いたページは閉じてください。そのページで');

    const entered = textOf(await ask(bot, postbackEvent('action=entered_info')));
    expect(entered).toContain('何を入力しましたか？');

    const usage = textOf(await ask(bot, postbackEvent('action=usage')));
    expect(usage).toContain('コピー');
    expect(usage).toContain('パスワード');

    const unknown = textOf(await ask(bot, postbackEvent('action=nonsense')));
    expect(unknown).toBe(usage);
  });

  it('greets a new friend with what to send and that it never asks for passwords', async () => {
    const t = textOf(await ask(bot, followEvent()));
    expect(t).toContain('SMSやメールの本文');
    expect(t).toContain('スクリーンショット');
    expect(t).toContain('ファイル');
    expect(t).toContain('パスワード');
    expect(t).not.toContain('安全です');
  });

  it('explains what it can read for stickers, locations, audio and video; images and files are read (test/server/media.test.ts)', async () => {
    for (const type of ['sticker', 'location', 'audio', 'video']) {
      const t = textOf(await ask(bot, messageEvent({ type })));
      expect(t, type).toContain('読み取れません');
    }
    // No content behind these ids on the stand-in (404): a clear answer, never 「準備中」.
    const picture = textOf(
      await ask(bot, messageEvent({ type: 'image', contentProvider: { type: 'line' } })),
    );
    expect(picture).toContain('もう一度送ってください');
    const other = textOf(await ask(bot, messageEvent({ type: 'file', fileName: 'a.zip', fileSize: 10 })));
    expect(other).toContain('.eml');
    for (const t of [picture, other]) expect(t).not.toContain('準備中');
  });

  it('gives a clear answer to an empty text', async () => {
    const t = textOf(await ask(bot, textEvent('  \n ')));
    expect(t).toContain('空でした');
  });

  it('checks the first 5,000 characters of a longer text and says so, buttons under the last message', async () => {
    const messages = await ask(bot, textEvent('あ'.repeat(6000)));
    expect(messages).toHaveLength(2);
    expect(messages[0]!.type).toBe('flex');
    expect(messages[0]!.quickReply).toBeUndefined();
    expect(messages[1]!.text).toContain('最初の5,000文字');
    expect(messages[1]!.quickReply!.items).toHaveLength(4);
  });

  it('does not answer an event twice: duplicates and redeliveries of an answered event are skipped', async () => {
    const ev = textEvent('HIGH with link', inUser());
    await ask(bot, ev);
    // The same event again, then redelivered, then a marker in the same chat: events of a chat run
    // in order, so once the marker is answered the others were handled.
    const again = { ...ev };
    const redelivered = { ...ev, deliveryContext: { isRedelivery: true } };
    await postWebhook(bot.url, body(again, again));
    await ask(bot, redelivered, textEvent('LOW with link'));
    const answers = bot.fake
      .callsTo('reply')
      .filter((c) => (c.body as { replyToken: string }).replyToken === ev.replyToken);
    expect(answers).toHaveLength(1);
    expect(
      bot.logs.filter((l) => l.includes('duplicate event skipped') && l.includes(ev.webhookEventId)),
    ).toHaveLength(3);
  });

  it('answers a redelivered event whose first delivery never arrived', async () => {
    const ev = { ...textEvent('HIGH with link'), deliveryContext: { isRedelivery: true } };
    const messages = await ask(bot, ev);
    expect(messages[0]!.altText).toMatch(/^【危険】/);
  });

  it('pushes with X-Line-Retry-Key when the reply token is invalid in a 1:1 chat', async () => {
    bot.fake.script('reply', INVALID_REPLY_TOKEN);
    const ev = textEvent('HIGH with link', inUser());
    await postWebhook(bot.url, body(ev));
    const push = await waitFor(() => bot.fake.callsTo('push')[0], 5000, 'push');
    expect(push.headers['x-line-retry-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(push.body).toMatchObject({ to: USER });
    expect(messagesOf(push)[0]!.altText).toMatch(/^【危険】/);
    expect(bot.fake.callsTo('reply')).toHaveLength(1);
    expect(
      bot.logs.some((l) => l.includes('reply token invalid or expired') && l.includes(ev.webhookEventId)),
    ).toBe(true);
  });

  it('keeps the same retry key when a push is retried after a 5xx', async () => {
    bot.fake.script('reply', INVALID_REPLY_TOKEN);
    bot.fake.script('push', { status: 500, body: { message: 'error' } });
    await postWebhook(bot.url, body(textEvent('HIGH with link')));
    const pushes = await waitFor(
      () => bot.fake.callsTo('push').length === 2 && bot.fake.callsTo('push'),
      5000,
      'pushes',
    );
    expect(pushes[0]!.headers['x-line-retry-key']).toBe(pushes[1]!.headers['x-line-retry-key']);
  });

  it('does not push in a group when the reply token is invalid (the answer is logged instead)', async () => {
    bot.fake.script('reply', INVALID_REPLY_TOKEN);
    const ev = textEvent('HIGH with link', inGroup());
    await postWebhook(bot.url, body(ev));
    await waitFor(
      () => bot.logs.some((l) => l.includes('event answer lost') && l.includes(ev.webhookEventId)),
      5000,
      'log',
    );
    expect(bot.fake.callsTo('push')).toHaveLength(0);
  });

  it('does not push when an earlier reply attempt may have got through', async () => {
    bot.fake.script('reply', { status: 500, body: { message: 'error' } }, INVALID_REPLY_TOKEN);
    const ev = textEvent('HIGH with link');
    await postWebhook(bot.url, body(ev));
    await waitFor(
      () => bot.logs.some((l) => l.includes('event answer lost') && l.includes(ev.webhookEventId)),
      5000,
      'log',
    );
    expect(bot.fake.callsTo('reply')).toHaveLength(2);
    expect(bot.fake.callsTo('push')).toHaveLength(0);
  });

  it('retries a reply refused with 429 or 500, and does not crash when LINE keeps failing', async () => {
    bot.fake.script('reply', { status: 429, body: { message: 'rate limit' } }, { status: 500, body: {} });
    const ev = textEvent('HIGH with link');
    await postWebhook(bot.url, body(ev));
    await waitFor(
      () => bot.logs.some((l) => l.includes('"delivery":"replied"') && l.includes(ev.webhookEventId)),
      5000,
      'reply',
    );
    const calls = bot.fake.callsTo('reply');
    expect(calls).toHaveLength(3);
    expect(new Set(calls.map((c) => (c.body as { replyToken: string }).replyToken))).toEqual(
      new Set([ev.replyToken]),
    );
    expect(bot.fake.callsTo('push')).toHaveLength(0);

    bot.fake.reset();
    bot.fake.script('reply', ...Array.from({ length: 4 }, () => ({ status: 503, body: {} })));
    const failing = textEvent('HIGH with link');
    await postWebhook(bot.url, body(failing));
    await waitFor(
      () => bot.logs.some((l) => l.includes('reply failed') && l.includes(failing.webhookEventId)),
      5000,
      'log',
    );
    expect(bot.fake.callsTo('reply')).toHaveLength(4);
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
  });

  it('apologises in a 1:1 chat when checking fails, and stays quiet about it in a group', async () => {
    const t = textOf(await ask(bot, textEvent('THROW')));
    expect(t).toContain('問題が起きました');
    expect(t).toContain('リンクは開かず');
    const inGroupEvent = textEvent('THROW', inGroup());
    await postWebhook(bot.url, body(inGroupEvent));
    await waitFor(
      () => bot.logs.some((l) => l.includes('event failed') && l.includes(inGroupEvent.webhookEventId)),
      3000,
      'log',
    );
    await ask(bot, textEvent('HIGH with link', inGroup())); // same chat: the failed one is done
    expect(bot.fake.callsTo('reply')).toHaveLength(2);
  });

  it('sends nothing for an event in standby mode', async () => {
    const ev = { ...textEvent('HIGH with link'), mode: 'standby' };
    await postWebhook(bot.url, body(ev));
    await waitFor(
      () => bot.logs.some((l) => l.includes('channel is not active') && l.includes(ev.webhookEventId)),
      5000,
      'log',
    );
    expect(bot.fake.callsTo('reply')).toHaveLength(0);
  });

  it('forgets the verdict when the person unsends that message', async () => {
    const user = inUser('U' + 'c'.repeat(32));
    const ev = textEvent('HIGH with link', user);
    await ask(bot, ev);
    expect(await bot.store.get(CONTEXT_NS, user.userId)).not.toBeNull();
    const other = plainEvent('unsend', user, { unsend: { messageId: 'someone-else' } });
    const unsend = plainEvent('unsend', user, { unsend: { messageId: ev.message.id } });
    await postWebhook(bot.url, body(other));
    expect(await bot.store.get(CONTEXT_NS, user.userId)).not.toBeNull();
    await postWebhook(bot.url, body(unsend));
    await waitFor(
      () => bot.logs.some((l) => l.includes(unsend.webhookEventId) && l.includes('"forgot":true')),
      5000,
      'unsend',
    );
    expect(await bot.store.get(CONTEXT_NS, user.userId)).toBeNull();
  });

  it('ignores event types it does not act on, without error', async () => {
    const ev = plainEvent('memberJoined', inGroup(), { joined: { members: [] }, replyToken: 'rt-x' });
    await postWebhook(bot.url, body(ev));
    await waitFor(
      () => bot.logs.some((l) => l.includes(ev.webhookEventId) && l.includes('"ignored":"memberJoined"')),
      5000,
      'log',
    );
    expect(bot.fake.callsTo('reply')).toHaveLength(0);
  });
});

describe('loading indicator', () => {
  it('is shown in 1:1 chats only', async () => {
    const bot = await startBot({ detector: Promise.resolve(stubDetector()), options: { loadingAfterMs: 0 } });
    try {
      await ask(bot, textEvent('HIGH with link', inUser()));
      const loading = bot.fake.callsTo('loading');
      expect(loading).toHaveLength(1);
      expect(loading[0]!.body).toEqual({ chatId: USER, loadingSeconds: 20 });
      await ask(bot, textEvent('HIGH with link', inGroup()));
      await ask(bot, {
        ...textEvent('', inGroup()),
        message: { id: '9', type: 'text', ...mention('HIGH with link') },
      });
      expect(bot.fake.callsTo('loading')).toHaveLength(1);
    } finally {
      await bot.close();
    }
  });

  it('appears when work runs long (dictionary still loading), not for a quick answer', async () => {
    let resolve!: (d: ReturnType<typeof stubDetector>) => void;
    const bot = await startBot({
      detector: new Promise((r) => (resolve = r)),
      options: { loadingAfterMs: 50 },
    });
    try {
      await postWebhook(bot.url, body(textEvent('HIGH with link')));
      await waitFor(() => bot.fake.callsTo('loading').length === 1, 3000, 'loading');
      expect(bot.fake.callsTo('reply')).toHaveLength(0);
      resolve(stubDetector());
      await waitFor(() => bot.fake.callsTo('reply').length === 1, 3000, 'reply');
    } finally {
      await bot.close();
    }
  });
});

describe('groups and rooms', () => {
  let bot: Bot;
  beforeAll(async () => {
    bot = await startBot({ detector: Promise.resolve(stubDetector()) });
  });
  afterAll(() => bot.close());
  afterEach(() => bot.fake.reset());

  const mentioned = (text: string, source = inGroup()) => {
    const ev = textEvent('', source);
    return { ...ev, message: { ...(ev.message as object), ...mention(text) } };
  };

  it('introduces itself on join', async () => {
    const t = textOf(await ask(bot, plainEvent('join', inGroup(), { replyToken: 'rt-join' })));
    expect(t).toContain('グループ');
    expect(t).toContain('@');
  });

  it('stays quiet unless a message with a link or phone number is medium or high risk', async () => {
    const quiet = [
      'LOW with link',
      'MEDIUM without contact',
      'HIGH without contact',
      'こんにちは',
      'どうすればいい？',
    ];
    const loud = ['HIGH with link', 'MEDIUM with phone'];
    for (const t of quiet) await postWebhook(bot.url, body(textEvent(t, inGroup())));
    await postWebhook(bot.url, body(messageEvent({ type: 'sticker' }, inGroup())));
    await postWebhook(bot.url, body(messageEvent({ type: 'image' }, inGroup())));
    for (const t of loud) {
      const messages = await ask(bot, textEvent(t, inGroup()));
      expect(messages[0]!.type).toBe('flex');
    }
    // Events of one chat run in order: by the time the loud ones are answered, the quiet ones are done.
    expect(bot.fake.callsTo('reply')).toHaveLength(loud.length);
  });

  it('answers when mentioned, whatever the risk; a bare mention gets instructions', async () => {
    const low = await ask(bot, mentioned('LOW with link'));
    expect(low[0]!.altText).toMatch(/^【危険なサインは見つかりません】/);
    const bare = textOf(await ask(bot, mentioned('  ')));
    expect(bare).toContain('本文と一緒に');
    const typed = textOf(await ask(bot, mentioned(' 使い方')));
    expect(typed).toContain('使い方');
  });

  it("answers a button pressed in a group about that group's last verdict", async () => {
    const room = inGroup('C' + '9'.repeat(32), 'U' + 'd'.repeat(32));
    await ask(bot, textEvent('HIGH with link', room));
    const t = textOf(
      await ask(bot, postbackEvent('action=help', inGroup('C' + '9'.repeat(32), 'U' + 'e'.repeat(32)))),
    );
    expect(t).toContain('【危険】');
  });

  it('forgets a group when it leaves', async () => {
    const g = inGroup('C' + '7'.repeat(32));
    await ask(bot, textEvent('HIGH with link', g));
    expect(await bot.store.get(CONTEXT_NS, g.groupId)).not.toBeNull();
    const leave = plainEvent('leave', g);
    await postWebhook(bot.url, body(leave));
    await waitFor(
      () => bot.logs.some((l) => l.includes(leave.webhookEventId) && l.includes('event handled')),
      3000,
      'leave',
    );
    expect(await bot.store.get(CONTEXT_NS, g.groupId)).toBeNull();
    expect(GROUP).not.toBe(g.groupId);
  });
});

describe('with the sqlite store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sagicheck-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("deletes the user's data on unfollow, and remembers answered events across a restart", async () => {
    const file = join(dir, 'nested', 'bot.db');
    let bot = await startBot({ store: new SqliteStore(file), detector: Promise.resolve(stubDetector()) });
    const ev = textEvent('HIGH with link');
    try {
      await ask(bot, ev);
      expect(await bot.store.get(CONTEXT_NS, USER)).not.toBeNull();
      const unfollow = plainEvent('unfollow', inUser());
      await postWebhook(bot.url, body(unfollow));
      await waitFor(
        () => bot.logs.some((l) => l.includes(unfollow.webhookEventId) && l.includes('"deleted":true')),
        3000,
        'unfollow',
      );
      expect(await bot.store.get(CONTEXT_NS, USER)).toBeNull();
    } finally {
      await bot.close();
    }
    // A restarted server (same file) still knows the event was answered.
    bot = await startBot({ store: new SqliteStore(file), detector: Promise.resolve(stubDetector()) });
    try {
      await postWebhook(bot.url, body({ ...ev, deliveryContext: { isRedelivery: true } }));
      await waitFor(
        () => bot.logs.some((l) => l.includes('duplicate event skipped') && l.includes(ev.webhookEventId)),
        3000,
        'dup',
      );
      expect(bot.fake.callsTo('reply')).toHaveLength(0);
    } finally {
      await bot.close();
    }
  });
});
