// Detection quality floors on the shared evaluation data (../shared/eval, see its README), measured on what
// the fit did not see: texts by 5-fold cross-validation, URLs on the months and hosts npm run fit holds back.
// No genuine message is ever called 危険.
import { existsSync } from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import { evaluate, type Evaluation, type SetResult } from '../../scripts/eval.ts';
import { describeWithEval, EVAL_DIR } from '../support/eval-data.ts';

let e: Evaluation;

function set(results: SetResult[], file: string): SetResult {
  const r = results.find((x) => x.file === file);
  if (!r) throw new Error(`${file} not found in ${EVAL_DIR}`);
  return r;
}
function sum(results: SetResult[], files: string[]): SetResult {
  const parts = files.map((f) => set(results, f));
  const counts = { high: 0, medium: 0, low: 0, unknown: 0 };
  for (const p of parts)
    for (const k of Object.keys(counts) as (keyof typeof counts)[]) counts[k] += p.counts[k];
  return {
    file: files.join('+'),
    phishing: parts[0]!.phishing,
    n: parts.reduce((a, p) => a + p.n, 0),
    counts,
    flagged: counts.high + counts.medium,
  };
}

const rate = (r: SetResult) => r.flagged / r.n;
const show = (r: SetResult) =>
  `${r.file}: ${r.flagged}/${r.n} flagged (${(rate(r) * 100).toFixed(1)}%), counts ${JSON.stringify(r.counts)}`;

describeWithEval('evaluation floors (held-out figures)', () => {
  beforeAll(async () => {
    e = await evaluate(EVAL_DIR);
  }, 600_000);

  it('finds all seven evaluation sets', () => {
    expect(existsSync(EVAL_DIR)).toBe(true);
    expect(
      e.inSample
        .map((r) => r.file)
        .filter((f) => !f.includes('('))
        .sort(),
    ).toEqual([
      'legit_texts.jsonl',
      'legit_texts_more.jsonl',
      'legit_urls.jsonl',
      'legit_urls_paths.jsonl',
      'phish_texts.jsonl',
      'phish_texts_more.jsonl',
      'phish_urls.jsonl',
    ]);
    for (const r of e.inSample) expect(r.n, r.file).toBeGreaterThan(0);
  });

  // Targets 95 % (SMS alone 90 %); these floors guard the cross-validated level reached (README, eval section).
  it('flags phishing texts it was not fitted on', () => {
    const r = sum(e.crossValidated, ['phish_texts.jsonl', 'phish_texts_more.jsonl']);
    expect(rate(r), show(r)).toBeGreaterThanOrEqual(0.95);
  });

  it('flags phishing SMS it was not fitted on', () => {
    const r = set(e.crossValidated, 'phish_texts*.jsonl (sms)');
    expect(rate(r), show(r)).toBeGreaterThanOrEqual(0.95);
  });

  it('calls no genuine text 危険 and flags at most 10 % of them, out of sample', () => {
    const r = sum(e.crossValidated, ['legit_texts.jsonl', 'legit_texts_more.jsonl']);
    expect(r.counts.high, show(r)).toBe(0);
    expect(rate(r), show(r)).toBeLessThanOrEqual(0.1);
  });

  it('never calls a genuine text 危険 with the shipped rules either', () => {
    const r = sum(e.inSample, ['legit_texts.jsonl', 'legit_texts_more.jsonl']);
    expect(r.counts.high, show(r)).toBe(0);
  });

  it('flags held-back phishing URLs (target 80 %: 1,171 of 1,464, one short) and few genuine ones', () => {
    const phish = set(e.heldBack, 'phish_urls.jsonl');
    expect(rate(phish), show(phish)).toBeGreaterThanOrEqual(0.79);
    const popular = set(e.heldBack, 'legit_urls.jsonl');
    expect(rate(popular), show(popular)).toBeLessThanOrEqual(0.02);
    const paths = set(e.heldBack, 'legit_urls_paths.jsonl');
    expect(rate(paths), show(paths)).toBeLessThanOrEqual(0.05);
  });
});
