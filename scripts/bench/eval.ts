// Detection quality held out from the fit (npm run eval's first two tables), against issue 10's targets:
// texts by 5-fold cross-validation (weights and thresholds refitted without each fold, folds by source page),
// URLs on what npm run fit holds back (phishing confirmed 2024-01 → 06, one genuine URL in five).
import { EVAL_DIR } from '../fit.ts';
import { evaluate, type SetResult } from '../eval.ts';
import type { Row, Section } from './lib/report.ts';

function sum(results: SetResult[], files: string[], label: string): SetResult {
  const parts = results.filter((r) => files.includes(r.file));
  const counts = { high: 0, medium: 0, low: 0, unknown: 0 };
  for (const p of parts)
    for (const k of Object.keys(counts) as (keyof typeof counts)[]) counts[k] += p.counts[k];
  const n = parts.reduce((a, p) => a + p.n, 0);
  return {
    file: label,
    phishing: parts[0]?.phishing ?? false,
    n,
    counts,
    flagged: counts.high + counts.medium,
  };
}

const pct = (x: number, n: number) => `${((100 * x) / Math.max(1, n)).toFixed(1)}%`;
const of = (r: SetResult) => `${pct(r.flagged, r.n)} (${r.flagged}/${r.n})`;

export async function run(): Promise<Section> {
  const started = process.cpuUsage();
  const e = await evaluate(EVAL_DIR);
  if (e.inSample.length === 0) throw new Error(`no evaluation data in ${EVAL_DIR}`);
  const cv = e.crossValidated;
  const get = (file: string) => sum(cv, [file], file);
  const phish = sum(cv, ['phish_texts.jsonl', 'phish_texts_more.jsonl'], 'phishing texts');
  const sms = get('phish_texts*.jsonl (sms)');
  const legit = sum(cv, ['legit_texts.jsonl', 'legit_texts_more.jsonl'], 'genuine texts');
  const urls = sum(e.heldBack, ['phish_urls.jsonl'], 'phishing URLs');
  const popular = sum(e.heldBack, ['legit_urls.jsonl'], 'popular domains');
  const paths = sum(e.heldBack, ['legit_urls_paths.jsonl'], 'genuine URLs with paths');
  const rate = (r: SetResult) => r.flagged / Math.max(1, r.n);
  const rows: Row[] = [
    ['phishing / scam texts flagged (both sets, cross-validated)', of(phish), '≥ 95%', rate(phish) >= 0.95],
    ['— phish_texts', of(get('phish_texts.jsonl')), '—', null],
    ['— phish_texts_more', of(get('phish_texts_more.jsonl')), '—', null],
    ['— SMS alone', of(sms), '≥ 90%', rate(sms) >= 0.9],
    ['genuine texts flagged (both sets, cross-validated)', of(legit), '≤ 10%', rate(legit) <= 0.1],
    ['genuine texts called 危険', String(legit.counts.high), '0', legit.counts.high === 0],
    [
      '— legit_texts / legit_texts_more flagged',
      `${of(get('legit_texts.jsonl'))} / ${of(get('legit_texts_more.jsonl'))}`,
      '—',
      null,
    ],
    ['phishing URLs alone, 2024-01 → 06 held back: flagged', of(urls), '≥ 80%', rate(urls) >= 0.8],
    [
      '— the same, green (low)',
      pct(urls.counts.low, urls.n),
      '≤ 10%',
      urls.counts.low / Math.max(1, urls.n) <= 0.1,
    ],
    ['popular domains (1 in 5 held back) flagged', of(popular), '≤ 2%', rate(popular) <= 0.02],
    ['genuine URLs with paths (1 in 5 held back) flagged', of(paths), '≤ 5%', rate(paths) <= 0.05],
  ];
  const cpu = process.cpuUsage(started);
  return {
    title: 'Detection quality, held out from the fit',
    command: 'npm run bench -- eval',
    rows,
    notes: [
      'Flagged = 危険 or 注意. Texts: 5-fold cross-validation, the weights and thresholds refitted by scripts/fit.ts without each fold (folds by source page). URLs: the shipped rules on what npm run fit holds back. Same figures as the first two tables of `npm run eval`; `npm run eval -- --misses FILE` lists the misjudged items.',
      `Sets in ../shared/eval (README there). CPU time of the evaluation: ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s.`,
    ],
  };
}
