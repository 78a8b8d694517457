// Detection quality floors on the shared evaluation data (../shared/eval, see its README): phishing is
// flagged (high or medium), legitimate links are not, and no genuine message is ever called 危険.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate, type SetResult } from '../scripts/eval.ts';

const EVAL_DIR = fileURLToPath(new URL('../../shared/eval/', import.meta.url));

let results: SetResult[];
beforeAll(async () => {
  results = await evaluate(EVAL_DIR);
}, 300_000);

function set(file: string): SetResult {
  const r = results.find((x) => x.file === file);
  if (!r) throw new Error(`${file} not found in ${EVAL_DIR}`);
  return r;
}

const rate = (r: SetResult) => r.flagged / r.n;
const show = (r: SetResult) =>
  `${r.file}: ${r.flagged}/${r.n} flagged (${(rate(r) * 100).toFixed(1)}%), counts ${JSON.stringify(r.counts)}`;

describe('evaluation floors', () => {
  it('finds all four evaluation sets', () => {
    expect(existsSync(EVAL_DIR)).toBe(true);
    expect(results.map((r) => r.file).sort()).toEqual([
      'legit_texts.jsonl',
      'legit_urls.jsonl',
      'phish_texts.jsonl',
      'phish_urls.jsonl',
    ]);
    for (const r of results) expect(r.n, r.file).toBeGreaterThan(0);
  });

  it('flags at least 95% of phishing texts', () => {
    const r = set('phish_texts.jsonl');
    expect(rate(r), show(r)).toBeGreaterThanOrEqual(0.95);
  });

  // Issue 2 asks for 90%. With honest signals from the URL alone we reach ~72% while keeping popular
  // domains under 3% (see the issue note and README): 13% of these phishing URLs are ordinary-looking names
  // on .com/.net with no path, indistinguishable without registration data. This floor guards what we reach.
  it('flags at least 72% of phishing URLs (target 90%, not reached)', () => {
    const r = set('phish_urls.jsonl');
    expect(rate(r), show(r)).toBeGreaterThanOrEqual(0.72);
  });

  it('flags at most 3% of legitimate URLs', () => {
    const r = set('legit_urls.jsonl');
    expect(rate(r), show(r)).toBeLessThanOrEqual(0.03);
  });

  it('never rates a genuine message high', () => {
    const r = set('legit_texts.jsonl');
    expect(r.counts.high, show(r)).toBe(0);
  });
});
