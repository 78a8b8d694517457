// 「報告する」 end to end against the LINE stand-in: a phishing mail (file and pasted) gets a reply
// whose 報告する card opens a prefilled mail to info@antiphishing.jp carrying the defanged link; a
// phishing SMS gets the carrier and screenshot routes; the menu's 報告する and the card's buttons answer
// without anything of the message. Plus the mail link's size limit and the rules file.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { messagingApi } from '@line/bot-sdk';
import { lineContentSource } from '../../src/line/content.ts';
import { createOcrPool, type OcrPool } from '../../src/media/ocr-pool.ts';
import { checkMessages } from '../../src/line/limits.ts';
import { loadReportRules } from '../../src/rules/report.ts';
import { MAX_URI, reportMailto } from '../../src/report/mailto.ts';
import { loadRichMenu } from '../../src/richmenu/definition.ts';
import { amazonIso2022jp } from '../../scripts/fixtures/emails.ts';
import { startBot, type Bot } from '../support/bot.ts';
import {
  body,
  inGroup,
  inUser,
  messageEvent,
  postbackEvent,
  postWebhook,
  textEvent,
  TOKEN,
  waitFor,
} from '../../scripts/stand-ins/webhook.ts';

type Msg = messagingApi.Message & {
  text?: string;
  altText?: string;
  contents?: unknown;
  quickReply?: messagingApi.QuickReply;
};
type Action = { type: string; label?: string; uri?: string; data?: string };

let bot: Bot;
let pool: OcrPool;
beforeAll(async () => {
  pool = createOcrPool({ size: 1, maxQueue: 1 }); // not used: no picture is sent here
  bot = await startBot({
    media: (fake) => ({
      content: lineContentSource({ channelAccessToken: TOKEN, dataApiBaseUrl: fake.url, attempts: 1 }),
      ocr: pool,
      limits: { imageBytes: 3_000_000, fileBytes: 200_000, downloadTimeoutMs: 1500 },
    }),
    options: { loadingAfterMs: 0 },
    env: { RATE_LIMIT_USER: 'off' },
  });
}, 60_000);
afterAll(async () => {
  await bot?.close();
  await pool?.close();
});
afterEach(() => bot.fake.reset());

async function replyTo(ev: { replyToken: string }): Promise<Msg[]> {
  const res = await postWebhook(bot.url, body(ev as never));
  expect(res.status).toBe(200);
  const call = await waitFor(
    () =>
      bot.fake.callsTo('reply').find((c) => (c.body as { replyToken: string }).replyToken === ev.replyToken),
    20_000,
    'reply',
  );
  const messages = (call.body as { messages: Msg[] }).messages;
  expect(checkMessages(messages)).toEqual([]);
  return messages;
}

/** Every action in a message: Flex buttons and quick replies. */
function actions(m: Msg): Action[] {
  const out: Action[] = [];
  const walk = (n: unknown) => {
    if (!n || typeof n !== 'object') return;
    const o = n as { type?: string; action?: Action };
    if (o.type === 'button' && o.action) out.push(o.action);
    for (const v of Object.values(o)) if (v && typeof v === 'object') walk(v);
  };
  walk(m.contents);
  for (const q of m.quickReply?.items ?? []) out.push(q.action as Action);
  return out;
}

const reportCard = (ms: Msg[]) => ms.find((m) => m.type === 'flex' && m.altText?.startsWith('報告する'));
const mailto = (m: Msg) => actions(m).find((a) => a.uri?.startsWith('mailto:info@antiphishing.jp?'));
const mailBody = (uri: string) => decodeURIComponent(new URL(uri).searchParams.get('body') ?? '');

describe('「報告する」 after a verdict', { timeout: 30_000 }, () => {
  it('a phishing mail file: the card opens a prefilled mail to info@antiphishing.jp with the defanged link', async () => {
    const bytes = amazonIso2022jp();
    const ev = messageEvent({ type: 'file', fileName: 'amazon.eml', fileSize: bytes.length }, inUser());
    bot.fake.serveContent((ev as unknown as { message: { id: string } }).message.id, { bytes });
    const messages = await replyTo(ev as never);
    // The verdict card comes first (issue 11), its altText carrying the label.
    expect(messages[0]!.altText).toMatch(/^【危険】/);
    const card = reportCard(messages)!;
    expect(card).toBe(messages.at(-1)); // last, carrying the quick replies
    expect(card.quickReply?.items?.length).toBeGreaterThan(0);
    const uri = mailto(card)!.uri!;
    expect(uri.length).toBeLessThanOrEqual(1000);
    const text = mailBody(uri);
    expect(text).toContain('hxxps[:]//amazon-co-jp[.]account-update[.]top/signin');
    expect(text).not.toContain('https://amazon-co-jp.account-update.top');
    expect(decodeURIComponent(new URL(uri).searchParams.get('subject')!)).toContain('Amazon');
    // The person's own address from the To header is not put into the report.
    expect(text).not.toMatch(/^To[:：]/m);
    // The mail routes: forwarding with headers and the 迷惑メール相談センター's form, not the carriers.
    const labels = actions(card).map((a) => a.label);
    expect(labels).toContain('転送のしかた');
    expect(labels).toContain('迷惑メール相談センター');
    expect(labels).not.toContain('携帯会社への報告');
  });

  it('pasted mail text is a mail too', async () => {
    const messages = await replyTo(
      textEvent(
        '差出人: Amazon <info@amazon-security-jp.top>\n件名: お支払い方法の更新\nお支払い方法に問題があります。24時間以内に更新してください https://amazon-co-jp.xyz/login',
      ),
    );
    const text = mailBody(mailto(reportCard(messages)!)!.uri!);
    expect(text).toContain('hxxps[:]//amazon-co-jp[.]xyz/login');
  });

  it('a phishing SMS: the carrier routes and the screenshot route', async () => {
    const messages = await replyTo(
      textEvent(
        '【佐川急便】お荷物のお届けにあがりましたが不在の為持ち帰りました。下記よりご確認ください。https://sagawa-delivery-jp.top/track',
      ),
    );
    expect(messages[0]!.altText).toMatch(/^【(危険|注意)】/);
    const card = reportCard(messages)!;
    const text = mailBody(mailto(card)!.uri!);
    expect(text).toContain('スクリーンショットを添付');
    expect(text).toContain('hxxps[:]//sagawa-delivery-jp[.]top/track');
    const sms = actions(card).find((a) => a.label === '携帯会社への報告')!;
    const carriers = await replyTo(postbackEvent(sms.data!));
    expect(carriers[0]!.text).toContain('ドコモ');
    expect(carriers[0]!.text).toContain('スクリーンショット');
    const pages = (carriers[0]!.quickReply!.items ?? []).map((i) => (i.action as Action).uri);
    expect(pages).toContain('https://www.docomo.ne.jp/info/spam_mail/if/sms/');
    expect(pages).toContain('https://www.softbank.jp/mobile/support/mail/antispam/howto/report/');
  });

  it('no card for a message with no danger sign, nor in a group', async () => {
    const low = await replyTo(textEvent('明日の集合は10時に駅前でお願いします。'));
    expect(reportCard(low)).toBeUndefined();
    const group = await replyTo(
      textEvent('【佐川急便】不在のため持ち帰りました。https://sagawa-delivery-jp.top/track', inGroup()),
    );
    expect(reportCard(group)).toBeUndefined();
  });

  it('the card keeps nothing: the same postbacks answer the same for everyone', async () => {
    const [forward] = await replyTo(postbackEvent('report=forward'));
    expect(forward!.text).toContain('info@antiphishing.jp');
    expect(forward!.text).toContain('Gmail');
    const [harm] = await replyTo(postbackEvent('report=harm'));
    expect(harm!.text).toContain('#9110');
    expect(harm!.text).toContain('188');
  });
});

describe('the rich menu postbacks', { timeout: 30_000 }, () => {
  it('報告する: the routes card, its mail left to fill in', async () => {
    const menu = loadRichMenu();
    const data = menu.areas.find((a) => a.label === '報告する')!.data;
    const [card] = await replyTo(postbackEvent(data));
    const uri = mailto(card!)!.uri!;
    expect(mailBody(uri)).toContain('スクリーンショット');
    expect(actions(card!).map((a) => a.label)).toEqual(
      expect.arrayContaining(['携帯会社への報告', '転送のしかた', '被害にあったとき']),
    );
  });

  it('チェックする: how to send a message, screenshot and mail file', async () => {
    const data = loadRichMenu().areas.find((a) => a.label === 'チェックする')!.data;
    const [answer] = await replyTo(postbackEvent(data));
    expect(answer!.text).toContain('スクリーンショット');
    expect(answer!.text).toContain('.eml');
  });

  it('困ったとき starts the guide; 使い方 answers the usage', async () => {
    const areas = loadRichMenu().areas;
    const help = await replyTo(postbackEvent(areas.find((a) => a.label === '困ったとき')!.data));
    expect(JSON.stringify(help)).toMatch(/ステップ|何がありましたか|どれに当てはまりますか|しましたか/);
    const [usage] = await replyTo(postbackEvent(areas.find((a) => a.label === '使い方')!.data));
    expect(usage!.text).toMatch(/^使い方/);
  });
});

describe('the report mail link', () => {
  const rules = loadReportRules();
  it("cuts a long text to LINE's 1,000 characters, with a note, keeping the links", () => {
    const long = 'お支払い方法に問題があります。'.repeat(200) + ' https://amazon-co-jp.xyz/login';
    const uri = reportMailto(rules, {
      kind: 'mail',
      text: long,
      brand: 'Amazon',
      links: ['https://amazon-co-jp.xyz/login'],
    });
    expect(uri.length).toBeLessThanOrEqual(MAX_URI);
    const text = mailBody(uri);
    expect(text).toContain('hxxps[:]//amazon-co-jp[.]xyz/login');
    expect(text).toContain(rules.report_mail.cut_note);
  });

  it('never splits a character, even with emoji and many long links', () => {
    const links = Array.from(
      { length: 6 },
      (_, i) => `https://${'x'.repeat(140)}${i}.example.top/${'p'.repeat(100)}`,
    );
    const uri = reportMailto(rules, { kind: 'sms', text: '😀'.repeat(2000), links });
    expect(uri.length).toBeLessThanOrEqual(MAX_URI);
    expect(() => decodeURIComponent(uri)).not.toThrow();
  });

  it('a text holding half of a surrogate pair still gives a link (the other half is U+FFFD)', () => {
    // As a text cut inside a mathematical letter arrives: 𝚓 is \ud835\ude93; only its first half is left.
    const text = `【電力】未払いのため停止します。𝚑𝚝𝚝𝚙://𝚠𝚠𝚠\ud835\nお支払い https://tepco-verify.buzz/jp/verify`;
    const uri = reportMailto(rules, { kind: 'sms', text, links: ['https://tepco-verify.buzz/jp/verify'] });
    expect(uri.length).toBeLessThanOrEqual(MAX_URI);
    const body = mailBody(uri);
    expect(body).toContain('𝚠𝚠𝚠\ufffd');
    expect(body).toContain('hxxps[:]//tepco-verify[.]buzz/jp/verify');
  });
});

describe('rules/report.yaml', () => {
  const rules = loadReportRules();
  const contacts = (
    parseYaml(readFileSync(new URL('../../rules/contacts.yaml', import.meta.url), 'utf8')) as {
      contacts: { id: string; url?: string; email?: string; source: string }[];
    }
  ).contacts;

  it('names the same verified pages and address as rules/contacts.yaml', () => {
    const byUrl = new Map(contacts.filter((c) => c.url).map((c) => [c.url!, c]));
    for (const c of rules.carriers) expect(byUrl.get(c.url), c.id).toBeDefined();
    const antiphishing = contacts.find((c) => c.id === 'antiphishing_report')!;
    expect(rules.report_mail.to).toBe(antiphishing.email);
    expect(rules.report_mail.source).toBe(antiphishing.source);
    const police = contacts.find((c) => c.id === 'police_cyber_online_form')!;
    expect(rules.harm.routes.find((r) => r.id === 'police_cyber_online_form')!.url).toBe(police.url);
  });

  it("points to the 迷惑メール相談センター's form, not to an address no official page showed", () => {
    expect(JSON.stringify(rules)).not.toContain('meiwaku@');
    expect(rules.routes.find((r) => r.id === 'dekyo_form')!.url).toMatch(/^https:\/\/www\.dekyo\.or\.jp\//);
  });

  it('a broken file names the file and the place', () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-rules-'));
    try {
      const broken = readFileSync(new URL('../../rules/report.yaml', import.meta.url), 'utf8').replace(
        'to: info@antiphishing.jp',
        'to: not-an-address',
      );
      writeFileSync(join(dir, 'report.yaml'), broken);
      expect(() => loadReportRules(dir)).toThrow(/rules\/report\.yaml: report_mail\.to/);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
