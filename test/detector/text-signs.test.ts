// Signs in the text of a message that the held-out misses called for (issue 10, text side): brand names
// written with look-alike letters, buttons whose destination the text does not show, the brand's own app or
// the number on the back of the card as an official channel, a brand plus a problem with no link. Texts are
// written for these tests, not taken from the eval sets.
import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../src/detector/index.ts';
import { useDetector } from '../support/detector.ts';
import { reasonCodes } from '../support/verdict.ts';

const { check } = useDetector();

const flagged = (v: Verdict) => v.risk === 'high' || v.risk === 'medium';

describe('brand names written with look-alike letters', () => {
  it.each([
    ['a digit for a letter', '【Amaz0n】ご注文の商品について確認があります。', 'amazon', 'Amaz0n'],
    ['a small L for a capital I', 'NlCOSカードからの大切なお知らせ', 'mufg_nicos', 'NlCOS'],
    ['full-width and half-width letters in one word', '【ＡｍａｚOn】ご注文の確認', 'amazon', 'ＡｍａｚOn'],
    ['a kanji for a kanji', '【楽夫】ご利用ありがとうございます。', 'rakuten', '楽夫'],
    ['a kanji for a katakana letter', '【ヤマ卜運輸】お届け予定のお知らせ', 'yamato', 'ヤマ卜運輸'],
    ['a katakana letter for a kanji', '東京電カからのお知らせです。', 'tepco', '東京電カ'],
    ['a Cyrillic letter for a Latin one', '【Аmazon】ご注文の確認', 'amazon', 'Аmazon'],
  ])('%s: the brand is claimed and the disguise is a reason', (_, text, brand, evidence) => {
    const v = check(text);
    expect(v.brand?.id).toBe(brand);
    const why = v.reasons.find((r) => r.code === 'brand_name_disguised');
    expect(why?.message).toContain(evidence);
    expect(why?.severity).toBe('high');
  });

  it('a disguised name with an account problem is flagged though the link was cut off', () => {
    expect(flagged(check('【Amaz0n】お支払い方法に問題があります。アカウントを停止しました。'))).toBe(true);
  });

  it.each([
    'Amazonでのご注文ありがとうございます。',
    'NICOSカードのご利用ありがとうございます。',
    'ＡＭＡＺＯＮ ご注文の確認',
    '楽天カードのご利用明細が確定しました。',
    'ヤマト運輸です。お届け予定のお知らせです。',
    '東京電力エナジーパートナーからのお知らせです。',
    '一日中雨でした。ロールケーキを二つ買いました。',
  ])('a name written as the brand writes it is no disguise: %s', (text) => {
    expect(reasonCodes(check(text))).not.toContain('brand_name_disguised');
  });
});

describe('buttons whose destination the text does not show', () => {
  const body =
    '【三井住友カード】不正利用の可能性があるため、カードのご利用を一時制限しています。下のボタンをクリックしてご本人確認を完了してください。';

  it('is not an official channel, so the alarming words count', () => {
    const v = check(body);
    expect(reasonCodes(v)).not.toContain('official_channels_only');
    expect(reasonCodes(v)).toContain('brand_pressure');
    expect(flagged(v)).toBe(true);
  });

  it('an official number beside it does not make the message official', () => {
    const v = check(`${body}\nお問い合わせ: 0120-936-795`);
    expect(reasonCodes(v)).not.toContain('official_channels_only');
    expect(flagged(v)).toBe(true);
  });

  it('a link pointed at (「ログインはこちら」) but not shown is no official channel either', () => {
    const v = check(
      '【JCB】ご利用制限のお知らせ。カードのご利用を一時的に制限しております。MyJCBにログインして24時間以内に再確認を完了してください。\n▼ログインはこちら',
    );
    expect(reasonCodes(v)).not.toContain('official_channels_only');
    expect(flagged(v)).toBe(true);
  });

  it('with the brand’s own link shown, the button is that link', () => {
    const v = check(`${body} https://www.smbc-card.com/`);
    expect(reasonCodes(v)).toContain('official_channels_only');
    expect(reasonCodes(v)).not.toContain('button_prompt');
    expect(v.risk).not.toBe('high');
  });
});

describe('channels the reader opens on their own', () => {
  it.each([
    '【三井住友カード】不正利用検知のため、カードのご利用を一時制限しています。カード裏面に記載の電話番号までご連絡ください。',
    '【楽天カード】不正利用の疑いがあるため、カードのご利用を一時停止しました。楽天カードアプリにログインしてご確認ください。',
    '【ゆうちょ銀行】お取引を一時停止しました。ブックマークした公式サイトからログインしてご確認ください。',
    '【JCB】ご利用確認のお願い。MyJCBでご利用明細をご確認ください。',
    '【三井住友カード】不正利用検知のため、カードの利用を一時制限しています。Vpassにログインのうえご確認ください。',
    'Amazon.co.jp: ご注文の商品を発送しました。配送状況はAmazonアプリの「注文履歴」からご確認いただけます。',
    '【ゆうちょ銀行】認証が完了しました。お心当たりのない場合は、ゆうちょ銀行にお問い合わせください。',
  ])('a notice that sends you to them is green: %s', (text) => {
    const v = check(text);
    expect(v.risk).toBe('low');
    expect(reasonCodes(v)).toContain('official_channels_only');
  });

  it('asking the company itself is no official channel when the message gives a number of its own', () => {
    const v = check(
      '【ゆうちょ銀行】口座が凍結されました。ゆうちょ銀行にお問い合わせください。050-1234-5678',
    );
    expect(reasonCodes(v)).not.toContain('official_channels_only');
    expect(v.risk).toBe('high');
  });

  it('an attachment to open is a request nobody can vouch for, whatever desk the message names', () => {
    const v = check(
      '【日本郵便】ご不在のためお荷物を持ち帰りました。このメールに添付されている送り状を印刷して、最寄りの郵便局までお問い合わせください。',
    );
    expect(reasonCodes(v)).toContain('attachment_open');
    expect(reasonCodes(v)).not.toContain('official_channels_only');
    expect(flagged(v)).toBe(true);
  });

  it('「こちら」 pointing at the brand’s own link is no sign', () => {
    const v = check(
      '【三井住友カード】カードのご利用内容をお知らせします。詳しくはこちら https://www.smbc-card.com/',
    );
    expect(reasonCodes(v)).toContain('official_channels_only');
    expect(reasonCodes(v)).not.toContain('link_prompt');
  });

  it('the app named only as the subject of a problem is not where the message sends you', () => {
    const v = check('【JCB】MyJCBの登録情報に不備があります。');
    expect(reasonCodes(v)).not.toContain('official_channels_only');
    expect(flagged(v)).toBe(true);
  });
});

describe('a brand or a problem with no link (a subject line, an SMS whose link was cut)', () => {
  it.each([
    '【ソフトバンク】ご利用料金のお支払いに失敗しました。',
    '【佐川急便】お荷物のお届けに問題が発生しました',
    '【イオンカード】お客様のアカウントに不備があります',
    '【至急】サービスを継続してご利用いただくための手続きのお願い',
    '【JCB】ご登録情報の確認が未完了です。至急お手続きください。',
    '【PayPay】お客様のアカウントに規約違反が確認されました。',
    '【Amazon】プライム会員の自動更新に失敗しました。',
    '【えきねっと】お客様のアカウントは退会予定です。',
  ])('is at least 注意: %s', (text) => {
    expect(flagged(check(text))).toBe(true);
  });

  it('a plain usage notice of the same brand stays calm', () => {
    expect(check('【ソフトバンク】ご利用料金のお知らせ。今月のご請求額が確定しました。').risk).not.toBe(
      'high',
    );
  });

  it('money handed out to whoever answers is the free-money teaser', () => {
    const v = check('【まもなく終了】今すぐ応募で現金3万円プレゼント！受け取りはお早めに');
    expect(reasonCodes(v)).toContain('cash_giveaway');
    expect(v.scenario).toBe('prize');
    expect(flagged(v)).toBe(true);
  });

  it('a stranger’s first message on social media is a romance or investment opener', () => {
    const v = check(
      '突然のメッセージ失礼いたします。おすすめの友達に表示されていて、共通の友人がいるようなのでご連絡しました。',
    );
    expect(reasonCodes(v)).toContain('romance_opener');
    expect(v.scenario).toBe('investment_romance');
  });
});
