// Random and hostile text of up to 5,000 characters (the most LINE lets one message carry, and what the
// bot analyses): the detector never throws and gives the same verdict for the same text. Time per call
// is measured and the worst cases are printed, never asserted (the machine is shared); the budget the
// figures are held against is BUDGET_MS.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Detector } from '../../src/detector/index.ts';
import { LIMITS } from '../../src/line/limits.ts';
import { sharedDetector } from '../support/detector.ts';

/** What one analysis may cost before a person waiting for the answer notices: reported against, not asserted. */
const BUDGET_MS = 100;
const MAX = LIMITS.textUnits;

let d: Detector;
beforeAll(async () => {
  d = await sharedDetector();
}, 60_000);

const worst: { ms: number; what: string }[] = [];
let calls = 0;
let total = 0;
afterAll(() => {
  worst.sort((a, b) => b.ms - a.ms);
  const lines = worst.slice(0, 5).map((w) => `  ${w.ms.toFixed(1)} ms  ${w.what}`);
  console.log(
    [
      `detector time per call over ${calls} random texts of up to ${MAX} characters: mean ${(total / calls).toFixed(2)} ms, ` +
        `worst ${worst[0]?.ms.toFixed(1)} ms (budget ${BUDGET_MS} ms, not asserted)`,
      ...lines,
    ].join('\n'),
  );
});

function check(text: string): void {
  const t = performance.now();
  const v = d.analyze(text);
  const ms = performance.now() - t;
  calls++;
  total += ms;
  if (worst.length < 5 || ms > worst[worst.length - 1]!.ms) {
    worst.push({ ms, what: `${text.length} chars: ${JSON.stringify(text.slice(0, 40))}` });
    worst.sort((a, b) => b.ms - a.ms).splice(5);
  }
  expect(['high', 'medium', 'low', 'unknown']).toContain(v.risk);
  expect(v.score).toBeGreaterThanOrEqual(0);
  expect(v.score).toBeLessThanOrEqual(100);
  // Deterministic: no state carried from one call to the next.
  expect(d.analyze(text)).toEqual(v);
}

const PIECES = [
  '【Amazon】',
  'お客様のアカウントを停止しました',
  '24時間以内に',
  'https://amazon.co.jp.verify-xx.top/ap/signin',
  'hxxps://evil[.]top/x',
  'ｈｔｔｐｓ：／／',
  'https://',
  'www.',
  '.co.jp',
  'xn--',
  '090-1234-5678',
  '+81 ',
  '0120-',
  'support@amazon-help.top',
  '@',
  'From: "Amazon" <a@b.top>\n',
  'Subject: ',
  '差出人: ',
  'аmazon',
  'ΑΝΑ',
  '账户',
  '\u200B',
  '\u202E',
  '\uD800',
  '\u0000',
  '●●●',
  '[.]',
  '(.)',
  '-',
  '.',
  '/',
  '\n',
  ' ',
  'あ',
  '様',
];
const piece = fc.oneof(fc.constantFrom(...PIECES), fc.string({ unit: 'binary', maxLength: 6 }));

describe('random text up to the LINE limit', { timeout: 300_000 }, () => {
  it('random code points (lone surrogates included)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: MAX }), (s) => check(s)),
      { numRuns: 60 },
    );
  });

  it('random graphemes (emoji, combining marks, CJK)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 2000 }), (s) => check(s)),
      { numRuns: 60 },
    );
  });

  it('assemblies of pieces of phishing texts', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 400 }), (parts) => check(parts.join('').slice(0, MAX))),
      { numRuns: 150 },
    );
  });

  it('one short piece repeated to the limit (the shapes that make regular expressions backtrack)', () => {
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 3 }), (parts) => {
        const unit = parts.join('') || 'a';
        check(unit.repeat(Math.ceil(MAX / unit.length)).slice(0, MAX));
      }),
      { numRuns: 150 },
    );
  });
});
