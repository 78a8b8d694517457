// Scoring and the verdict: the shape of CONTRACT §2, reasons ordered and worded for the user, advice for
// every risk, and the promises the scoring makes ("nothing official is ever high", one-time codes stay low).
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Detector, Verdict } from '../../src/detector/index.ts';
import { loadDetector } from '../../src/detector/load.ts';
import { hasEvalData } from '../support/eval-data.ts';
import { sharedDetector } from '../support/detector.ts';
import {
  evalTexts,
  expectContract,
  reasonCodes,
  rules,
  scoring,
  VerdictSchema,
  weightOf,
} from '../support/verdict.ts';

let d: Detector;
beforeAll(async () => {
  d = await sharedDetector();
}, 60_000);

function check(text: string): Verdict {
  const v = d.analyze(text);
  expectContract(v);
  return v;
}

/** A varied sample: realistic phishing and genuine messages plus hand-made edge cases. */
const SAMPLES: string[] = [
  '【Amazon】お客様のアカウントを停止しました。https://amazon.co.jp.verify-xx.top/ap/signin',
  '【佐川急便】お荷物のお届けにあがりましたが不在の為持ち帰りました。https://sagawa-ex.xyz/a',
  '【国税庁】最終通知、未払い税金お支払いのお願い。 https://~',
  'ご利用料金の支払い確認が取れておりません。本日中に\n050xxxxxxxx\nサポートセンター迄ご連絡下さい。',
  'From: "Amazon" <info@mail-notice.jp>\nReply-To: a@gmail.com\nSubject: 重要\n\nお客様\nhttps://bit.ly/3abc',
  'Your PayPal account has been limited. Log in within 24 hours: http://paypal-resolution.info/webscr',
  'https://www.amazon.co.jp@evil.example/',
  'http://[2001:db8::1]/login',
  'https://xn--mazon-3ve.co.jp/',
  '請求書\u202Egpj.exe を開いてください',
  'Amazon: お客様のコードは482913です。コードは共有しないでください。',
  '山田 太郎 様\nいつも三井住友カードをご利用頂きありがとうございます。ご利用金額：1,281円',
  'The weather is nice today.',
  '',
  '😀🎉',
  'https://~',
  ...evalTexts('phish_texts.jsonl').map((x) => x.text),
  ...evalTexts('legit_texts.jsonl').map((x) => x.text),
];

describe('verdict shape (CONTRACT §2)', () => {
  it('every sample verdict matches the contract', () => {
    for (const text of SAMPLES) {
      try {
        check(text);
      } catch (err) {
        throw new Error(`for ${JSON.stringify(text.slice(0, 80))}: ${(err as Error).message}`);
      }
    }
  });

  it('the contract schema rejects what the contract does not allow', () => {
    const v = check('【Amazon】お客様のアカウントを停止しました。https://secure-signin.net/ap/signin');
    expect(VerdictSchema.safeParse(v).success).toBe(true);
    const broken: unknown[] = [
      { ...v, extra: 1 },
      { ...v, score: 101 },
      { ...v, score: 50.5 },
      { ...v, risk: 'severe' },
      { ...v, reasons: [{ code: 'x', severity: 'critical', message: 'メッセージ' }] },
      { ...v, urls: [{ ...v.urls[0], surprise: true }] },
      Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'advice')),
    ];
    for (const b of broken)
      expect(VerdictSchema.safeParse(b).success, JSON.stringify(b).slice(0, 60)).toBe(false);
  });

  it('is plain JSON (survives a JSON round trip unchanged)', () => {
    for (const text of SAMPLES.slice(0, 12)) {
      const v = d.analyze(text);
      expect(JSON.parse(JSON.stringify(v))).toEqual(v);
    }
  });

  it('is deterministic', () => {
    for (const text of SAMPLES.slice(0, 12)) expect(d.analyze(text)).toEqual(d.analyze(text));
  });

  it('shares one load between callers of loadDetector()', async () => {
    expect(await loadDetector()).toBe(d);
  });

  it('answers "unknown" instead of throwing for a value that is not a string', () => {
    const v = d.analyze(undefined as unknown as string);
    expectContract(v);
    expect(v.risk).toBe('unknown');
  });
});

describe('reasons', () => {
  it('lists reasons most important first, with the informational ones last', () => {
    // Reported as "info_code before other_code" pairs, so one misplaced sign shows up once.
    const misordered = new Set<string>();
    for (const text of SAMPLES) {
      const reasons = d.analyze(text).reasons;
      reasons.forEach((r, i) => {
        if (r.severity !== 'info') return;
        for (const later of reasons.slice(i + 1))
          if (later.severity !== 'info')
            misordered.add(`${r.code} (info) before ${later.code} (${later.severity})`);
      });
    }
    expect([...misordered].sort()).toEqual([]);
  });

  it('every code that appears in a verdict is documented in rules/scoring.yaml', () => {
    const undocumented = new Set<string>();
    for (const text of SAMPLES) {
      const v = d.analyze(text);
      const codes = [
        ...reasonCodes(v),
        ...v.urls.flatMap((u) => u.codes),
        ...v.phones.flatMap((p) => p.codes),
      ];
      for (const code of codes) if (!scoring.signals[code]) undocumented.add(code);
    }
    expect([...undocumented]).toEqual([]);
  });

  // The evaluation texts in the sample bring most of the signs; without them this check has nothing to say.
  it.skipIf(!hasEvalData)(
    'the sample exercises most documented signs, so the message checks above mean something',
    () => {
      // Which codes did the samples exercise? Their messages were checked by expectContract; make sure the
      // sample covers a good share of the documented signs so that check means something.
      const seen = new Set<string>();
      for (const text of SAMPLES) for (const c of reasonCodes(d.analyze(text))) seen.add(c);
      expect(seen.size).toBeGreaterThanOrEqual(40);
    },
  );

  it('puts the strongest sign first', () => {
    const v = check(
      '【Amazon】お客様のアカウントを停止しました。https://amazon.co.jp.verify-xx.top/ap/signin',
    );
    const top = weightOf(v.reasons[0]!.code);
    for (const r of v.reasons) expect(weightOf(r.code)).toBeLessThanOrEqual(top);
    expect(v.reasons[0]!.severity).toBe('high');
  });
});

describe('nothing official is ever high', { timeout: 60_000 }, () => {
  const ALARMING = [
    'お客様のアカウントを停止しました。',
    '24時間以内にご確認ください。',
    'パスワードを入力してください。',
    'カード情報を更新してください。',
    '未払いの料金があります。',
    'お荷物をお届けにあがりましたが不在の為持ち帰りました。',
    '不正ログインを検知しました。',
    '【重要】至急ご対応ください。',
    'Your account has been suspended.',
    'お客様',
  ];
  const withWeb = rules.brands.filter((b) => b.domains.some((x) => x.use.includes('web')));

  it('a message whose links and sender are all official is at most medium, whatever it says', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...withWeb),
        fc.nat(),
        fc.constantFrom('', 'www.', 'secure.', 's.'),
        fc.array(fc.stringMatching(/^[a-z0-9]{1,8}$/), { maxLength: 3 }),
        fc.subarray(ALARMING, { minLength: 1 }),
        fc.boolean(),
        fc.boolean(),
        (brand, pick, sub, path, phrases, tag, mail) => {
          const webs = brand.domains.filter((x) => x.use.includes('web'));
          const web = webs[pick % webs.length]!.domain;
          const link = `https://${sub}${web}/${path.join('/')}`;
          const mailDomain = brand.domains.find((x) => x.use.includes('mail'))?.domain;
          const header =
            mail && mailDomain ? `From: "${brand.name}" <info@${mailDomain}>\nSubject: お知らせ\n\n` : '';
          const text = `${header}${tag ? `【${brand.name}】` : ''}${phrases.join('')}\n${link}\n`;
          const v = d.analyze(text);
          expectContract(v);
          expect(
            v.urls.every((u) => u.official),
            text,
          ).toBe(true);
          expect(v.risk, text).not.toBe('high');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is still high when one of several links is not official', () => {
    const v = check(
      '【Amazon】お客様のアカウントを停止しました。24時間以内にご確認ください。\nhttps://www.amazon.co.jp/\nhttps://amazon-verify.top/ap/signin',
    );
    expect(v.risk).toBe('high');
  });
});

describe('genuine notices stay calm', () => {
  it.each([
    [
      'Amazon',
      'Amazon: お客様のコードは482913です。コードは共有しないでください。リクエストしていない場合は、こちらをクリックして拒否してください: https://amazon.co.jp/a/c/r/Ab12Cd',
    ],
    ['Apple', 'Apple Accountコードは482913です。共有しないでください。\n@apple.com #482913 %apple.com'],
    ['Google', 'G-482913 があなたの Google 確認コードです。'],
    ['LINE', '[LINE] 認証番号：4829 この番号を他人に教えないでください。'],
    ['楽天銀行', '【楽天銀行】ワンタイム認証コード：482913 このコードは誰にも教えないでください。'],
    ['Microsoft', 'Your Microsoft account security code is 482913. Do not share this code with anyone.'],
    ['PayPay', 'PayPayの認証コードは4829です。このコードを他人に教えないでください。'],
  ])('keeps the %s one-time-code SMS low', (_brand, text) => {
    expect(check(text).risk).toBe('low');
  });

  it.each([
    [
      'card usage notice addressed by name',
      '山田 太郎 様\n\nいつも三井住友カードをご利用頂きありがとうございます。\nお客様のカードご利用内容をお知らせいたします。\n\n◇利用日：2025/11/06 10:11\n◇利用先：Visa加盟店\n◇利用金額：10,881円',
    ],
    [
      'bank transfer notice',
      '山田 太郎 さま\n\n三井住友銀行より、以下の振込入金についてお知らせします。\n\n入金日 ： 2026年07月13日\n金額  ： 30,014円',
    ],
    [
      'official Amazon shipping mail',
      'From: "Amazon.co.jp" <shipment-tracking@amazon.co.jp>\nSubject: 発送のお知らせ\n\n山田 太郎 様\nご注文の商品を発送しました。\nhttps://www.amazon.co.jp/gp/your-account/order-history',
    ],
    ['subject line of a real card mail', '【三井住友カード】ご利用のお知らせ'],
  ])('never rates a %s high', (_name, text) => {
    expect(check(text).risk).not.toBe('high');
  });
});

describe('no content', () => {
  it.each([
    ['the empty string', ''],
    ['white space', '   \n\t\u3000 '],
    ['only emoji', '😀🎉🙏'],
    ['only a masked link', 'https://~'],
    ['only masks', '●●●● ○○○ ******'],
    ['only punctuation', '。。。！？'],
  ])('answers unknown with no_content for %s', (_name, text) => {
    const v = check(text);
    expect(v.risk).toBe('unknown');
    expect(v.score).toBe(0);
    expect(reasonCodes(v)).toContain('no_content');
    expect(v.advice.join('')).toMatch(/本文|貼り付け|送って/);
  });

  it('decides on the text alone when there is text but nothing to check (text_only)', () => {
    const v = check('お客様のアカウントは停止されます。至急ご対応ください。');
    expect(v.risk).not.toBe('unknown');
    expect(reasonCodes(v)).toContain('text_only');
    expect(reasonCodes(v)).not.toContain('no_content');
  });

  it('does not claim text_only when there is a link or an address', () => {
    expect(reasonCodes(check('詳細は https://example.com/ へ'))).not.toContain('text_only');
    expect(reasonCodes(check('連絡は info@example.jp へ'))).not.toContain('text_only');
  });
});

describe('advice', () => {
  it('gives non-empty advice for every risk level', () => {
    const byRisk = new Map<string, string[]>();
    for (const text of SAMPLES) {
      const v = d.analyze(text);
      expect(v.advice.length, text).toBeGreaterThan(0);
      byRisk.set(v.risk, v.advice);
    }
    expect([...byRisk.keys()].sort()).toEqual(['high', 'low', 'medium', 'unknown']);
  });

  it('tells the reader not to open the link when the risk is high', () => {
    const v = check(
      '【Amazon】お客様のアカウントを停止しました。https://amazon.co.jp.verify-xx.top/ap/signin',
    );
    expect(v.advice[0]).toMatch(/リンクは開かず/);
  });

  it('never says a low message is certainly safe', () => {
    const v = check('明日の会議は10時からです。');
    expect(v.risk).toBe('low');
    expect(v.advice.join('')).toMatch(/言い切ることはできません/);
  });
});

describe('Amazon seed checklist', () => {
  const mail = [
    'From: "Amazon" <info@mail-notice.jp>',
    'Subject: 【Amazon】アカウント情報の確認',
    '',
    'お客様',
    '',
    'お客様のアカウントで異常なログインが検出されたため、アカウントを一時停止しました。',
    '以下のURLからログインして、ご本人確認をお願いします。',
    'https://secure-signin.net/ap/signin',
  ].join('\n');

  it('finds the three signs Amazon tells customers to look for', () => {
    const v = check(mail);
    expect(v.brand).toEqual({ id: 'amazon', name: 'Amazon' });
    expect(reasonCodes(v)).toEqual(
      expect.arrayContaining(['sender_not_official', 'generic_greeting', 'brand_domain_mismatch']),
    );
    expect(v.risk).toBe('high');
  });

  it('points to the Message Center and the mail checklist', () => {
    const advice = check(mail).advice.join('\n');
    expect(advice).toContain('メッセージセンター');
    expect(advice).toContain('見分けるポイント');
  });
});
