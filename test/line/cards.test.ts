// Every card the bot can produce stays inside LINE's limits, carries the contract's label, and shows
// no tappable link: driven by the real detector over the evaluation texts and by extreme verdicts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDetector } from '../../src/detector/load.ts';
import type { Detector } from '../../src/detector/index.ts';
import type { Risk, Verdict } from '../../src/detector/types.ts';
import { loadCopy } from '../../src/rules/replies.ts';
import { DEFAULT_RULES_DIR, readRuleFile } from '../../src/rules/load.ts';
import { BrandsFile } from '../../src/rules/schema.ts';
import { verdictCard } from '../../src/line/flex.ts';
import { checkMessages, LIMITS } from '../../src/line/limits.ts';
import { defangHost, defangText } from '../../src/line/defang.ts';
import { link, verdict } from '../support/verdicts.ts';
import { EVAL_DIR, hasEvalData } from '../support/eval-data.ts';

const copy = loadCopy();
const BRAND_DOMAINS = new Map(
  readRuleFile(DEFAULT_RULES_DIR, 'brands.yaml', BrandsFile).brands.map((b) => [
    b.id,
    b.domains.map((d) => d.domain),
  ]),
);
const LABEL: Record<Risk, string> = {
  high: '【危険】',
  medium: '【注意】',
  low: '【危険なサインは見つかりません】',
  unknown: '【判定できません】',
};

function texts(file: string, every = 1): string[] {
  if (!hasEvalData) return [];
  return readFileSync(join(EVAL_DIR, file), 'utf8')
    .trim()
    .split('\n')
    .filter((_, i) => i % every === 0)
    .map((l) => (JSON.parse(l) as { text: string }).text);
}

/** Every text component of a Flex tree. */
function flexTexts(node: unknown, out: string[] = []): string[] {
  if (!node || typeof node !== 'object') return out;
  const n = node as { type?: string; text?: string };
  if (n.type === 'text' && typeof n.text === 'string') out.push(n.text);
  for (const v of Object.values(n)) {
    if (Array.isArray(v)) v.forEach((c) => flexTexts(c, out));
    else if (v && typeof v === 'object') flexTexts(v, out);
  }
  return out;
}

// A name LINE could turn into a link: letters or digits, a dot, then two or more letters; or a scheme
// followed by a host.
const LINKABLE = /[\p{L}\p{N}-]\.\p{L}{2,}|[a-z]+:\/\/[\p{L}\p{N}]/iu;

function expectGoodCard(v: Verdict, what: string): void {
  const card = verdictCard(copy, v);
  expect(checkMessages([card]), what).toEqual([]);
  expect(card.altText.startsWith(LABEL[v.risk]), what).toBe(true);
  expect(card.altText.length).toBeLessThanOrEqual(LIMITS.altTextOurs);
  const shown = [card.altText, ...flexTexts(card.contents)];
  // Official names are written as typed; nothing else may be a name LINE could turn into a link.
  const official = [
    ...v.urls.filter((u) => u.official).flatMap((u) => [u.host, u.domain]),
    ...v.emails.filter((e) => e.official).flatMap((e) => [e.address, e.domain]),
    ...(v.brand ? (BRAND_DOMAINS.get(v.brand.id) ?? []) : []),
  ].sort((a, b) => b.length - a.length);
  for (const t of shown) {
    let rest = t;
    for (const name of official) rest = rest.replaceAll(name, '');
    expect(rest, what).not.toMatch(LINKABLE);
    expect(t, what).not.toContain('安全です');
  }
  const json = JSON.stringify(card);
  for (const u of v.urls) {
    expect(json, what).not.toContain(u.url);
    if (u.host.includes('.') && !u.official) expect(json, what).not.toContain(`"${u.host}"`);
  }
  expect(card.quickReply!.items).toHaveLength(4);
}

describe('verdict cards from the real detector', () => {
  let detector: Detector;
  beforeAll(async () => {
    detector = await loadDetector();
  });

  it.skipIf(!hasEvalData)(
    'are valid for every evaluation text and a sample of the evaluation URLs',
    () => {
      const corpus = [
        ...texts('phish_texts.jsonl'),
        ...texts('legit_texts.jsonl'),
        ...texts('phish_urls.jsonl', 40),
        ...texts('legit_urls.jsonl', 60),
        '',
        'こんにちは',
        'https://xn--80ak6aa92e.com/ で確認 0120-000-000 support@amaz0n-help.top',
      ];
      expect(corpus.length).toBeGreaterThan(900);
      const seen = new Set<Risk>();
      for (const text of corpus) {
        const v = detector.analyze(text);
        seen.add(v.risk);
        expectGoodCard(v, text.slice(0, 80));
      }
      expect(seen).toEqual(new Set(['high', 'medium', 'low', 'unknown']));
    },
    60_000,
  );
});

describe('verdict cards from extreme verdicts', () => {
  const long = 'とても長い理由の説明です。'.repeat(200);
  const hostile = 'https://login.amazon.co.jp.secure-check.example.top/a/b?c=d 🍎'.repeat(20);
  const bigHost = `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.top`;

  for (const risk of ['high', 'medium', 'low', 'unknown'] as const) {
    for (const brand of [null, { id: 'x', name: 'とても長い名前の会社'.repeat(30) }]) {
      it(`${risk}, ${brand ? 'with' : 'without'} a brand: limits hold with huge reasons, links, addresses`, () => {
        const v = verdict(risk, {
          brand,
          reasons: Array.from({ length: 200 }, (_, i) => ({
            code: `c${i}`,
            severity: 'high' as const,
            message: i % 2 ? long : `リンク先 ${bigHost} と ${hostile}`,
          })),
          urls: [
            ...Array.from({ length: 100 }, (_, i) => link(`x${i}.${bigHost}`)),
            { ...link('xn--80ak6aa92e.com'), hostUnicode: 'аррӏе.com' },
          ],
          emails: Array.from({ length: 50 }, (_, i) => ({
            address: `user${i}@${bigHost}`,
            domain: bigHost,
            official: false,
          })),
          phones: [{ number: '090-1234-5678', codes: [] }],
          advice: Array.from({ length: 30 }, () => `${long} amazon.co.jp`),
        });
        expectGoodCard(v, `${risk}/${Boolean(brand)}`);
        const bytes = Buffer.byteLength(JSON.stringify(verdictCard(copy, v).contents));
        expect(bytes).toBeLessThan(LIMITS.bubbleBytes);
      });
    }
  }

  it('shows the top three reasons, most important first, and says how many links are not shown', () => {
    const v = verdict('high', {
      reasons: ['一', '二', '三', '四'].map((m, i) => ({
        code: `c${i}`,
        severity: 'high' as const,
        message: `理由${m}`,
      })),
      urls: Array.from({ length: 6 }, (_, i) => link(`site${i}.top`)),
    });
    const shown = flexTexts(verdictCard(copy, v).contents);
    expect(shown.filter((t) => t.startsWith('理由'))).toEqual(['理由', '理由一', '理由二', '理由三']);
    expect(shown).toContain('site0[.]top');
    // The host is the domain: one row, not the same name twice.
    expect(shown).not.toContain('本当のドメイン：site0[.]top');
    expect(shown).toContain('ほかにリンクが2件あります');
    expect(shown).toContain(copy.verdict.defanged_note);
  });

  it('colours the header by risk and never calls anything safe', () => {
    const colours = (['high', 'medium', 'low', 'unknown'] as const).map(
      (r) =>
        (verdictCard(copy, verdict(r)).contents as { header: { backgroundColor: string } }).header
          .backgroundColor,
    );
    expect(new Set(colours).size).toBe(4);
    const low = verdictCard(copy, verdict('low'));
    expect(flexTexts(low.contents).join('')).toContain('危険なサインは見つかりません');
  });
});

describe('honest cards (issue 11)', () => {
  const info = (code: string, message: string) => ({ code, severity: 'info' as const, message });
  const warn = (code: string, message: string) => ({ code, severity: 'medium' as const, message });

  it('green: the reassuring evidence only, the official domain as typed, and "still, the official app"', () => {
    const v = verdict('low', {
      brand: { id: 'yamato', name: 'ヤマト運輸' },
      reasons: [
        warn('delivery_lure', '宅配業者を装った詐欺の定番です。'),
        info('brand_claim', 'ヤマト運輸 を名乗るメッセージです。'),
        info('official_link', 'リンク先 kuronekoyamato.co.jp は ヤマト運輸 の公式ドメインです。'),
      ],
      urls: [{ ...link('kuronekoyamato.co.jp', true), domain: 'kuronekoyamato.co.jp' }],
      advice: ['危険なサインは見つかりませんでしたが、安全と言い切ることはできません。'],
    });
    const shown = flexTexts(verdictCard(copy, v).contents);
    expect(shown).toContain(copy.verdict.reasons_low);
    expect(shown).toContain('リンク先 kuronekoyamato.co.jp は ヤマト運輸 の公式ドメインです。');
    expect(shown.join('\n')).not.toContain('詐欺の定番');
    expect(shown).not.toContain('ヤマト運輸 を名乗るメッセージです。');
    expect(shown).toContain('kuronekoyamato.co.jp');
    expect(shown).toContain(copy.verdict.still_official);
    expect(shown.filter((t) => t.includes('本当のドメイン'))).toEqual([]);
  });

  it("green: when every channel is the brand's own, that one line stands for the official links", () => {
    const all = 'リンク先や連絡先は、楽天 の公式のもの（www.rakuten.co.jp）だけです。';
    const v = verdict('low', {
      brand: { id: 'rakuten', name: '楽天' },
      reasons: [
        info('official_link', 'リンク先 www.rakuten.co.jp は 楽天 の公式ドメインです。'),
        info('official_channels_only', all),
      ],
      urls: [{ ...link('www.rakuten.co.jp', true), domain: 'rakuten.co.jp' }],
    });
    const shown = flexTexts(verdictCard(copy, v).contents);
    expect(shown).toContain(all);
    expect(shown).not.toContain('リンク先 www.rakuten.co.jp は 楽天 の公式ドメインです。');
  });

  it('unknown: says the bot cannot vouch for the site', () => {
    const message = 'リンク先 shop-example-jp[.]com が本物かどうか、このLINEでは確かめられません。';
    const v = verdict('unknown', {
      reasons: [info('unverified_site', message)],
      urls: [link('shop-example-jp.com')],
      advice: ['届いたSMSやメールの本文をコピーして、そのまま送ってください。'],
    });
    const card = verdictCard(copy, v);
    expect(card.altText).toBe(`【判定できません】${copy.verdict.summary_unverified}`);
    expect(flexTexts(card.contents).join('\n')).not.toContain('送ってください');
    expect(flexTexts(card.contents)).toContain(message);
    expect(flexTexts(card.contents)).toContain(copy.verdict.reasons_unknown);
  });

  it('a number to call and no link: no link advice, 「電話してしまいましたか？」 and its button', () => {
    const v = verdict('high', {
      scenario: 'callback',
      reasons: [warn('callback', '折り返しの電話を求めています。')],
      phones: [{ number: '050-1234-5678', codes: [] }],
      advice: [
        'リンクは開かず、返信や電話もしないでください。',
        '迷ったときは、消費者ホットライン（188）に相談できます。',
      ],
    });
    const card = verdictCard(copy, v);
    const shown = flexTexts(card.contents).join('\n');
    expect(card.altText).toContain('書かれた番号には電話しないでください');
    expect(shown).not.toContain('リンク');
    expect(shown).toContain('電話してしまいましたか？');
    expect(shown).toContain(copy.verdict.next_no_link);
    expect((card.quickReply?.items ?? []).map((i) => i.action!.label!)).toEqual([
      'どうすればいい？',
      '電話してしまった',
      '情報を入力してしまった',
      '使い方',
    ]);
  });

  it('SMS and mail: a message without a mail address is not called a mail', () => {
    const advice = ['メールのリンクは開かず、Amazonアプリで確認できます。'];
    const sms = flexTexts(verdictCard(copy, verdict('high', { advice, urls: [link('a.top')] })).contents);
    expect(sms).toContain('メッセージのリンクは開かず、Amazonアプリで確認できます。');
    const mail = flexTexts(
      verdictCard(copy, verdict('high', { advice, urls: [link('a.top')] }), { mail: true }).contents,
    );
    expect(mail).toContain('メールのリンクは開かず、Amazonアプリで確認できます。');
  });
});

describe('the limits check itself', () => {
  it('names every empty Flex text by its place in the card (LINE refuses "text": "")', () => {
    const card = {
      type: 'flex',
      altText: '【危険】',
      contents: {
        type: 'bubble',
        body: {
          type: 'box',
          layout: 'vertical',
          contents: [
            { type: 'text', text: '' },
            { type: 'box', layout: 'vertical', contents: [{ type: 'text', text: 'ok' }, { type: 'text' }] },
          ],
        },
      },
    } as unknown as Parameters<typeof checkMessages>[0][number];
    expect(checkMessages([card])).toEqual([
      'messages[0].contents.body.contents[0]: empty text',
      'messages[0].contents.body.contents[1].contents[1]: empty text',
    ]);
    // The same with the request's JSON at hand (the sender's way), and with the keys in other orders.
    expect(checkMessages([card], JSON.stringify([card]))).toEqual(checkMessages([card]));
    const reordered = (t: Record<string, unknown>) =>
      ({
        ...card,
        contents: { type: 'bubble', body: { type: 'box', layout: 'vertical', contents: [t] } },
      }) as typeof card;
    for (const t of [
      { text: '', type: 'text' },
      { wrap: true, type: 'text', text: '' },
      { type: 'text', wrap: true },
    ]) {
      const c = reordered(t);
      expect(checkMessages([c], JSON.stringify([c])), JSON.stringify(t)).toEqual([
        'messages[0].contents.body.contents[0]: empty text',
      ]);
    }
    const fine = reordered({ type: 'text', text: 'ok', wrap: true });
    expect(checkMessages([fine], JSON.stringify([fine]))).toEqual([]);
  });

  it('finds a bubble over 30 KB, whatever its characters: escapes, Japanese, emoji, numbers', () => {
    const bubble = (text: string, n: number) =>
      ({
        type: 'flex',
        altText: '【危険】',
        contents: {
          type: 'bubble',
          body: {
            type: 'box',
            layout: 'vertical',
            contents: Array.from({ length: n }, (_, i) => ({ type: 'text', text, flex: i })),
          },
        },
      }) as unknown as Parameters<typeof checkMessages>[0][number];
    for (const text of ['\u0001', '"', '危', '😀', 'a']) {
      // The fewest texts that make the bubble just over the limit, and one fewer: just under.
      let n = 1;
      const size = (k: number) =>
        Buffer.byteLength(JSON.stringify((bubble(text.repeat(50), k) as { contents: unknown }).contents));
      while (size(n) <= LIMITS.bubbleBytes) n++;
      expect(checkMessages([bubble(text.repeat(50), n)]), text).toEqual([
        `messages[0].contents: ${size(n)} bytes`,
      ]);
      expect(checkMessages([bubble(text.repeat(50), n - 1)]), text).toEqual([]);
      // With the request's JSON: the same answers.
      for (const k of [n, n - 1]) {
        const m = [bubble(text.repeat(50), k)];
        expect(checkMessages(m, JSON.stringify(m)), text).toEqual(checkMessages(m));
      }
    }
  });
});

describe('defanging', () => {
  it('breaks every host, link, address and IP in free text, and leaves ordinary text alone', () => {
    expect(defangHost('amazon-co-jp.xyz')).toBe('amazon-co-jp[.]xyz');
    expect(defangText('https://a.example.top/x')).toBe('hxxps[:]//a[.]example[.]top/x');
    expect(defangText('先 amazon.co.jp.evil.top は')).toBe('先 amazon[.]co[.]jp[.]evil[.]top は');
    expect(defangText('info@evil-support.top へ')).toBe('info@evil-support[.]top へ');
    expect(defangText('ドメインamazon.co.jpの')).toBe('ドメインamazon[.]co[.]jpの');
    expect(defangText('http://192.168.10.2:8080/')).toBe('hxxp[:]//192[.]168[.]10[.]2:8080/');
    expect(defangText('アマゾン.com と 例え.jp')).toBe('アマゾン[.]com と 例え[.]jp');
    expect(defangText('1.5倍、No.1、e.g. です。')).toBe('1.5倍、No.1、e.g. です。');
  });
});
