// Pure parts of reading pictures and files: OCR clean-up, HTML to text, Japanese text files, mail files,
// and the detector's link_text_mismatch sign.
import { describe, expect, it } from 'vitest';
import {
  ambiguousHost,
  cleanUrlToken,
  confusableReadings,
  joinParagraphs,
  mergeLinkReadings,
  normalizeOcrLines,
  squeezeJapaneseSpaces,
  type TextLine,
} from '../../src/media/ocr-text.ts';
import { htmlToText } from '../../src/media/html-text.ts';
import { decodeText } from '../../src/media/decode-text.ts';
import { looksLikeMail, MailError, readMailFile } from '../../src/media/mail-file.ts';
import { allEmails, CARD_LINK, encodeIso2022jp, encodeShiftJis } from '../../scripts/fixtures/emails.ts';
import { sharedDetector } from '../support/detector.ts';

const box = (x0: number, y0: number, x1: number, y1: number) => ({ x0, y0, x1, y1 });
const line = (text: string, x0: number, y0: number, x1: number, para = 1): TextLine => ({
  text,
  box: box(x0, y0, x1, y0 + 44),
  para,
});

describe('OCR clean-up', () => {
  it('removes the spaces OCR puts between Japanese characters, keeps those between English words', () => {
    expect(squeezeJapaneseSpaces('【 佐 川 急 便 】 お 荷物 の お 届け に あがり')).toBe(
      '【佐川急便】お荷物のお届けにあがり',
    );
    expect(squeezeJapaneseSpaces('24 時間 以内 に')).toBe('24時間以内に');
    expect(squeezeJapaneseSpaces('Your code is 123456')).toBe('Your code is 123456');
  });

  it('joins a link the phone wrapped at the bubble edge, also inside the host, but not across bubbles', () => {
    const lines = [
      line('【Amazon】お支払い方法に問題があ', 80, 500, 860),
      line('い。https://', 80, 566, 330),
      line('amazonsecurityaccountverification.', 80, 632, 850),
      line('xyz/ap/signin', 80, 698, 400),
      line('https://example.com/a', 80, 900, 500, 2),
      line('next', 80, 966, 200, 3),
    ];
    const out = normalizeOcrLines(lines);
    expect(out.map((l) => l.text)).toEqual([
      '【Amazon】お支払い方法に問題があ',
      'い。 https://amazonsecurityaccountverification.xyz/ap/signin',
      'https://example.com/a',
      'next',
    ]);
    expect(joinParagraphs(out)).toBe(
      '【Amazon】お支払い方法に問題があい。 https://amazonsecurityaccountverification.xyz/ap/signin\nhttps://example.com/a\nnext',
    );
  });

  it('joins a link cut right after its scheme with the host on the next line', () => {
    const out = normalizeOcrLines([
      line('お届け日時の変更は https://', 80, 1416, 650),
      line('www.post.japanpost.jp/support/', 80, 1500, 770),
    ]);
    expect(out.map((l) => l.text)).toEqual(['お届け日時の変更は https://www.post.japanpost.jp/support/']);
    // A whole link then another one on the next line stay two.
    const two = normalizeOcrLines([
      line('https://a.example/x', 80, 500, 420),
      line('www.b.example', 80, 566, 400),
    ]);
    expect(two).toHaveLength(2);
  });

  it('does not join a short link line to an ordinary next line', () => {
    const out = normalizeOcrLines([
      line('https://example.com', 80, 500, 420),
      line('ご確認ください', 80, 566, 400),
    ]);
    expect(out.map((l) => l.text)).toEqual(['https://example.com', 'ご確認ください']);
  });

  it('maps only characters no host can hold; never rewrites look-alike letters', () => {
    expect(cleanUrlToken('https://paypa|.com/x')).toBe('https://paypal.com/x');
    expect(cleanUrlToken('https://example。com/a b')).toBe('https://example.com/ab');
    // 0/O, 1/l, rn/m stay as read: a correction could turn a fake host into the real one.
    expect(cleanUrlToken('https://arnazon.co.jp/')).toBe('https://arnazon.co.jp/');
    expect(cleanUrlToken('https://amaz0n.co.jp/')).toBe('https://amaz0n.co.jp/');
    expect(confusableReadings('arnazon.co.jp', 'amazon.co.jp')).toBe(true);
    expect(confusableReadings('amaz0n.co.jp', 'amazon.co.jp')).toBe(true);
    expect(confusableReadings('amazon-co.jp', 'amazon.co.jp')).toBe(false);
    expect(ambiguousHost('paypaI.com')).toBe(true);
    expect(ambiguousHost('sagawa-delivery-jp.top')).toBe(false);
  });

  it('drops the punctuation OCR puts before a link; a third slash before ww. was a w', () => {
    expect(cleanUrlToken('：https://cutt.ly/6jad8vi')).toBe('https://cutt.ly/6jad8vi');
    expect(cleanUrlToken('(https://example.com/x')).toBe('https://example.com/x');
    expect(cleanUrlToken('a.example.com/:x')).toBe('a.example.com/:x');
    expect(cleanUrlToken('https:///ww.example.co.jp/support/')).toBe('https://www.example.co.jp/support/');
  });

  it('takes the Japanese reading of o/0 and l/1 in a link only where it is a digit or a small letter', () => {
    // The English model's usual misreadings of made-up hosts, the Japanese one right.
    expect(mergeLinkReadings('450obw3nL.docomo.site/?', '4500bw3nl.docomo.site/?')).toBe(
      '450obw3nl.docomo.site/?',
    );
    expect(mergeLinkReadings('1l6s97fq.example.shop/', '116s97fq.example.shop/')).toBe(
      '1l6s97fq.example.shop/',
    );
    expect(mergeLinkReadings('https://a.top/?id=kd302o5v', 'https://a.top/?id=kd30205v')).toBe(
      'https://a.top/?id=kd302o5v',
    );
    // The Japanese model's capitals and non-host characters: the English reading stays.
    expect(mergeLinkReadings('http://tI3dwx.duckdns.org', 'http://tl3dwx.duckdns.org')).toBe(
      'http://tl3dwx.duckdns.org',
    );
    expect(mergeLinkReadings('http://j!2aryz.example.info/', 'http://jl2aryz.example.info/')).toBe(
      'http://jl2aryz.example.info/',
    );
    // Different lengths, or other letters: the English reading as it is.
    expect(mergeLinkReadings('https://www.au.com/faqg/', 'https://www.au.com/faq/')).toBe(
      'https://www.au.com/faq/',
    );
    expect(mergeLinkReadings('https://example.com/g', 'https://example.com/q')).toBe('https://example.com/q');
  });

  it('never merges a fake host into a real name: a part of the host keeps its last digit', () => {
    expect(mergeLinkReadings('https://amazon.co.jp/', 'https://amaz0n.co.jp/')).toBe('https://amaz0n.co.jp/');
    expect(mergeLinkReadings('paypal.com/x', 'paypa1.com/x')).toBe('paypa1.com/x');
    // In the path it may: the host is what the verdict rests on.
    expect(mergeLinkReadings('https://a0.example/log', 'https://a0.example/l0g')).toBe(
      'https://a0.example/log',
    );
  });
});

describe('HTML part of a mail', () => {
  it('gives the text as seen and each link with its visible text and real address', () => {
    const h = htmlToText(
      '<html><head><style>a{}</style></head><body><p>会員様</p><div>確認は<a href="https://evil.example/login?a=1&amp;b=2">https://www.amazon.co.jp/</a>から</div>' +
        '<a href=\'https://evil.example/x\'><img alt="こちら" src="x.png"></a><!-- hidden --><a href="mailto:a@b.jp">連絡</a></body></html>',
    );
    expect(h.links).toEqual([
      { text: 'https://www.amazon.co.jp/', href: 'https://evil.example/login?a=1&b=2' },
      { text: 'こちら', href: 'https://evil.example/x' },
    ]);
    expect(h.text).toContain('会員様');
    // A shown address is replaced by the real one; words are kept next to it.
    expect(h.text).toContain('確認は https://evil.example/login?a=1&b=2 から');
    expect(h.text).not.toContain('www.amazon.co.jp');
    expect(h.text).toContain('こちら https://evil.example/x');
    expect(h.text).not.toContain('hidden');
  });
});

describe('text and mail files', () => {
  it('decodes UTF-8, Shift_JIS, ISO-2022-JP and UTF-16 text files', () => {
    const s = '【佐川急便】不在の為持ち帰りました。';
    expect(decodeText(Buffer.from(s, 'utf8'))).toBe(s);
    expect(decodeText(encodeShiftJis(s))).toBe(s);
    expect(decodeText(encodeIso2022jp(s))).toBe(s);
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]))).toBe(s);
  });

  it('reads the headers the detector needs and the body, in every fixture encoding', async () => {
    const mails = allEmails();
    const amazon = await readMailFile(mails['amazon-iso2022jp.eml']!);
    expect(amazon.subject).toBe('【重要】Amazonアカウントの支払い情報を更新してください');
    expect(amazon.text).toMatch(
      /^From: "Amazon\.co\.jp" <account-update@amazon-co-jp\.account-update\.top>$/m,
    );
    expect(amazon.text).toMatch(/^Reply-To: <support-desk@gmail\.com>$/m);
    expect(amazon.text).toMatch(/^Return-Path: <bounce@mailer-jp\.xyz>$/m);
    expect(amazon.text).toMatch(/^Message-ID: <[^>]+@mailer-jp\.xyz>$/m);
    expect(amazon.text).toMatch(/^Authentication-Results: .*spf=fail.*dmarc=fail/m);
    expect(amazon.text).toContain('customer-8841@example.jp 様');
    const card = await readMailFile(mails['rakuten-utf8.eml']!);
    expect(card.links).toEqual([{ text: CARD_LINK.shown, href: CARD_LINK.href }]);
    expect(card.text).toMatch(/^To: "山田 花子" <hanako@example\.jp>$/m);
    expect(card.text).toContain('不正利用の可能性があるため');
    const tax = await readMailFile(mails['tax-shiftjis.eml']!);
    expect(tax.from).toBe('"国税庁" <notice@nta-go-jp.tax-payment.cc>');
    expect(tax.text).toContain('財産の差し押さえを行います');
    await expect(readMailFile(Buffer.from(''))).rejects.toBeInstanceOf(MailError);
    expect(looksLikeMail('From: a@b.jp\nSubject: x\n\nbody')).toBe(true);
    expect(looksLikeMail('【佐川急便】お荷物のお届けに')).toBe(false);
  });
});

describe('the detector on mail files', () => {
  it('flags a link whose text shows one domain while it goes to another, and only then', async () => {
    const d = await sharedDetector();
    const card = await readMailFile(allEmails()['rakuten-utf8.eml']!);
    const v = d.analyze(card.text, { links: card.links });
    expect(v.risk).toBe('high');
    const r = v.reasons.find((x) => x.code === 'link_text_mismatch');
    expect(r?.severity).toBe('high');
    expect(r?.message).toContain('www.rakuten-card.co.jp');
    expect(r?.message).toContain('rakuten-card-security.icu');
    // The verdict keeps the contract's shape: the real link is among the urls.
    expect(Object.keys(v).sort()).toEqual(
      ['advice', 'brand', 'emails', 'phones', 'reasons', 'risk', 'scenario', 'score', 'urls'].sort(),
    );
    expect(v.urls.map((u) => u.host)).toContain('rakuten-card-security.icu');
    // Same domain behind the text, or words as the text: no mismatch.
    const same = d.analyze('ご確認ください https://www.amazon.co.jp/gp/css', {
      links: [
        { text: 'www.amazon.co.jp', href: 'https://www.amazon.co.jp/gp/css' },
        { text: 'こちら', href: 'https://www.amazon.co.jp/gp/css' },
      ],
    });
    expect(same.reasons.map((x) => x.code)).not.toContain('link_text_mismatch');
  });

  it('reads header signs from an ISO-2022-JP mail file: sender, Reply-To, Return-Path, auth, Message-ID, addressee', async () => {
    const d = await sharedDetector();
    const m = await readMailFile(allEmails()['amazon-iso2022jp.eml']!);
    const codes = d.analyze(m.text, { links: m.links }).reasons.map((r) => r.code);
    for (const code of [
      'sender_lookalike',
      'reply_to_mismatch',
      'return_path_mismatch',
      'auth_fail',
      'message_id_mismatch',
      'email_as_name',
    ])
      expect(codes, code).toContain(code);
  });
});
