// What the words say and how they are written: lexicon signals matched on dictionary forms
// (rules/lexicon.yaml), scenarios, greetings, and the writing signs of rules/language.yaml.
import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../src/detector/index.ts';
import { useDetector } from '../support/detector.ts';
import { reasonCodes } from '../support/verdict.ts';

const { check } = useDetector();

function evidenceOf(v: Verdict, code: string): string {
  const r = v.reasons.find((x) => x.code === code);
  expect(r, `${code} in ${reasonCodes(v).join(',')}`).toBeDefined();
  return r!.message;
}

describe('phrases match on dictionary forms', () => {
  it.each([
    ['停止されます', 'お客様のアカウントは停止されます。'],
    ['停止致します', 'お客様のアカウントを停止致します。'],
    ['停止いたします', 'ご利用を停止いたします。'],
    ['停止する', 'アカウントを停止する。'],
    ['停止しました', 'アカウントを停止しました。'],
    ['凍結されました', '口座が凍結されました。'],
    ['suspended', 'Your account has been suspended.'],
  ])('finds the threat in 「%s」', (_form, text) => {
    const v = check(text);
    expect(reasonCodes(v)).toContain('threat');
    expect(v.scenario).toBe('account_suspension');
  });

  it('shows the words that were found as evidence', () => {
    expect(evidenceOf(check('お客様のアカウントは停止されます。'), 'threat')).toContain('停止');
  });

  it('does not read unsubscribing (配信停止) as a threat', () => {
    const v = check('メールマガジンの配信停止をご希望の方はマイページから設定してください。');
    expect(reasonCodes(v)).not.toContain('threat');
  });
});

describe('text signals', () => {
  it.each([
    ['urgency', '24時間以内にご対応ください。'],
    ['urgency', '本日中にご対応ください。'],
    ['urgency', '72時間以内にご対応ください。'],
    ['urgency', '至急ご確認ください。'],
    ['urgency', 'Please respond within 24 hours.'],
    ['credential_request', 'パスワードを入力してください。'],
    ['credential_request', '暗証番号とワンタイムパスワードをご入力ください。'],
    ['card_request', 'カード番号を入力してください。'],
    ['card_request', 'クレジットカード情報を更新してください。'],
    ['card_request', 'Please update your payment information.'],
    ['personal_data_request', '生年月日と運転免許証の写真を送ってください。'],
    ['unpaid_bill', '料金が未払いです。'],
    ['unpaid_bill', '料金が未納となっております。'],
    ['unpaid_bill', 'お支払いが延滞しています。'],
    ['payment_problem', 'お支払い方法に問題があります。'],
    ['delivery_failure', 'お荷物をお届けに上がりましたが不在の為持ち帰りました。'],
    ['delivery_failure', '再配達のご依頼はこちら'],
    ['delivery_failure', '宛先不明のため保管しております。'],
    ['refund_offer', '返金手続きのお知らせ'],
    ['refund_offer', '還付金を受け取る手続きをしてください。'],
    ['prize_offer', 'おめでとうございます！抽選で当選しました。'],
    ['gift_card', 'ギフトカードを購入して番号を教えてください。'],
    ['security_alert', '不正ログインを検知しました。'],
    ['security_alert', 'We detected unusual activity on your account.'],
    ['carrier_billing', 'キャリア決済のご利用料金が高額になっております。'],
    ['mailbox_quota', 'メールボックスの容量が不足しています。'],
    ['app_install', 'セキュリティアプリをインストールしてください。'],
    ['callback_request', '至急、下記までお電話ください。'],
  ])('finds %s in 「%s」', (code, text) => {
    expect(reasonCodes(check(text))).toContain(code);
  });

  it('counts the generic greeting お客様 (and its variants)', () => {
    for (const text of [
      'お客様\nご注文の確認です。',
      'お客さま各位',
      '会員様へのお知らせ',
      'Dear Customer, please read.',
    ]) {
      expect(reasonCodes(check(text)), text).toContain('generic_greeting');
    }
  });

  it('flags an email address used as the addressee (xxx@yahoo.co.jp 様)', () => {
    const v = check('taro.yamada@yahoo.co.jp 様\n\nいつもご利用ありがとうございます。ご確認ください。');
    expect(reasonCodes(v)).toContain('email_as_name');
    expect(evidenceOf(v, 'email_as_name')).toContain('taro.yamada@yahoo.co.jp');
  });

  it('flags 様 with no name in front of it', () => {
    expect(reasonCodes(check('様\n\nお荷物が配達できませんでした。'))).toContain('empty_name');
  });

  it('trusts a message addressed by name more than the same message to お客様', () => {
    const body = '\nアカウントの利用を一時停止しました。本日中にご確認ください。https://account-check.net/';
    const named = check('山田 太郎 様' + body);
    const generic = check('お客様' + body);
    expect(reasonCodes(named)).not.toContain('generic_greeting');
    expect(named.score).toBeLessThan(generic.score);
  });

  it('finds nothing alarming in an ordinary message', () => {
    const v = check('明日の会議は10時からです。資料は前日までに共有します。よろしくお願いします。');
    expect(v.risk).toBe('low');
    expect(v.reasons.filter((r) => r.severity !== 'info')).toEqual([]);
  });
});

describe('how the text is written', () => {
  it('flags characters only used in simplified Chinese (账户 认证)', () => {
    const v = check('您的账户认证失败，请点击链接重新验证。');
    expect(reasonCodes(v)).toContain('simplified_chinese');
    expect(evidenceOf(v, 'simplified_chinese')).toMatch(/账|认|证/);
  });

  it('does not flag Japanese kanji as simplified Chinese', () => {
    const v = check('口座番号と暗証番号の確認について、本人確認書類をご用意ください。経済産業省');
    expect(reasonCodes(v)).not.toContain('simplified_chinese');
  });

  it('flags a hyphen written for the katakana long vowel (プライバシ-ボリシ-)', () => {
    const v = check('プライバシ-ボリシ-の変更について');
    expect(reasonCodes(v)).toContain('katakana_hyphen');
  });

  it('does not flag a hyphen between words or in codes', () => {
    const v = check('ポイントカード-1234 と JCB-カード と セット - 2個 と ID-1234');
    expect(reasonCodes(v)).not.toContain('katakana_hyphen');
  });

  it('flags Greek capitals that pose as Latin letters (ΑΝΑ)', () => {
    const v = check('ΑΝΑマイレージクラブ会員様へ重要なお知らせ');
    expect(reasonCodes(v)).toContain('homoglyph_text');
    expect(evidenceOf(v, 'homoglyph_text')).toContain('ΑΝΑ');
  });

  it('does not flag real Greek or Russian words', () => {
    expect(reasonCodes(check('Καλημέρα, πώς είστε;'))).not.toContain('homoglyph_text');
    expect(reasonCodes(check('Здравствуйте, спасибо за заказ.'))).not.toContain('homoglyph_text');
  });

  it('flags broken Japanese (「お」が抜けた「客様」, 「の場合」 after a verb)', () => {
    expect(reasonCodes(check('【東京電力】客様ID: 736 電気料金が未払いのため停止します。'))).toContain(
      'broken_japanese',
    );
    expect(reasonCodes(check('問題が解決されないの場合、登録はキャンセルとなります。'))).toContain(
      'broken_japanese',
    );
  });

  it('flags full-width comma and period inside Japanese sentences', () => {
    expect(reasonCodes(check('お客様のアカウント，一時停止しました．'))).toContain('odd_punctuation');
  });
});

describe('scenarios', () => {
  it.each([
    ['delivery', '【佐川急便】お荷物のお届けにあがりましたが宛先不明の為持ち帰りました。'],
    ['account_suspension', '【えきねっと】お客様のアカウントを停止しました。'],
    ['payment_problem', 'Amazonプライムのお支払い方法に問題があります。'],
    ['unpaid_bill', '【NHK】受信料の未払いがあります。'],
    ['tax_refund', '【国税庁】所得税の還付金があります。還付手続きをしてください。'],
    ['prize', 'おめでとうございます！抽選で当選しました。賞金を受け取ってください。'],
    ['carrier_billing', '【ソフトバンク】キャリア決済のご利用料金が高額になっております。'],
    ['gift_card', 'ギフトカードを購入して、その番号を教えてください。'],
    ['card_usage_check', '【三井住友カード】カードのご利用確認のお願い'],
    ['points_expiring', '【楽天】ポイント失効のお知らせ'],
    ['mailbox', 'メールボックスの容量が不足しています。保留中のメッセージがあります。'],
  ])('tells the %s story', (scenario, text) => {
    expect(check(text).scenario).toBe(scenario);
  });

  it('tells no story for a neutral message', () => {
    expect(check('明日の会議は10時からです。').scenario).toBeNull();
  });

  it('adds scenario advice for risky messages', () => {
    const v = check(
      '【佐川急便】お荷物のお届けにあがりましたが不在の為持ち帰りました。https://sagawa-ex.xyz/a',
    );
    expect(v.scenario).toBe('delivery');
    expect(v.advice.join('\n')).toMatch(/伝票番号|宅配業者/);
  });
});

describe('brands claimed in the text', () => {
  it.each([
    ['【佐川急便】お荷物のお届けについて', 'sagawa'],
    ['ヤマト運輸:お荷物情報が間違っております', 'yamato'],
    ['いつも三井住友カードをご利用いただきありがとうございます', 'smbc_card'],
    ['楽天カードご利用内容のお知らせ', 'rakuten_card'],
    ['【国税庁】未払い税金のお知らせ', 'nta'],
    ['「えきねっと」アカウントの自動退会処理について', 'eki_net'],
    ['Your PayPal account has been limited.', 'paypal'],
  ])('reads the brand of 「%s」', (text, id) => {
    expect(check(text).brand?.id).toBe(id);
  });

  it('prefers the longer name (楽天カード over 楽天)', () => {
    expect(check('【楽天カード】ご利用確認').brand?.id).toBe('rakuten_card');
  });

  it('does not find the short name "au" inside other words', () => {
    expect(check('Please authorize the payment. Paul').brand).toBeNull();
  });
});

describe('English phishing', () => {
  it.each([
    [
      'Apple',
      'Your Apple ID has been suspended. Please verify your account within 24 hours: https://apple-id-verify.com/signin',
      'apple',
    ],
    [
      'PayPal',
      'Your PayPal account has been limited. Log in within 24 hours to restore access: http://paypal-resolution.info/webscr',
      'paypal',
    ],
    [
      'Microsoft',
      'Microsoft: Your account will be suspended. Verify your identity within 24 hours at https://login-microsoftonline.help/',
      'microsoft',
    ],
  ])('rates a %s suspension notice with a foreign link high', (_name, text, brand) => {
    const v = check(text);
    expect(v.risk).toBe('high');
    expect(v.brand?.id).toBe(brand);
    expect(reasonCodes(v)).toEqual(expect.arrayContaining(['brand_domain_mismatch', 'urgency']));
  });

  it('rates a harmless English sentence low', () => {
    const v = check('The weather is nice today. Shall we have lunch at noon near the station?');
    expect(v.risk).toBe('low');
    expect(v.brand).toBeNull();
  });

  it('explains English evidence in Japanese', () => {
    const v = check(
      'Your Apple ID has been suspended. Please verify your account within 24 hours: https://apple-id-verify.com/signin',
    );
    expect(evidenceOf(v, 'urgency')).toMatch(/within 24 hours.*期限/);
  });
});
