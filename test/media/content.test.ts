// End to end: screenshots and files sent to the bot, the content served by the LINE stand-in, what the
// bot sent back. One warm OCR pool for the file; a handful of recognitions in all.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { lineContentSource } from '../../src/line/content.ts';
import { createOcrPool, type OcrPool } from '../../src/media/ocr-pool.ts';
import { startBot, type Bot } from '../support/bot.ts';
import type { RecordedCall } from '../../scripts/stand-ins/fake-line.ts';
import {
  body,
  inUser,
  messageEvent,
  postWebhook,
  TOKEN,
  waitFor,
  type TestEvent,
} from '../../scripts/stand-ins/webhook.ts';
import { renderAll, QR_POSTER } from '../../scripts/fixtures/render-screenshots.ts';
import { allEmails, CARD_LINK } from '../../scripts/fixtures/emails.ts';
import { checkMessages } from '../../src/line/limits.ts';
import type { messagingApi } from '@line/bot-sdk';

type Msg = messagingApi.Message & {
  text?: string;
  altText?: string;
  contents?: unknown;
  quickReply?: unknown;
};
type Event = TestEvent & { replyToken: string; message: { id: string } };

const LIMITS = { imageBytes: 3_000_000, fileBytes: 200_000, downloadTimeoutMs: 1500 };

let bot: Bot;
let pool: OcrPool;
let pictures: Record<string, Buffer>;
const mails = allEmails();

beforeAll(async () => {
  pool = createOcrPool({ size: 1, maxQueue: 2 });
  [pictures] = await Promise.all([renderAll(), pool.warm()]);
  bot = await startBot({
    media: (fake) => ({
      content: lineContentSource({ channelAccessToken: TOKEN, dataApiBaseUrl: fake.url, attempts: 1 }),
      ocr: pool,
      limits: LIMITS,
    }),
    options: { loadingAfterMs: 0 },
  });
}, 60_000);
afterAll(async () => {
  await bot?.close();
  await pool?.close();
});
afterEach(() => bot.fake.reset());

const messagesOf = (call: RecordedCall) => (call.body as { messages: Msg[] }).messages;

async function send(message: Record<string, unknown>, content?: Parameters<Bot['fake']['serveContent']>[1]) {
  const ev = messageEvent(message, inUser()) as Event;
  if (content) bot.fake.serveContent(ev.message.id, content);
  const res = await postWebhook(bot.url, body(ev));
  expect(res.status).toBe(200);
  const call = await waitFor(
    () =>
      bot.fake.callsTo('reply').find((c) => (c.body as { replyToken: string }).replyToken === ev.replyToken),
    20_000,
    'reply',
  );
  const messages = messagesOf(call);
  expect(checkMessages(messages)).toEqual([]);
  return { messages, ev };
}

const image = () => ({ type: 'image', contentProvider: { type: 'line' } });
const file = (fileName: string, bytes: Buffer) => ({ type: 'file', fileName, fileSize: bytes.length });
const json = (m: Msg) => JSON.stringify(m.contents ?? {});

describe('a screenshot', () => {
  it('answers with the verdict card first, then what was read (text and the link, defanged), short', async () => {
    const { messages, ev } = await send(image(), {
      bytes: pictures['sms-sagawa.png'],
      contentType: 'image/png',
    });
    // The card, what was read, then the 報告する card with the buttons (test/launch/report.test.ts).
    expect(messages).toHaveLength(3);
    const [card, read, report] = messages as [Msg, Msg, Msg];
    // The verdict first (CONTRACT §5), then what was read, with the note on misreadings.
    expect(card.type).toBe('flex');
    expect(card.altText).toMatch(/^【(危険|注意)】/);
    expect(read.type).toBe('text');
    expect(read.text).toMatch(/^上の判定は、画像から読み取った次の文字で確かめました。/);
    expect(read.text).toContain('【佐川急便】お荷物のお届けにあがりましたが不在の為持ち帰りました');
    // The host is its own domain: named once.
    expect(read.text).toContain('・sagawa-delivery-jp[.]top\n');
    expect(read.text).not.toContain('本当のドメイン：sagawa-delivery-jp[.]top');
    expect(read.text).toContain('読み取りが違っているときは、本文をコピーして送ってください。');
    expect(read.text).not.toMatch(/https?:\/\/sagawa/);
    // The buttons under the last message, where LINE shows them.
    expect(card.quickReply).toBeUndefined();
    expect(read.quickReply).toBeUndefined();
    expect(report.quickReply).toBeDefined();
    // The content came from the content API; the loading animation was shown while reading.
    expect(bot.fake.callsTo('content').map((c) => c.path)).toEqual([
      `/v2/bot/message/${ev.message.id}/content`,
    ]);
    expect(bot.fake.callsTo('loading')).toHaveLength(1);
    // Nothing read reaches the logs (written once the answer went out).
    await waitFor(() => bot.logs.some((l) => l.includes(ev.webhookEventId)), 3000, 'log line');
    const logs = bot.logs.join('\n');
    expect(logs).not.toContain('佐川');
    expect(logs).not.toContain('sagawa-delivery');
    expect(logs).not.toContain('持ち帰り');
    expect(logs).toMatch(/"kind":"image"/);
  }, 30_000);

  it('analyses the link of a QR code in the picture', async () => {
    const { messages } = await send(image(), { bytes: pictures['qr-poster.png'], contentType: 'image/png' });
    const [card, read] = messages as [Msg, Msg];
    const host = new URL(QR_POSTER.url).hostname;
    expect(read.text).toContain(`${host.replace(/\./g, '[.]')}（QRコードの中のリンク`);
    expect(read.text).toContain('駐車違反のお知らせ');
    expect(card.altText).toMatch(/^【(危険|注意)】/);
    expect(json(card)).toContain(host.replace(/\./g, '[.]'));
  }, 30_000);

  it('explains kindly what to send when nothing can be read (a photo with no text, a blank screen)', async () => {
    for (const name of ['photo.jpg', 'blank.png']) {
      const { messages } = await send(image(), { bytes: pictures[name], contentType: 'image/jpeg' });
      expect(messages, name).toHaveLength(1);
      expect(messages[0]!.text, name).toContain('画像から文字を読み取れませんでした');
      expect(messages[0]!.text, name).toContain('スクリーンショット');
    }
  }, 60_000);

  it('never downloads an external picture and says what to send instead', async () => {
    const { messages } = await send({
      type: 'image',
      contentProvider: { type: 'external', originalContentUrl: 'http://127.0.0.1:1/x.png' },
    });
    expect(messages[0]!.text).toContain('LINEの外にある画像');
    expect(bot.fake.callsTo('content')).toHaveLength(0);
  });

  it('says so when the picture is too large, unsent (410), expired (404), too slow, or not a picture', async () => {
    const cases: [Parameters<Bot['fake']['serveContent']>[1], string][] = [
      [{ bytes: Buffer.alloc(LIMITS.imageBytes + 1, 1) }, '大きすぎる'],
      [{ status: 410 }, '送信を取り消した'],
      [{}, '保存期間'],
      [{ bytes: pictures['blank.png'], delayMs: LIMITS.downloadTimeoutMs + 1000 }, '時間がかかり'],
      [{ bytes: Buffer.from('GIF89a not really') }, '形式は読み取れません'],
    ];
    for (const [content, expected] of cases) {
      const { messages } = await send(image(), content);
      expect(messages, expected).toHaveLength(1);
      expect(messages[0]!.text, expected).toContain(expected);
    }
  }, 30_000);

  it('answers 「混み合っています」 when every OCR slot is busy and the queue is full', async () => {
    let release!: () => void;
    const held = pool.run(() => new Promise<void>((r) => (release = r)));
    await vi.waitFor(() => expect(pool.stats().running).toBe(1));
    const queued = [pool.run(async () => 1), pool.run(async () => 2)];
    expect(pool.stats().queued).toBe(2);
    try {
      const { messages } = await send(image(), { bytes: pictures['sms-sagawa.png'] });
      expect(messages[0]!.text).toContain('ただいま混み合っています');
      expect(messages[0]!.text).toContain('本文をコピー');
    } finally {
      release();
      await held;
      await Promise.all(queued);
    }
  }, 30_000);
});

describe('a mail file', () => {
  it('reads an ISO-2022-JP .eml: look-alike sender, Reply-To and Return-Path elsewhere, SPF/DMARC failed', async () => {
    const bytes = mails['amazon-iso2022jp.eml']!;
    const { messages } = await send(file('amazon.eml', bytes), { bytes, contentType: 'message/rfc822' });
    const [card, read] = messages as [Msg, Msg];
    expect(read.text).toMatch(/^上の判定は、メールのファイルから読み取った次の内容で確かめました。/);
    expect(read.text).toContain('件名：【重要】Amazonアカウントの支払い情報を更新してください');
    expect(read.text).toContain(
      '差出人："Amazon[.]co[.]jp" <account-update@amazon-co-jp[.]account-update[.]top>',
    );
    expect(card.altText).toMatch(/^【危険】Amazon/);
    expect(json(card)).toContain('送信元アドレス');
  });

  it('reads a UTF-8 .eml with an HTML part: the link shows the card company but goes elsewhere', async () => {
    const bytes = mails['rakuten-utf8.eml']!;
    const { messages } = await send(file('card.eml', bytes), { bytes });
    const [card, read] = messages as [Msg, Msg];
    expect(read.text).toContain('件名：【楽天カード】ご利用確認のお願い');
    const real = new URL(CARD_LINK.href).hostname.replace(/\./g, '[.]');
    expect(read.text).toContain(real);
    expect(card.altText).toMatch(/^【危険】/);
    expect(json(card)).toContain('と表示されていますが、押すと実際には');
  });

  it('reads a Shift_JIS text file as the message it holds', async () => {
    const bytes = mails['sms-shiftjis.txt']!;
    const { messages } = await send(file('sms.txt', bytes), { bytes, contentType: 'text/plain' });
    expect(messages[0]!.type).toBe('flex');
    expect(messages[0]!.altText).toMatch(/^【(危険|注意)】/);
    expect(messages[1]!.text).toMatch(/^上の判定は、ファイルから読み取った次の文字で確かめました。/);
    expect(messages[1]!.text).toContain('【佐川急便】お荷物のお届けにあがりましたが');
  });

  it('says which files it can read, refuses a file too large before downloading it', async () => {
    let r = await send({ type: 'file', fileName: 'invoice.pdf', fileSize: 1000 });
    expect(r.messages[0]!.text).toContain('このファイルの種類は読み取れません');
    expect(r.messages[0]!.text).toContain('.eml');
    r = await send({ type: 'file', fileName: 'big.eml', fileSize: LIMITS.fileBytes + 1 });
    expect(r.messages[0]!.text).toContain('ファイルが大きすぎる');
    expect(bot.fake.callsTo('content')).toHaveLength(0);
    r = await send(file('broken.eml', Buffer.from('not a mail at all')), { bytes: Buffer.from('') });
    expect(r.messages[0]!.text).toContain('ファイルの中身を読み取れませんでした');
  });
});
