// The step-by-step guide end to end: signed webhook events in, what the bot sent to the (fake) LINE API
// out. Verdicts are scripted (one test uses the real detector); the clock is the test's own.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkMessages } from '../../src/line/limits.ts';
import type { Detector } from '../../src/detector/index.ts';
import { CONTEXT_NS } from '../../src/store/context.ts';
import { FLOW_NS, FLOW_TTL_MS } from '../../src/guide/flow-store.ts';
import type { Flow } from '../../src/guide/flow.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { SqliteStore } from '../../src/store/sqlite.ts';
import { startBot, type Bot } from '../support/bot.ts';
import type { RecordedCall } from '../../scripts/stand-ins/fake-line.ts';
import { verdict } from '../support/verdicts.ts';
import {
  body,
  inGroup,
  inUser,
  plainEvent,
  postWebhook,
  postbackEvent,
  textEvent,
  waitFor,
  type TestEvent,
} from '../../scripts/stand-ins/webhook.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Item = { action: { type: string; label: string; data: string; displayText: string } };
type Msg = { type: string; text?: string; altText?: string; quickReply?: { items: Item[] } };
type Event = TestEvent & { replyToken?: string };

const AMAZON_PHISH = 'Amazon phish';
const SMBC_PHISH = 'SMBC card phish';
const LOW = 'a genuine notice';
const TAKEOVER = 'a friend asks for a code';
const CALLBACK = 'call this number';
const detector: Detector = {
  analyze: (text) =>
    ({
      [AMAZON_PHISH]: verdict('high', {
        brand: { id: 'amazon', name: 'Amazon' },
        scenario: 'payment_problem',
        advice: ['リンクは開かず、返信や電話もしないでください。'],
      }),
      [SMBC_PHISH]: verdict('high', {
        brand: { id: 'smbc_card', name: '三井住友カード' },
        scenario: 'card_usage_check',
      }),
      [LOW]: verdict('low', { brand: { id: 'amazon', name: 'Amazon' } }),
      [TAKEOVER]: verdict('high', { scenario: 'account_takeover' }),
      [CALLBACK]: verdict('high', { phones: [{ number: '050-3184-2290', codes: [] }] }),
    })[text.trim()] ?? verdict('low'),
};

const messagesOf = (call: RecordedCall) => (call.body as { messages: Msg[] }).messages;
const textOf = (messages: Msg[]) => messages.map((m) => m.text ?? m.altText ?? '').join('\n');
const buttons = (messages: Msg[]) => messages.at(-1)!.quickReply?.items ?? [];
const labels = (messages: Msg[]) => buttons(messages).map((i) => i.action.label);
/** The postback data of the button with this label under the last message. */
function tap(messages: Msg[], label: string): string {
  const item = buttons(messages).find((i) => i.action.label === label);
  if (!item) throw new Error(`no button 「${label}」 in ${JSON.stringify(labels(messages))}`);
  expect(item.action.type).toBe('postback');
  expect(item.action.displayText).toBe(label);
  return item.action.data;
}

let n = 0;
const newUser = () => inUser('U' + String(++n).padStart(32, 'f'));

describe('the guide after a verdict', () => {
  const start = Date.parse('2026-11-24T04:05:00Z'); // 13:05 in Japan
  let clock = start;
  let bot: Bot;
  const sent: Msg[][] = [];

  /** Posts events and waits for the reply to the last one. */
  async function ask(...events: Event[]): Promise<Msg[]> {
    const res = await postWebhook(bot.url, body(...events));
    expect(res.status).toBe(200);
    const token = events.at(-1)!.replyToken;
    const call = await waitFor(
      () => bot.fake.callsTo('reply').find((c) => (c.body as { replyToken: string }).replyToken === token),
      5000,
      'reply',
    );
    const messages = messagesOf(call);
    sent.push(messages);
    return messages;
  }
  const say = (text: string, source = inUser()) => ask(textEvent(text, source));
  const press = (data: string, source = inUser()) => ask(postbackEvent(data, source));

  beforeAll(async () => {
    bot = await startBot({
      detector: Promise.resolve(detector),
      store: new MemoryStore(() => clock),
      now: () => clock,
    });
  });
  afterAll(async () => {
    // Every answer of every conversation above is one LINE accepts.
    expect(sent.length).toBeGreaterThan(30);
    for (const messages of sent) expect(checkMessages(messages as never), textOf(messages)).toEqual([]);
    await bot.close();
  });
  afterEach(() => {
    bot.fake.reset();
    clock = start;
  });

  it('with no recent verdict, asks one short question with buttons', async () => {
    const user = newUser();
    const m = await say('どうすればいい？', user);
    expect(m).toHaveLength(1);
    expect(textOf(m)).toContain('何がありましたか？');
    // Four likely answers and 「その他」 for the rest: all fit on a phone's screen.
    expect(labels(m)).toEqual([
      'まだ何もしていない',
      'リンクを開いた',
      '情報を入力した',
      'お金を払った・振り込んだ',
      'その他',
    ]);
    const other = await press(tap(m, 'その他'), user);
    expect(labels(other)).toEqual([
      'まだ何もしていない',
      'リンクを開いた',
      '情報を入力した',
      'お金を払った・振り込んだ',
      '電話してしまった',
      '電子マネーの番号を送った',
      '認証番号を教えた',
      'アプリを入れた',
      'キャリア決済で払った',
      '返信した',
    ]);
    const steps = await press(tap(m, 'リンクを開いた'), user);
    expect(textOf(steps)).toContain('お知らせいただいたこと：リンクを開いた');
    // Only opened the link: reassurance, then the two checks that matter.
    expect(steps[0]!.text).toContain('リンクを開いただけのときは、まず落ち着いてください。');
    expect(steps.at(-1)!.text).toMatch(/^ステップ 1\/4\n開いたページは閉じてください。そのページで/);
    expect(labels(steps)).toEqual(['できた', '次へ', 'まとめて見る', '相談メモ', 'ほかにしたこと']);
    const s2 = await press(tap(steps, 'できた'), user);
    expect(s2[0]!.text).toMatch(/^ステップ 2\/4\nページの案内で、アプリや「プロファイル」を入れなかったか/);
    expect(labels(s2)).toEqual(['できた', '次へ', '最初から', '相談メモ', 'ほかにしたこと']);
  });

  it('「情報を入力した」 asks what was entered; a typed answer needs no verb', async () => {
    const user = newUser();
    const q = await press(tap(await say('どうすればいい？', user), '情報を入力した'), user);
    expect(textOf(q)).toContain('何を入力しましたか？');
    expect(labels(q)).toEqual([
      'カード番号',
      'IDとパスワード',
      '銀行の暗証番号など',
      '住所や電話番号など',
      '覚えていない',
    ]);
    const steps = await say('カード番号です', user);
    expect(textOf(steps)).toContain('お知らせいただいたこと：カード番号などを入力した');
    expect(textOf(steps)).toContain('全3ステップ');
    expect(steps.at(-1)!.text).toMatch(/^ステップ 1\/3\nカード会社の「紛失・盗難」の窓口に、すぐ電話/);
    // The verdict card's button leads to the same question.
    const again = await press('action=entered_info', newUser());
    expect(textOf(again)).toContain('何を入力しましたか？');
  });

  it('after an Amazon phishing verdict, 「どうすればいい？」 gives Amazon-specific steps', async () => {
    const user = newUser();
    const card = await say(AMAZON_PHISH, user);
    expect(card[0]!.type).toBe('flex');
    const m = await press('action=help', user);
    const t = textOf(m);
    // It asks what happened rather than guess "nothing yet".
    expect(t).toContain(
      '今日 13:05に確かめたメッセージ（Amazonを名乗るもの・【危険】）について、何がありましたか？',
    );
    const nothing = await press(tap(m, 'まだ何もしていない'), user);
    expect(nothing.at(-1)!.text).toContain('「アカウントサービス」→「メッセージセンター」');
    expect(nothing.at(-1)!.text).toMatch(/^ステップ 1\/4\n/);
    // Then the person says what they really did: the guide starts over for that, still about Amazon.
    const more = await press(tap(nothing, 'ほかにしたこと'), user);
    expect(textOf(more)).toContain('ほかにしてしまったこと');
    const pw = await press(tap(more, '情報を入力した'), user);
    const steps = await press(tap(pw, 'IDとパスワード'), user);
    expect(textOf(steps)).toContain('「IDやパスワードを入力した」も合わせて、手順を組み直しました。');
    const all = textOf(await press(tap(steps, 'まとめて見る'), user));
    expect(all).toContain('Amazonの公式サイト（amazon.co.jp）を自分で入力して開く');
    expect(all).toContain('メッセージセンター');
    expect(all).toContain('2段階認証');
  });

  it('Amazon, with the real detector: forwarded phishing, then what the person did in their own words', async () => {
    const real = await startBot({ store: new MemoryStore(() => clock), now: () => clock });
    try {
      const user = newUser();
      const post = async (ev: Event) => {
        await postWebhook(real.url, body(ev));
        const call = await waitFor(
          () =>
            real.fake
              .callsTo('reply')
              .find((c) => (c.body as { replyToken: string }).replyToken === ev.replyToken),
          10_000,
          'reply',
        );
        sent.push(messagesOf(call));
        return messagesOf(call);
      };
      const card = await post(
        textEvent(
          '【Amazon】お支払い方法に問題があります。24時間以内に更新してください https://amazon-co-jp.xyz/login',
          user,
        ),
      );
      expect(card[0]!.altText).toMatch(/^【危険】/);
      const m = await post(
        textEvent('リンクを開いてカード番号も入れてしまいました。どうすればいいですか', user),
      );
      const t = textOf(m);
      expect(t).toContain('Amazonを名乗るもの・【危険】');
      expect(t).toContain('お知らせいただいたこと：カード番号などを入力した、リンクを開いた');
      // Close the page, in the intro; the first step stops the card.
      expect(t).toContain('開いたページは閉じて、これ以上は何も入力しないでください。');
      expect(m.at(-1)!.text).toMatch(/^ステップ 1\/\d+\nカード会社の「紛失・盗難」の窓口に、すぐ電話/);
      const next = await post(postbackEvent(tap(m, 'できた'), user));
      expect(next.at(-1)!.text).toMatch(/^ステップ 2\/\d+\nページの案内で、アプリや「プロファイル」/);
      const all = textOf(await post(textEvent('まとめて見る', user)));
      expect(all).toContain('メッセージセンター');
    } finally {
      await real.close();
    }
  });

  it('understands several phrasings of each action through the webhook', async () => {
    // What the intro repeats back, and a step the guide must contain.
    const cases: [string[], string, string][] = [
      [
        [
          'カード番号を入力してしまいました',
          'クレジットカードの情報を入れちゃった',
          'セキュリティコードまで打ち込んだ',
        ],
        'カード番号などを入力した',
        'カード会社の「紛失・盗難」の窓口',
      ],
      [
        ['パスワードを入力してしまった', 'IDとパスワードを入れました', 'ログインしてしまいました'],
        'IDやパスワードを入力した',
        '2段階認証',
      ],
      [
        [
          'ネットバンキングの暗証番号を入れてしまった',
          'ワンタイムパスワードを教えてしまいました',
          '口座番号と暗証番号を入力した',
        ],
        'ネットバンキングの情報や暗証番号',
        'すぐにその銀行に電話して',
      ],
      [
        ['住所と生年月日を入力した', '名前と電話番号を送ってしまいました', '個人情報を入れてしまった'],
        '住所や電話番号などを入力した',
        '別の詐欺の電話やメッセージ',
      ],
      [
        ['お金を振り込んでしまった', '5万円振り込みました', '言われた口座に送金した'],
        'お金を払った・振り込んだ',
        'すぐに警察に',
      ],
      [
        ['ギフトカードを買って番号を教えた', 'コンビニでアマギフを買いました', 'プリペイドカードを購入した'],
        'ギフトカードを買った、または番号を伝えた',
        'カードの発行会社に連絡して',
      ],
      [['キャリア決済で払ってしまった', 'd払いで支払いました', '携帯料金で払った'], 'キャリア決済', '上限'],
      [
        ['アプリをインストールした', 'アプリを入れてしまいました', 'プロファイルを入れた'],
        'アプリやプロファイルを入れた',
        '機内モード',
      ],
      [
        ['書いてあった番号に電話した', '電話をかけてしまいました', '電話しちゃった'],
        'メッセージに書かれた番号に電話した',
        'もうその番号には電話しないで',
      ],
      [
        ['SMSに返信した', '返信してしまいました', 'メールに返事をした'],
        'メッセージに返信した',
        'これ以上は返信しないで',
      ],
      [
        ['リンクを開いてしまった', 'URLを押しちゃいました', 'クリックしてしまいました'],
        'リンクを開いた',
        '開いたページは閉じてください',
      ],
      [
        ['まだ何も入力していない', '何もしてません', 'メールを開いただけです'],
        'リンクを開いたり、入力したりはしていない',
        'フィッシング対策協議会に報告',
      ],
    ];
    for (const [phrasings, label, step] of cases) {
      for (const p of phrasings) {
        const user = newUser();
        const m = await say(p, user);
        expect(m, p).toHaveLength(2);
        expect(m[0]!.text, p).toContain(`お知らせいただいたこと：${label}`);
        expect(m[1]!.text, p).toMatch(/^ステップ 1\//);
        expect(textOf(await press(tap(m, 'まとめて見る'), user)), p).toContain(step);
      }
    }
  });

  it('merges several actions: the most urgent first, each step once', async () => {
    const user = newUser();
    const m = await say('リンクを開いてカード番号を入れて、お金も振り込んでしまいました', user);
    expect(m[0]!.text).toContain(
      'お知らせいただいたこと：お金を払った・振り込んだ、カード番号などを入力した、リンクを開いた',
    );
    expect(m[1]!.text).toMatch(/^ステップ 1\/\d+\nだまされてお金を払った・振り込んだときは、すぐに警察に/);
    const all = textOf(await press(tap(m, 'まとめて見る'), user));
    const order = [
      'すぐに警察に連絡',
      '「紛失・盗難」の窓口',
      'アプリや「プロファイル」',
      '利用明細',
      '預金保険機構',
    ];
    const at = order.map((w) => all.indexOf(w));
    expect(at.every((x) => x >= 0)).toBe(true);
    expect(at).toEqual([...at].sort((a, b) => a - b));
    // "Did you enter anything?" is no question any more.
    expect(all).not.toContain('入力しなかったか思い出して');
    const total = Number(/全(\d+)ステップ/.exec(all)![1]);
    expect(all.match(/^ステップ \d+\/\d+/gm)).toHaveLength(total);

    // Later: one more action is added to the same guide.
    const added = await say('アプリも入れてしまいました', user);
    expect(added).toHaveLength(1);
    expect(added[0]!.text).toContain('「アプリやプロファイルを入れた」も合わせて、手順を組み直しました。');
  });

  it('keeps even the longest guide (every action, a brand with extras) within LINE limits', async () => {
    const user = newUser();
    await say(SMBC_PHISH, user);
    const all =
      'money_sent.gift_card.entered_bank.entered_card.app_installed.entered_password.carrier_billing.entered_personal.called_number.replied.opened_link';
    const m = await press(`g=add&i=${all}`, user);
    const total = Number(/全(\d+)ステップ/.exec(m[0]!.text!)![1]);
    expect(total).toBeGreaterThanOrEqual(5);
    expect(total).toBeLessThanOrEqual(8);
    const summary = await press(tap(m, 'まとめて見る'), user);
    expect(summary.length).toBeLessThanOrEqual(5);
    expect(textOf(summary).match(/^ステップ \d+\/\d+/gm)).toHaveLength(total);
    expect(summary.slice(0, -1).every((x) => x.quickReply === undefined)).toBe(true);
    expect(labels(summary)).toContain('続きから');
  });

  it('navigates: できた, 次へ, まとめて見る, 最初から, typed or tapped', async () => {
    const user = newUser();
    const s1 = (await say('パスワードを入力してしまった', user)).slice(-1);
    expect(s1[0]!.text).toMatch(/^ステップ 1\/6\n/);
    const s2 = await press(tap(s1, 'できた'), user);
    expect(s2[0]!.text).toMatch(/^ステップ 2\/6\n/);
    const s3 = await press(tap(s2, '次へ'), user);
    expect(s3[0]!.text).toMatch(/^ステップ 3\/6\n/);
    const s4 = await say('できました', user);
    expect(s4[0]!.text).toMatch(/^ステップ 4\/6\n/);

    const all = await press(tap(s4, '最初から'), user);
    expect(all[0]!.text).toMatch(/^ステップ 1\/6（できた）\n/);
    const summary = await press(tap(all, 'できた'), user);
    expect(summary[0]!.text).toMatch(/^ステップ 2\/6\n/);
    const sum = await say('まとめて見る', user);
    const t = textOf(sum);
    expect(t).toMatch(/^案内のまとめ（全6ステップ）/);
    expect(t).toContain('ステップ 1/6（できた）');
    expect(t).toContain('ステップ 3/6（できた）');
    expect(t).not.toContain('ステップ 2/6（できた）');
    expect(labels(sum)).toEqual(['続きから', '最初から', '相談メモ', 'ほかにしたこと']);
    expect((await press(tap(sum, '続きから'), user))[0]!.text).toMatch(/^ステップ 2\/6\n/);

    // The old message's 「次へ」 still moves on from its own step.
    const from2 = await press(tap(s2, '次へ'), user);
    expect(from2[0]!.text).toMatch(/^ステップ 3\/6（できた）\n/);
    expect((await say('次へ', user))[0]!.text).toMatch(/^ステップ 4\/6\n/);
    expect((await say('次', user))[0]!.text).toMatch(/^ステップ 5\/6\n/);
    expect((await say('次へ', user))[0]!.text).toMatch(/^ステップ 6\/6\n/);

    const end = await say('次へ', user);
    expect(end[0]!.text).toContain('すべてのステップを見終わりました');
    expect(end[0]!.text).toContain('「できた」になっていないステップ：2、4、5、6');
    expect(labels(end)).toEqual(['相談メモ', 'まとめて見る', 'ほかにしたこと', '最初から']);
  });

  it('marks the step on screen done when the person says they called', async () => {
    const user = newUser();
    await say('カード番号を入力してしまった', user);
    const m = await say('カード会社に電話しました', user);
    expect(m[0]!.text).toContain('このステップを「できた」にしました');
    expect(m[0]!.text).toMatch(/ステップ 2\/3\n/);
    const flow = await bot.store.get<Flow>(FLOW_NS, user.userId);
    expect(flow!.done.map(([id]) => id)).toEqual(['card_stop']);
  });

  it('lets the person come back later, within the expiry window', async () => {
    const user = newUser();
    await say(SMBC_PHISH, user);
    const s1 = (await say('カード番号を入れてしまいました', user)).slice(-1);
    expect(s1[0]!.text).toContain('三井住友カードのカードを入力したときは、すぐにカードを止めてください。');
    expect(s1[0]!.text).toContain('あんしん利用制限サービス');
    const s2 = await press(tap(s1, 'できた'), user);
    expect(s2[0]!.text).toMatch(/^ステップ 2\/\d+\nカード会社の公式アプリや会員サイトで、利用明細/);

    clock += 3 * 24 * 60 * 60_000; // three days later: the verdict is forgotten, the guide is not
    expect(await bot.store.get(CONTEXT_NS, user.userId)).toBeNull();
    const back = await say('どうすればいい？', user);
    expect(back[0]!.text).toMatch(/^前回の続きです。\n\nステップ 2\/\d+\n/);
    const s3 = await press(tap(s2, 'できた'), user); // a button of three days ago still works
    expect(s3[0]!.text).toMatch(/^ステップ 3\/3\n/);
  });

  it('after the expiry window, restarts kindly', async () => {
    const user = newUser();
    const s1 = (await say('リンクを開いてしまいました', user)).slice(-1);
    clock += FLOW_TTL_MS + 60_000;
    const m = await press(tap(s1, '次へ'), user);
    expect(m[0]!.text).toMatch(/^前の案内は、時間がたったため終わりました/);
    expect(m[0]!.text).toContain('何がありましたか？');
    expect(labels(m)).toContain('リンクを開いた');
    expect(await bot.store.get(FLOW_NS, user.userId)).toBeNull();
    const again = await press(tap(m, 'リンクを開いた'), user);
    expect(again.at(-1)!.text).toMatch(/^ステップ 1\/4\n/);
  });

  it('a button of a replaced guide shows the current one', async () => {
    const user = newUser();
    await say(AMAZON_PHISH, user);
    const old = (await say('リンクを開いてしまいました', user)).slice(-1);
    clock += 60_000;
    await say(SMBC_PHISH, user); // another message checked: a new guide
    await say('パスワードを入れてしまいました', user);
    const m = await press(tap(old, 'できた'), user);
    expect(m[0]!.text).toMatch(/^このボタンの案内は、新しい案内に切り替わっています。/);
    expect(m[0]!.text).toMatch(/ステップ 1\/\d+\n三井住友カードの公式サイト（.+）を自分で入力して開くか/);
  });

  it('writes a 相談メモ from codes and times only', async () => {
    const user = newUser();
    await say(AMAZON_PHISH, user);
    clock += 15 * 60_000; // 13:20
    const s1 = (await say('リンクを開いてカード番号も入れました', user)).slice(-1);
    clock += 5 * 60_000; // 13:25
    const s2 = await press(tap(s1, 'できた'), user);
    clock += 10 * 60_000; // 13:35
    await press(tap(s2, 'できた'), user);
    const memo = await press('g=memo', user);
    const t = memo[0]!.text!;
    expect(t).toMatch(/^相談メモ\n作成：11月24日 13:35/);
    for (const w of [
      '警察や消費生活センター（188）に相談するときに',
      '■ 届いたメッセージ',
      '・11月24日 13:05に、このLINEで確かめました。',
      '・名乗っていた相手：Amazon',
      '・内容：支払い方法に問題があると知らせるもの',
      '・このLINEの判定：【危険】',
      '■ してしまったこと\n・カード番号などを入力した\n・リンクを開いた',
      '・11月24日 13:25 カード会社の紛失・盗難の窓口に電話して、カードを止めた',
      '・11月24日 13:35 アプリを入れていないことを確かめた',
    ])
      expect(t).toContain(w);
    expect(labels(memo)).toEqual(['続きから', '最初から', 'ほかにしたこと']);
    // Typed, too; and the store holds codes and times, no words of the person.
    expect(textOf(await say('相談メモを作ってください', user))).toContain('■ してしまったこと');
    const flow = await bot.store.get<Flow>(FLOW_NS, user.userId);
    expect(Object.keys(flow!).sort()).toEqual(
      [
        'assumed',
        'awaiting',
        'done',
        'id',
        'intents',
        'pos',
        'started',
        'steps',
        'updated',
        'verdict',
      ].sort(),
    );
    const stored = JSON.stringify(flow);
    expect(stored).not.toMatch(/リンク|カード番号|入れました/);
    expect(flow!.verdict).toEqual({ risk: 'high', brand: 'amazon', scenario: 'payment_problem', at: start });
  });

  it('lists whom the person called in the 相談メモ, and has a memo without any guide', async () => {
    const user = newUser();
    const m = await say('ギフトカードの番号を教えてしまいました', user);
    const police = await press(tap(m, 'できた'), user); // the issuer
    expect(police[0]!.text).toContain('警察にも相談してください');
    await press(tap(police, 'できた'), user);
    const memo = textOf(await say('メモ', user));
    expect(memo).toContain('■ 連絡した先\n・警察相談専用電話（#9110）');
    expect(memo).toContain('・このLINEで確かめたメッセージの記録はありません。');
    expect(memo).toContain('・ギフトカードを買った、または番号を伝えた');
    expect(memo).toContain('ギフトカードの発行会社に連絡した');

    const empty = textOf(await press('g=memo', newUser()));
    expect(empty).toContain('・まだお知らせいただいていません。');
    expect(empty).toContain('・まだ「できた」を押したステップはありません。');
  });

  it('asks first about what the message was after: a code for a takeover, a call for a number', async () => {
    let user = newUser();
    await say(TAKEOVER, user);
    let m = await press('action=help', user);
    expect(labels(m)).toEqual([
      'まだ何もしていない',
      '認証番号を教えた',
      '電子マネーの番号を送った',
      'お金を払った・振り込んだ',
      'その他',
    ]);
    const steps = await press(tap(m, '認証番号を教えた'), user);
    expect(steps.at(-1)!.text).toContain('LINEヘルプセンター');
    user = newUser();
    await say(CALLBACK, user);
    m = await press('action=help', user);
    expect(labels(m)).toEqual([
      'まだ何もしていない',
      '電話してしまった',
      'お金を払った・振り込んだ',
      '情報を入力した',
      'その他',
    ]);
  });

  it('after a verdict without danger signs, asks what happened', async () => {
    const user = newUser();
    await say(LOW, user);
    const m = await press('action=help', user);
    expect(m[0]!.text).toContain(
      '（Amazonを名乗るもの・【危険なサインは見つかりません】）について、何がありましたか？',
    );
  });

  it('still checks a forwarded message that talks about entering a card', async () => {
    const m = await say(
      '【Amazon】カード情報を入力してください。入力しない場合はアカウントを停止します https://amazon-co-jp.xyz/',
      newUser(),
    );
    expect(m[0]!.type).toBe('flex');
  });

  it('in a group, guides only when called', async () => {
    const g = inGroup('C' + 'a'.repeat(32), 'U' + 'b'.repeat(32));
    await postWebhook(bot.url, body(textEvent('リンクを開いてしまった', g)));
    const ev = textEvent('', g);
    const called = {
      ...ev,
      message: {
        ...(ev.message as object),
        text: '@さぎチェック リンクを開いてしまった',
        mention: { mentionees: [{ index: 0, length: 7, type: 'user', isSelf: true }] },
      },
    };
    const m = await ask(called);
    expect(m.at(-1)!.text).toMatch(/^ステップ 1\/4\n/);
    expect(bot.fake.callsTo('reply')).toHaveLength(1);
  });

  it('deletes everything of the person on unfollow', async () => {
    const user = newUser();
    await say(AMAZON_PHISH, user);
    await say('カード番号を入れてしまった', user);
    expect(await bot.store.get(FLOW_NS, user.userId)).not.toBeNull();
    const unfollow = plainEvent('unfollow', user);
    await postWebhook(bot.url, body(unfollow));
    await waitFor(
      () => bot.logs.some((l) => l.includes(unfollow.webhookEventId) && l.includes('"deleted":true')),
      3000,
      'unfollow',
    );
    expect(await bot.store.get(FLOW_NS, user.userId)).toBeNull();
    expect(await bot.store.get(CONTEXT_NS, user.userId)).toBeNull();
    const m = await press('g=next&f=whatever&s=card_stop', user);
    expect(m[0]!.text).toMatch(/^前の案内は、時間がたったため終わりました/);
  });

  it('logs no words of the person and no action they reported', async () => {
    const ev = textEvent('リンクを開いてカード番号も入れてしまいました', newUser());
    await ask(ev);
    // The line is written once LINE has answered the reply call, a moment after the call arrives.
    await waitFor(
      () => bot.logs.some((l) => l.includes(ev.webhookEventId) && l.includes('"guide":"start"')),
      5000,
      'the event log line',
    );
    const all = bot.logs.join('\n');
    for (const w of ['リンクを開いて', 'カード番号', 'entered_card', 'money_sent', 'ギフト'])
      expect(all).not.toContain(w);
  });
});

describe('with the sqlite store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sagicheck-guide-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the position across a restart and deletes it on unfollow', async () => {
    const file = join(dir, 'bot.db');
    const user = newUser();
    let bot = await startBot({ store: new SqliteStore(file), detector: Promise.resolve(detector) });
    const reply = async (ev: Event) => {
      await postWebhook(bot.url, body(ev));
      const call = await waitFor(
        () =>
          bot.fake
            .callsTo('reply')
            .find((c) => (c.body as { replyToken: string }).replyToken === ev.replyToken),
        5000,
        'reply',
      );
      return messagesOf(call);
    };
    let s2: Msg[];
    try {
      const s1 = (await reply(textEvent('パスワードを入力してしまいました', user))).slice(-1);
      s2 = await reply(postbackEvent(tap(s1, 'できた'), user));
      expect(s2[0]!.text).toMatch(/^ステップ 2\//);
    } finally {
      await bot.close();
    }
    bot = await startBot({ store: new SqliteStore(file), detector: Promise.resolve(detector) });
    try {
      expect((await reply(postbackEvent(tap(s2, '次へ'), user)))[0]!.text).toMatch(/^ステップ 3\//);
      const unfollow = plainEvent('unfollow', user);
      await postWebhook(bot.url, body(unfollow));
      await waitFor(() => bot.logs.some((l) => l.includes(unfollow.webhookEventId)), 3000, 'unfollow');
      expect(await bot.store.get(FLOW_NS, user.userId)).toBeNull();
    } finally {
      await bot.close();
    }
  });
});
