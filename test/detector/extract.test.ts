// Extraction: links, addresses, phone numbers and pasted mail headers, as forwarded texts really arrive
// (full-width, defanged, glued to Japanese, split over lines, masked by the source).
import { beforeAll, describe, expect, it } from 'vitest';
import type { Detector } from '../../src/detector/index.ts';
import { extractFrom, hostsIn, sharedDetector } from '../support/detector.ts';
import { expectContract, reasonCodes, urlCodes } from '../support/verdict.ts';

let d: Detector;
beforeAll(async () => {
  d = await sharedDetector();
}, 60_000);

describe('links with and without a scheme', () => {
  it('finds a link with a scheme and keeps its path', () => {
    const ex = extractFrom('お支払い情報を更新してください https://amazon-verify.top/ap/signin?ref=nav');
    expect(ex.urls).toHaveLength(1);
    expect(ex.urls[0]!.url.href).toBe('https://amazon-verify.top/ap/signin?ref=nav');
    expect(ex.urls[0]!.schemeless).toBe(false);
  });

  it('finds a link written without a scheme (amazon-co-jp.xyz/login)', () => {
    const ex = extractFrom('アカウント確認: amazon-co-jp.xyz/login からログインしてください');
    expect(ex.urls).toHaveLength(1);
    expect(ex.urls[0]!.url.hostname).toBe('amazon-co-jp.xyz');
    expect(ex.urls[0]!.url.pathname).toBe('/login');
    expect(ex.urls[0]!.schemeless).toBe(true);

    const v = d.analyze('アカウント確認: amazon-co-jp.xyz/login からログインしてください');
    expectContract(v);
    expect(v.urls.map((u) => u.host)).toEqual(['amazon-co-jp.xyz']);
    // Written without a scheme, so "http" is the parser's guess and not evidence against the link.
    expect(urlCodes(v)).not.toContain('http_link');
  });

  it('finds a bare www host', () => {
    expect(hostsIn('詳しくは www.example-shop.co.jp をご覧ください')).toEqual(['www.example-shop.co.jp']);
  });

  it('reads full-width links (ｈｔｔｐｓ：／／ａｍａｚｏｎ．ｃｏ．ｊｐ)', () => {
    const text = 'ご注文の確認はｈｔｔｐｓ：／／ａｍａｚｏｎ．ｃｏ．ｊｐ／ｇｐ／ｃｓｓからどうぞ';
    const ex = extractFrom(text);
    expect(ex.urls).toHaveLength(1);
    expect(ex.urls[0]!.url.href).toBe('https://amazon.co.jp/gp/css');
    const v = d.analyze(text);
    expectContract(v);
    expect(v.urls[0]).toMatchObject({ host: 'amazon.co.jp', domain: 'amazon.co.jp', official: true });
  });

  it('reads a full-width phishing link glued to Japanese text', () => {
    const text = '詳細はｈｔｔｐｓ：／／ａｍａｚｏｎ－ｖｅｒｉｆｙ．ｔｏｐ／ｌｏｇｉｎから確認';
    expect(extractFrom(text).urls.map((u) => u.url.href)).toEqual(['https://amazon-verify.top/login']);
  });

  it.each([
    [
      'Japanese before and after',
      'こちらhttps://evil-login.top/verifyから確認してください',
      'https://evil-login.top/verify',
    ],
    ['「」 brackets', '「https://evil-login.top/verify」を開いてください', 'https://evil-login.top/verify'],
    ['【】 brackets', '【https://evil-login.top/verify】詳細', 'https://evil-login.top/verify'],
    ['ASCII parentheses', '詳細(https://evil-login.top/verify)をご確認', 'https://evil-login.top/verify'],
    ['Japanese full stop', 'https://evil-login.top/verify。', 'https://evil-login.top/verify'],
    ['Japanese comma', 'https://evil-login.top/verify、期限は本日です', 'https://evil-login.top/verify'],
    ['ASCII punctuation', 'See https://evil-login.top/verify, then log in.', 'https://evil-login.top/verify'],
    [
      'a closing bracket of the sender tag',
      '【佐川急便】https://sagawa-ex.xyz/a】確認',
      'https://sagawa-ex.xyz/a',
    ],
  ])('cuts a link cleanly from its surroundings: %s', (_name, text, href) => {
    expect(extractFrom(text).urls.map((u) => u.url.href)).toEqual([href]);
  });

  it('keeps parentheses that belong to the link', () => {
    const ex = extractFrom('https://evil-login.top/wiki/Foo_(bar) を参照');
    expect(ex.urls[0]!.url.pathname).toBe('/wiki/Foo_(bar)');
  });
});

describe('defanged links', () => {
  it.each([
    ['hxxps and [.]', 'hxxps://evil-site[.]com/login を開かないで', 'https://evil-site.com/login'],
    ['hxxp and (.)', 'hxxp://evil(.)example(.)top/path', 'http://evil.example.top/path'],
    ['[:] and [.]', 'hxxps[:]//evil[.]top/x', 'https://evil.top/x'],
    ['[dot]', 'https://evil[dot]top/x', 'https://evil.top/x'],
    ['no scheme, [.]', '転送: evil-shop[.]top/login', 'http://evil-shop.top/login'],
  ])('refangs %s', (_name, text, href) => {
    expect(extractFrom(text).urls.map((u) => u.url.href)).toEqual([href]);
  });

  it('judges a defanged link like the live one', () => {
    const live = d.analyze('https://evil-site.top/login');
    const defanged = d.analyze('hxxps://evil-site[.]top/login');
    expectContract(defanged);
    expect(defanged.urls[0]!.host).toBe('evil-site.top');
    expect(defanged.urls[0]!.codes).toEqual(live.urls[0]!.codes);
  });
});

describe('links split across lines', () => {
  it('joins a path cut at the end of a line', () => {
    const ex = extractFrom('詳細はこちら https://example-phish.top/account/veri\nfy?id=123');
    expect(ex.urls.map((u) => u.url.href)).toEqual(['https://example-phish.top/account/verify?id=123']);
    expect(ex.urls[0]!.joined).toBe(true);
  });

  it('joins a link split inside a quoted mail ("> " marks)', () => {
    const ex = extractFrom('> 詳細はこちら\n> https://example-phish.top/account/veri\n> fy?id=123\n> 以上');
    expect(ex.urls.map((u) => u.url.href)).toEqual(['https://example-phish.top/account/verify?id=123']);
  });

  it('joins a host cut after a hyphen', () => {
    expect(hostsIn('https://amazon-co-jp-\nverify.top/login')).toEqual(['amazon-co-jp-verify.top']);
  });

  it('joins a screenshot-style break in a long query', () => {
    const ex = extractFrom('https://evil-login.top/login?session=ab12&\nnext=%2Fpay');
    expect(ex.urls[0]!.url.search).toBe('?session=ab12&next=%2Fpay');
  });

  it('does not join a link with the Japanese line after it', () => {
    const ex = extractFrom('https://www.example.com/news\n次の行は日本語です');
    expect(ex.urls.map((u) => u.url.href)).toEqual(['https://www.example.com/news']);
    expect(ex.urls[0]!.joined).toBe(false);
  });

  it('does not join two links on consecutive lines', () => {
    expect(hostsIn('https://www.example.com/a\nhttps://www.example.org/b')).toEqual([
      'www.example.com',
      'www.example.org',
    ]);
  });
});

describe('international and numeric hosts', () => {
  it('reports the readable form of a punycode host (hostUnicode)', () => {
    const v = d.analyze('https://xn--r8jz45g.jp/login');
    expectContract(v);
    expect(v.urls[0]).toMatchObject({ host: 'xn--r8jz45g.jp', hostUnicode: '例え.jp' });
  });

  it('finds a link whose host is written in Japanese (https://例え.jp/login)', () => {
    const v = d.analyze('こちらから https://例え.jp/login');
    expectContract(v);
    expect(v.urls).toHaveLength(1);
    expect(v.urls[0]).toMatchObject({ host: 'xn--r8jz45g.jp', hostUnicode: '例え.jp' });
  });

  it('leaves hostUnicode out for plain ASCII hosts', () => {
    const v = d.analyze('https://evil-login.top/');
    expect(v.urls[0]).not.toHaveProperty('hostUnicode');
  });

  it.each([
    ['dotted decimal', 'http://192.168.10.5/login', '192.168.10.5'],
    ['hexadecimal', 'http://0x7f.0.0.1/ こちら', '127.0.0.1'],
    ['single number', 'http://2130706433/login', '127.0.0.1'],
    ['IPv6', 'http://[2001:db8::1]/login', '[2001:db8::1]'],
  ])('reads an IP-literal host (%s) as ip_host', (_name, text, host) => {
    const v = d.analyze(text);
    expectContract(v);
    expect(v.urls).toHaveLength(1);
    expect(v.urls[0]!.host).toBe(host);
    expect(v.urls[0]!.codes).toContain('ip_host');
  });

  it('sees through the userinfo trick (https://www.amazon.co.jp@evil.example/)', () => {
    const v = d.analyze('ログインはこちら https://www.amazon.co.jp@evil.example/');
    expectContract(v);
    expect(v.urls[0]).toMatchObject({ host: 'evil.example', domain: 'evil.example', official: false });
    expect(v.urls[0]!.codes).toContain('userinfo_trick');
    const reason = v.reasons.find((r) => r.code === 'userinfo_trick');
    expect(reason?.message).toContain('www.amazon.co.jp');
    expect(reason?.message).toContain('evil.example');
    expect(v.risk).toBe('high');
  });
});

describe('email addresses', () => {
  it('finds an address and does not read it as a link', () => {
    const ex = extractFrom('お問い合わせ: support@amazon-help.top まで');
    expect(ex.emails).toEqual([{ address: 'support@amazon-help.top', domain: 'amazon-help.top' }]);
    expect(ex.urls).toEqual([]);
  });

  it('finds an address glued to Japanese text', () => {
    const ex = extractFrom('返信はinfo@smbc-help.netへお願いします');
    expect(ex.emails.map((e) => e.address)).toEqual(['info@smbc-help.net']);
  });

  it('lists each address once in the verdict', () => {
    const v = d.analyze('連絡先 a@example.jp\nもう一度 a@example.jp');
    expectContract(v);
    expect(v.emails.map((e) => e.address)).toEqual(['a@example.jp']);
  });
});

describe('phone numbers', () => {
  it.each([
    ['toll-free with hyphens', 'お問い合わせ 0120-123-456 まで', '0120123456', false],
    ['050 with U+2010 hyphens', '連絡先 050‐1234‐5678 まで', '05012345678', false],
    ['090 with U+2212 minus', '連絡先 090−1234−5678 まで', '09012345678', false],
    ['full-width digits and ー', '連絡先：０９０ー１２３４ー５６７８', '09012345678', false],
    ['spaces', '連絡先：080 1234 5678', '08012345678', false],
    ['+81 mobile', 'Call +81 90-1234-5678', '09012345678', false],
    ['+81 landline', '電話は +81 3-1234-5678 へ', '0312345678', false],
    ['+1 international', 'Call +1 202 555 0123 now', '12025550123', true],
  ])('finds %s', (_name, text, digits, international) => {
    const ex = extractFrom(text);
    expect(ex.phones).toHaveLength(1);
    expect(ex.phones[0]).toMatchObject({ digits, international });
  });

  it.each([
    ['050', '050-1234-5678', 'ip_phone_contact'],
    ['090', '090-1234-5678', 'mobile_contact'],
    ['+1', '+1 202 555 0123', 'international_phone'],
  ])('codes a %s contact number', (_name, number, code) => {
    const v = d.analyze(`至急 ${number} までお電話ください`);
    expectContract(v);
    expect(v.phones).toEqual([expect.objectContaining({ number, codes: expect.arrayContaining([code]) })]);
    expect(reasonCodes(v)).toContain(code);
  });

  it('does not read dates, prices, postcodes, times and order numbers as phone numbers', () => {
    const ex = extractFrom(
      '注文番号 250-1234567-1234567 のお届け予定日は2024-06-01です。合計 12,800円。〒100-0001 東京都千代田区 10:30',
    );
    expect(ex.phones).toEqual([]);
  });
});

describe('pasted mail headers', () => {
  const english = [
    'From: "Amazon.co.jp" <account-update@amazon-security-jp.com>',
    'Reply-To: support@gmail.com',
    'Return-Path: <bounce@mailer.evil.top>',
    'Subject: 【重要】お支払い方法の更新が必要です',
    'Authentication-Results: mx.example.jp; spf=fail smtp.mailfrom=evil.top;',
    ' dkim=fail header.d=evil.top;',
    ' dmarc=fail header.from=amazon-security-jp.com',
    '',
    'お客様',
    'お支払い方法に問題があったため、ご利用を停止します。',
  ].join('\n');

  it('reads From, Reply-To, Return-Path, Subject and folded Authentication-Results', () => {
    const h = extractFrom(english).headers;
    expect(h).not.toBeNull();
    expect(h!.from).toEqual({
      name: 'Amazon.co.jp',
      address: 'account-update@amazon-security-jp.com',
      domain: 'amazon-security-jp.com',
    });
    expect(h!.replyTo?.address).toBe('support@gmail.com');
    expect(h!.returnPath?.address).toBe('bounce@mailer.evil.top');
    expect(h!.subject).toBe('【重要】お支払い方法の更新が必要です');
    expect(h!.auth).toEqual({ spf: 'fail', dkim: 'fail', dmarc: 'fail' });
  });

  it('turns the headers into reasons', () => {
    const v = d.analyze(english);
    expectContract(v);
    expect(reasonCodes(v)).toEqual(
      expect.arrayContaining(['auth_fail', 'reply_to_mismatch', 'return_path_mismatch']),
    );
    expect(v.reasons.find((r) => r.code === 'auth_fail')!.message).toMatch(/spf=fail/);
    expect(v.reasons.find((r) => r.code === 'reply_to_mismatch')!.message).toContain('support@gmail.com');
    expect(v.emails.map((e) => e.address)).toEqual(
      expect.arrayContaining([
        'account-update@amazon-security-jp.com',
        'support@gmail.com',
        'bounce@mailer.evil.top',
      ]),
    );
    expect(v.brand?.id).toBe('amazon');
    expect(v.risk).toBe('high');
  });

  it('reads the headers of Japanese mail clients (差出人, 返信先, 件名, 宛先)', () => {
    const text = [
      '差出人: "三井住友カード" <info@smbc-card-jp.com>',
      '宛先: taro@example.jp',
      '返信先: reply@smbc-help.net',
      '件名: 【三井住友カード】ご利用確認のお願い',
      '',
      'いつも三井住友カードをご利用いただきありがとうございます。',
    ].join('\n');
    const h = extractFrom(text).headers;
    expect(h?.from?.address).toBe('info@smbc-card-jp.com');
    expect(h?.from?.name).toBe('三井住友カード');
    expect(h?.to?.address).toBe('taro@example.jp');
    expect(h?.replyTo?.address).toBe('reply@smbc-help.net');
    expect(h?.subject).toBe('【三井住友カード】ご利用確認のお願い');
    const v = d.analyze(text);
    expectContract(v);
    expect(v.brand?.id).toBe('smbc_card');
    expect(reasonCodes(v)).toContain('reply_to_mismatch');
  });

  it('reads a From header folded onto the next line', () => {
    const h = extractFrom('From:\n "Amazon" <notice@amzn-support.net>\nSubject: お知らせ').headers;
    expect(h?.from).toMatchObject({ name: 'Amazon', address: 'notice@amzn-support.net' });
  });

  it('reads quoted headers ("> From:")', () => {
    const text =
      '> From: "楽天カード" <info@rakuten-card.co.jp.xyz-mail.top>\n> Subject: 【楽天カード】ご利用確認\n>\n> お客様';
    const h = extractFrom(text).headers;
    expect(h?.from?.domain).toBe('rakuten-card.co.jp.xyz-mail.top');
    expect(h?.subject).toBe('【楽天カード】ご利用確認');
  });

  it('reads softfail and permerror as failures, pass as pass', () => {
    const fail = d.analyze(
      'From: Mercari <no-reply@mercari.jp>\nAuthentication-Results: mx.example.com; spf=softfail smtp.mailfrom=mercari.jp; dkim=none; dmarc=permerror',
    );
    expectContract(fail);
    expect(fail.reasons.find((r) => r.code === 'auth_fail')?.message).toMatch(
      /spf=softfail.*dmarc=permerror/,
    );
    const pass = d.analyze(
      'From: Mercari <no-reply@mercari.jp>\nAuthentication-Results: mx.example.com; spf=pass smtp.mailfrom=mercari.jp; dkim=pass; dmarc=pass',
    );
    expect(reasonCodes(pass)).not.toContain('auth_fail');
  });

  it('does not take relay hosts in Received or Message-ID for links or addresses', () => {
    const text = [
      'Received: from mail.evil-relay.top (mail.evil-relay.top [203.0.113.5])',
      '        by mx.example.jp with ESMTPS id abc123',
      'Message-ID: <abc123@mail.evil-relay.top>',
      'From: 楽天 <info@rakuten.co.jp>',
      'Subject: お知らせ',
    ].join('\n');
    const v = d.analyze(text);
    expectContract(v);
    expect(v.urls).toEqual([]);
    expect(v.emails.map((e) => e.address)).toEqual(['info@rakuten.co.jp']);
  });

  it('does not take a sender display name that looks like a domain for a link', () => {
    // "Amazon.co.jp" is the name shown for the sender, not a link in the message.
    const v = d.analyze('From: Amazon.co.jp <info@evil-mailer.top>\nSubject: お知らせ\n\n本文です。');
    expectContract(v);
    expect(v.urls).toEqual([]);
    expect(reasonCodes(v)).not.toContain('official_link');
  });

  it('finds no headers in an ordinary SMS', () => {
    expect(
      extractFrom('【佐川急便】お荷物のお届けにあがりましたが不在の為持ち帰りました。').headers,
    ).toBeNull();
  });
});

describe('masked placeholders', () => {
  it.each([
    'https://~',
    'https://~~',
    'https://●●●',
    'https://●●●.com/login',
    'http:〇〇〇(URL)',
    'https://******.com',
    'https://xxxx.example.com/',
    'http://○○○○.duckdns.org',
  ])('never counts %s as a link', (placeholder) => {
    const text = `【国税庁】未払い税金のお支払いのお願い。詳細は ${placeholder} をご確認ください。`;
    const ex = extractFrom(text);
    expect(ex.urls).toEqual([]);
    expect(ex.masked.length).toBeGreaterThan(0);
    const v = d.analyze(text);
    expectContract(v);
    expect(v.urls).toEqual([]);
    expect(reasonCodes(v)).toContain('masked_link');
  });

  it('still reads the visible free host of a masked link', () => {
    const v = d.analyze('【ソフトバンク】重要なお知らせ、必ずお読みください。 http://○○○○.duckdns.org');
    expect(reasonCodes(v)).toContain('dynamic_dns');
  });

  it('still judges the host when only the path is masked (https://cutt.ly/.......)', () => {
    const v = d.analyze(
      '【国税庁】最終通知、未払い税金お支払いのお願い。詳細はこちら。 https://cutt.ly/.......',
    );
    expectContract(v);
    expect(v.urls.map((u) => u.host)).toEqual(['cutt.ly']);
    expect(urlCodes(v)).toContain('shortener');
  });

  it('reads a masked number (050xxxxxxxx) as a phone number, not a link', () => {
    const text =
      'ご利用料金の支払い確認が取れておりません。本日中に\n050xxxxxxxx\nサポートセンター迄ご連絡下さい。';
    const ex = extractFrom(text);
    expect(ex.urls).toEqual([]);
    expect(ex.phones).toEqual([expect.objectContaining({ masked: true })]);
    const v = d.analyze(text);
    expectContract(v);
    expect(v.phones[0]!.codes).toContain('ip_phone_contact');
  });

  it('treats xxx.com as a real site, since it is one', () => {
    expect(hostsIn('xxx.com')).toEqual(['xxx.com']);
  });
});

describe('things that only look like links', () => {
  it('does not read file names as links', () => {
    const ex = extractFrom(
      'readme.md と main.py と setup.sh と index.ts と data.json と notes.txt と archive.zip を送ります',
    );
    expect(ex.urls).toEqual([]);
  });

  it('still reads a real domain next to file names', () => {
    expect(hostsIn('main.py を直しました。example.com も見てください')).toEqual(['example.com']);
  });

  it.each(['バージョン1.2.3に更新', '価格は1.980円です', 'v2.0.1', 'e.g. this', 'Mr.Smith'])(
    'does not read %s as a link',
    (text) => {
      expect(extractFrom(text).urls).toEqual([]);
    },
  );
});
