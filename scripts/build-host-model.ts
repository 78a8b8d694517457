// Builds rules/data/host-letter-model.json: a letter-trigram model of how real words are spelled, in
// English (the word-list package) and in romanised Japanese (readings of the IPADIC dictionary that
// kuromoji ships). Host names made of words ("kuronekoyamato", "jackpot-kennels") score high; machine-made
// names ("ggbwufs", "quisnvbcuebiap") score low. The threshold is set on held-out dictionary words only,
// never on the evaluation data: at most THRESHOLD_PERCENTILE of real words fall below it.
//
// Run once after changing it: node scripts/build-host-model.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import path from 'node:path';
import wordListPath from 'word-list';
import { ALPHABET, HostLetterModel } from '../src/detector/host-model.ts';

const THRESHOLD_PERCENTILE = 0.02;
const STRICT_PERCENTILE = 0.002;
const MIN_LEN = 5;

const english = readFileSync(wordListPath, 'utf8')
  .split('\n')
  .filter((w) => /^[a-z]{3,}$/.test(w));

// Katakana readings → Hepburn-style romaji, as Japanese host names are usually written.
const KANA: Record<string, string> = {};
const rows: [string, string][] = [
  ['アイウエオ', 'a i u e o'],
  ['カキクケコ', 'ka ki ku ke ko'],
  ['ガギグゲゴ', 'ga gi gu ge go'],
  ['サシスセソ', 'sa shi su se so'],
  ['ザジズゼゾ', 'za ji zu ze zo'],
  ['タチツテト', 'ta chi tsu te to'],
  ['ダヂヅデド', 'da ji zu de do'],
  ['ナニヌネノ', 'na ni nu ne no'],
  ['ハヒフヘホ', 'ha hi fu he ho'],
  ['バビブベボ', 'ba bi bu be bo'],
  ['パピプペポ', 'pa pi pu pe po'],
  ['マミムメモ', 'ma mi mu me mo'],
  ['ヤユヨ', 'ya yu yo'],
  ['ラリルレロ', 'ra ri ru re ro'],
  ['ワヲン', 'wa o n'],
  ['ァィゥェォ', 'a i u e o'],
  ['ヴ', 'vu'],
];
for (const [kana, romaji] of rows) {
  const parts = romaji.split(' ');
  [...kana].forEach((k, i) => (KANA[k] = parts[i]!));
}
const YOON: Record<string, string> = { ャ: 'a', ュ: 'u', ョ: 'o' };

function romanize(katakana: string): string | null {
  let out = '';
  let double = false;
  const chars = [...katakana];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === 'ッ') {
      double = true;
      continue;
    }
    if (ch === 'ー') continue;
    let syl = KANA[ch];
    if (syl === undefined) return null;
    const next = chars[i + 1];
    if (next && YOON[next]) {
      syl =
        (syl.endsWith('i') && syl.length > 1 ? syl.slice(0, -1) : syl) +
        (/^(sh|ch|j)$/.test(syl.slice(0, -1)) ? '' : 'y') +
        YOON[next];
      i++;
    }
    if (double) syl = syl[0] + syl;
    double = false;
    out += syl;
  }
  return out.length >= 3 ? out : null;
}

const dictDir = path.join(
  path.dirname(createRequire(import.meta.url).resolve('kuromoji/package.json')),
  'dict',
);
const features = gunzipSync(readFileSync(path.join(dictDir, 'tid_pos.dat.gz')))
  .toString('utf8')
  .split('\u0000');
const romaji = new Set<string>();
for (const f of features) {
  const cols = f.split(',');
  if (cols[1] !== '名詞' || !cols[8] || cols[8] === '*') continue;
  const r = romanize(cols[8]);
  if (r) romaji.add(r);
}

// Hold out every 10th word to set the threshold on words the model has not seen.
const split = (words: string[]) => ({
  train: words.filter((_, i) => i % 10 !== 0),
  held: words.filter((_, i) => i % 10 === 0),
});
const en = split(english);
const ja = split([...romaji]);
const model = HostLetterModel.train([
  { words: en.train, weight: 1 },
  { words: ja.train, weight: en.train.length / Math.max(1, ja.train.length) },
]);
const heldScores = [...en.held, ...ja.held]
  .filter((w) => w.length >= MIN_LEN)
  .map((w) => model.score(w))
  .sort((a, b) => a - b);
const threshold = heldScores[Math.floor(heldScores.length * THRESHOLD_PERCENTILE)]!;
const strictThreshold = heldScores[Math.floor(heldScores.length * STRICT_PERCENTILE)]!;
const out = new URL('../rules/data/host-letter-model.json', import.meta.url);
writeFileSync(
  out,
  JSON.stringify({
    ...model.toJSON(),
    threshold: Math.round(threshold * 1000) / 1000,
    strictThreshold: Math.round(strictThreshold * 1000) / 1000,
    minLength: MIN_LEN,
  }) + '\n',
);
console.log(
  `${en.train.length} English + ${ja.train.length} romaji words; alphabet ${ALPHABET.length}; ` +
    `threshold ${threshold.toFixed(3)} (${THRESHOLD_PERCENTILE * 100}% of ${heldScores.length} held-out words below), ` +
    `strict ${strictThreshold.toFixed(3)} (${STRICT_PERCENTILE * 100}%)`,
);
for (const sample of [
  'kuronekoyamato',
  'jackpotkennels',
  'sagawaexp',
  'ggbwufs',
  'quisnvbcuebiap',
  'amnecucns',
  'aoezmsosc',
  'xierynb',
  'tyghuf',
])
  console.log(sample.padEnd(16), model.score(sample).toFixed(3));
