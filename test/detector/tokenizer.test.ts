import { createRequire } from 'node:module';
import path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTokenizer, type Token, type Tokenizer } from '../../src/detector/tokenizer.ts';

// Stock kuromoji (its own loader and tokenizer) is the reference our lean loader must match.
interface StockToken {
  surface_form: string;
  basic_form: string;
  pos: string;
  pos_detail_1: string;
  word_type: string;
}
interface StockTokenizer {
  tokenize(text: string): StockToken[];
}
interface Kuromoji {
  builder(options: { dicPath: string }): {
    build(callback: (err: Error | null, tokenizer: StockTokenizer) => void): void;
  };
}

const require = createRequire(import.meta.url);

function loadStock(): Promise<StockTokenizer> {
  const kuromoji = require('kuromoji') as Kuromoji;
  const dicPath = path.join(path.dirname(require.resolve('kuromoji/package.json')), 'dict');
  return new Promise((resolve, reject) =>
    kuromoji.builder({ dicPath }).build((err, t) => (err ? reject(err) : resolve(t))),
  );
}

const stockView = (t: StockToken): string =>
  [
    t.surface_form,
    t.basic_form === '*' ? t.surface_form : t.basic_form,
    t.pos,
    t.pos_detail_1,
    t.word_type === 'KNOWN',
  ].join('|');
const ourView = (t: Token): string => [t.surface, t.base, t.pos, t.posDetail, t.known].join('|');

/** Tokens cover the text exactly, in order, with correct offsets. */
function expectTiles(text: string, tokens: Token[]): void {
  let offset = 0;
  for (const t of tokens) {
    expect(t.start).toBe(offset);
    expect(text.slice(t.start, t.start + t.surface.length)).toBe(t.surface);
    offset += t.surface.length;
  }
  expect(offset).toBe(text.length);
}

const SENTENCES = [
  'お客様のアカウントは24時間以内に停止されます。',
  '佐川急便よりお荷物のお届けに上がりましたが宛先不明の為持ち帰りました。',
  '三井住友カードご利用確認のお願い',
  '【Amazon】お支払い方法に問題があります。こちらから更新してください https://amaz0n-jp.example.com/login',
  'ご本人様確認のため、以下のURLよりログインしお手続きをお願い致します。',
  '未払い料金があります。本日中にご連絡なき場合、法的手続きに移行します。',
  '国税庁からのお知らせ：税金の未納があります。ｅ－Ｔａｘ　ｈｔｔｐｓ：／／ｅｔａｘ．ｘｙｚ',
  'ｶﾞｽ料金のお支払いが確認できませんでした。０１２０－１２３－４５６まで',
  'Your package could not be delivered. Please confirm your address.',
  'Apple IDがロックされました: verify at http://apple-id.example.net now!!',
  '当選おめでとうございます！🎉賞金10万円を受け取るには',
  '❤️ありがとう😀また来てね',
  'お荷物をお届けにあがりました\n不在の為持ち帰りました\n下記よりご確認ください',
  'セキュリティ強化のため、パスワードの再設定が必要です。。。、、',
  'ＡＢＣ銀行　ＡＴＭ　ｶｰﾄﾞ　ΑΒΓ　АБВ　123,456円',
  'a',
  '。',
  '',
];

describe('tokenizer', () => {
  let ours: Tokenizer;
  let stock: StockTokenizer;
  beforeAll(async () => {
    [ours, stock] = await Promise.all([loadTokenizer(), loadStock()]);
  }, 60_000);

  it('shares one load between calls', async () => {
    expect(loadTokenizer()).toBe(loadTokenizer());
    expect(await loadTokenizer()).toBe(ours);
  });

  it.each(SENTENCES)('matches stock kuromoji: %j', (text) => {
    const tokens = ours.tokenize(text);
    expect(tokens.map(ourView)).toEqual(stock.tokenize(text).map(stockView));
    expectTiles(text, tokens);
  });

  it('matches stock kuromoji on random mixed text', () => {
    const pieces = [
      ...'あいうかきくさしアイウカキクサシーッャ漢字停止確認国税庁様々〜・、。！？!?.,:/- \n\t0123456789０１２ABCabcＡＢｱｲｳﾞﾟΑβЖж€¥＄',
      'お客様',
      'アカウント',
      'されます',
      'ください',
      'https://',
      '.com',
      '持ち帰りました',
      '三井住友',
      '😀',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        // Adjacent astral characters hit a kuromoji bug (see the next test); compare the rest.
        fc.pre(!text.includes('😀😀'));
        expect(ours.tokenize(text).map(ourView)).toEqual(stock.tokenize(text).map(stockView));
      }),
      { numRuns: 500 },
    );
  });

  it('gives the same words as numbers (words) as as tokens (tokenize)', () => {
    for (const text of [...SENTENCES, '当選🎉🎉です', '確認\ud83d', '']) {
      const tokens = ours.tokenize(text);
      const list = ours.words(text);
      expect(list.count).toBe(tokens.length);
      tokens.forEach((t, i) => {
        expect(list.token(i)).toEqual(t);
        expect([list.entry[i], list.start[i], list.end[i]]).toEqual([
          t.entry,
          t.start,
          t.start + t.surface.length,
        ]);
        expect([list.known(i), list.pos(i), list.base(i, t.surface)]).toEqual([t.known, t.pos, t.base]);
        expect(list.text.slice(list.start[i], list.end[i])).toBe(t.surface);
      });
    }
  });

  it('keeps the text after adjacent astral characters, which kuromoji drops', () => {
    const text = '当選🎉🎉おめでとうございます🇯🇵👍🏻です';
    const tokens = ours.tokenize(text);
    expectTiles(text, tokens);
    expect(tokens.map((t) => t.surface)).toContain('おめでとう');
    expect(tokens.find((t) => t.surface === '🎉🎉')).toMatchObject({ pos: '記号', known: false });
    // Stock kuromoji measures the grouped emoji in UTF-16 units but positions in code points.
    expect(
      stock
        .tokenize(text)
        .map((t) => t.surface_form)
        .join(''),
    ).not.toBe(text);
  });

  it('handles characters kuromoji throws on (NUL, lone surrogates)', () => {
    for (const text of ['あ\u0000い', '\u0000', 'お客様\u0000']) {
      expect(() => stock.tokenize(text)).toThrow();
      expectTiles(text, ours.tokenize(text));
    }
    const lone = ours.tokenize('確認\ud83d');
    expect(lone.map((t) => t.surface).join('')).toBe('確認\ufffd');
  });

  it('gives UTF-16 offsets', () => {
    const text = '😀お客様、ご確認ください。';
    const tokens = ours.tokenize(text);
    expectTiles(text, tokens);
    expect(tokens.find((t) => t.surface === 'お客様')?.start).toBe(2);
  });

  it('gives basic forms', () => {
    for (const text of ['停止されます', '停止致します', '停止する', 'アカウントを停止いたします']) {
      expect(ours.tokenize(text).map((t) => t.base)).toContain('停止');
    }
    expect(ours.tokenize('持ち帰りました').map((t) => t.base)).toContain('持ち帰る');
    expect(ours.tokenize('ご確認ください').map((t) => t.base)).toEqual(['ご', '確認', 'くださる']);
    const unknown = ours.tokenize('amaz0n').find((t) => !t.known);
    expect(unknown?.base).toBe(unknown?.surface); // kuromoji's '*' becomes the surface
  });

  it('gives parts of speech', () => {
    const tokens = ours.tokenize('三井住友カードご利用確認のお願い');
    expect(tokens.find((t) => t.surface === '確認')).toMatchObject({
      pos: '名詞',
      posDetail: 'サ変接続',
      known: true,
    });
    expect(tokens.find((t) => t.surface === 'の')).toMatchObject({ pos: '助詞' });
  });
});
