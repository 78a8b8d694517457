// Detection quality on real data: npm run eval [-- DIR] [--misses FILE] [--rules DIR] [--inner | --window FROM TO]
//
// Reports figures the fit did NOT see first:
//   - texts: 5-fold cross-validation — the weights and thresholds are refitted (scripts/fit.ts) without each
//     fold in turn and that fold is judged by them; folds are by source page, so near-copies from one page
//     never sit on both sides;
//   - URLs: the shipped rules on what npm run fit holds back (phishing URLs confirmed 2024-01 → 06, one
//     genuine URL in five).
// The shipped rules on everything (in-sample) come last, as a secondary figure.
//
// --inner leaves the held-back items alone: it refits without the fit's own last half year of phishing URLs
// and one more genuine URL in five (scripts/fit.ts innerValidation) and judges those, so that link signs can
// be chosen and tuned (and their misses read, with --misses) without looking at the held-back figures.
// --window FROM TO does the same for an earlier half year (--window 2023/01 2023/07: fitted on the phishing
// URLs before 2023-01), to see whether a sign helps in more than one period.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadDetector } from '../src/detector/load.ts';
import type { ScoringRules } from '../src/rules/schema.ts';
import {
  collect,
  EVAL_DIR,
  fit,
  HELD_BACK_FROM,
  INNER_FROM,
  innerValidation,
  laterThan,
  riskOf,
  scoreOf,
  type Item,
  type Model,
  type Risk,
} from './fit.ts';

export interface SetResult {
  /** The set's file, or file plus a filter ("phish_texts*.jsonl (sms)"). */
  file: string;
  phishing: boolean;
  n: number;
  counts: Record<Risk, number>;
  flagged: number;
}

export interface Evaluation {
  /** Texts judged by weights fitted without them (5-fold cross-validation). */
  crossValidated: SetResult[];
  /** URLs the fit held back, judged by the shipped rules. */
  heldBack: SetResult[];
  /** The shipped rules on every item (the fit saw most of them). */
  inSample: SetResult[];
  /** The risk given to each item in the held-out views (texts: CV; URLs: held back). */
  outOfSample: { item: Item; risk: Risk; score: number }[];
}

export function shippedModel(rules: ScoringRules): Model {
  const weights: Record<string, number> = {};
  const alone: Record<string, number> = {};
  for (const [code, s] of Object.entries(rules.signals)) {
    weights[code] = s.weight;
    if (s.alone !== undefined) alone[code] = s.alone;
  }
  return { bias: rules.bias, weights, alone, thresholds: rules.thresholds };
}

function tally(label: string, phishing: boolean, judged: { risk: Risk }[]): SetResult {
  const counts: Record<Risk, number> = { high: 0, medium: 0, low: 0, unknown: 0 };
  for (const j of judged) counts[j.risk]++;
  return { file: label, phishing, n: judged.length, counts, flagged: counts.high + counts.medium };
}

/** Splits judged items into rows: one per set, plus SMS-only rows for the phishing texts. */
function rows(judged: { item: Item; risk: Risk }[]): SetResult[] {
  const out: SetResult[] = [];
  for (const file of [...new Set(judged.map((j) => j.item.set))]) {
    const of = judged.filter((j) => j.item.set === file);
    out.push(tally(file, of[0]!.item.phishing, of));
  }
  const sms = judged.filter((j) => j.item.kind === 'text' && j.item.phishing && j.item.channel === 'sms');
  if (sms.length) out.push(tally('phish_texts*.jsonl (sms)', true, sms));
  return out;
}

export async function evaluate(evalDir = EVAL_DIR, rulesDir?: string): Promise<Evaluation> {
  const detector = await loadDetector(rulesDir);
  const rules = detector.rules.scoring;
  const items = collect(detector, evalDir);
  const shipped = shippedModel(rules);

  const cv: { item: Item; risk: Risk; score: number }[] = [];
  for (let fold = 0; fold < 5; fold++) {
    const train = items.filter((it) => !it.heldBack && !(it.kind === 'text' && it.fold === fold));
    const model = fit(train, rules);
    for (const it of items)
      if (it.kind === 'text' && it.fold === fold)
        cv.push({ item: it, risk: riskOf(it, model, rules), score: scoreOf(it, model, rules) });
  }
  const held = items
    .filter((it) => it.heldBack)
    .map((it) => ({ item: it, risk: riskOf(it, shipped, rules), score: scoreOf(it, shipped, rules) }));
  const all = items.map((it) => ({ item: it, risk: riskOf(it, shipped, rules) }));
  return {
    crossValidated: rows(cv),
    heldBack: rows(held),
    inSample: rows(all),
    outOfSample: [...cv, ...held],
  };
}

/** The fit's own URLs, split in two: fitted without the inner validation part, judged on it (see above). */
export async function evaluateInner(
  evalDir = EVAL_DIR,
  rulesDir?: string,
  window: { from: string; to: string } = { from: INNER_FROM, to: HELD_BACK_FROM },
): Promise<{ item: Item; risk: Risk; score: number }[]> {
  const detector = await loadDetector(rulesDir);
  const rules = detector.rules.scoring;
  const items = collect(detector, evalDir);
  const inWindow = (it: Item) => innerValidation(it, window.from, window.to);
  const model = fit(
    items.filter((it) => !it.heldBack && !inWindow(it) && !laterThan(it, window.from)),
    rules,
  );
  return items
    .filter(inWindow)
    .map((it) => ({ item: it, risk: riskOf(it, model, rules), score: scoreOf(it, model, rules) }));
}

const pct = (x: number) => (x * 100).toFixed(1).padStart(5) + '%';

export function table(results: SetResult[]): string {
  const lines = ['set                             items    high  medium     low unknown  flagged'];
  for (const r of results) {
    const c = r.counts;
    lines.push(
      `${r.file.padEnd(31)} ${String(r.n).padStart(5)} ${[c.high, c.medium, c.low, c.unknown].map((x) => String(x).padStart(7)).join(' ')}   ${pct(r.flagged / Math.max(1, r.n))}`,
    );
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const missesAt = args.indexOf('--misses');
  const missesFile = missesAt >= 0 ? args.splice(missesAt, 2)[1] : undefined;
  const rulesAt = args.indexOf('--rules');
  const rulesDir = rulesAt >= 0 ? resolve(args.splice(rulesAt, 2)[1]!) : undefined;
  const innerAt = args.indexOf('--inner');
  if (innerAt >= 0) args.splice(innerAt, 1);
  const windowAt = args.indexOf('--window');
  const [from = INNER_FROM, to = HELD_BACK_FROM] = windowAt >= 0 ? args.splice(windowAt, 3).slice(1) : [];
  const dir = resolve(args[0] ?? EVAL_DIR);
  if (innerAt >= 0 || windowAt >= 0) {
    const judged = await evaluateInner(dir, rulesDir, { from, to });
    console.log(
      `INNER VALIDATION (phishing ${from} → before ${to}, 1 in 5 genuine of the fit; refitted without them and later months):`,
    );
    console.log(table(rows(judged)));
    if (missesFile) writeMisses(judged, missesFile);
    process.exit(0);
  }
  const e = await evaluate(dir, rulesDir);
  if (e.inSample.length === 0) {
    // One line for a newcomer whose clone has no data next to it.
    console.error(
      `npm run eval: no evaluation data in ${dir} — the sets (real phishing and genuine texts, JPCERT/CC phishing URLs, popular and genuine URLs: phish_texts*.jsonl, legit_texts*.jsonl, phish_urls.jsonl, legit_urls*.jsonl) are not in this repository; they are shared next to it in ../shared/eval/, or pass a folder holding them: npm run eval -- DIR`,
    );
    process.exit(2);
  }
  console.log(`evaluation data: ${dir}   (flagged = high or medium)\n`);
  console.log(
    'TEXTS, 5-fold cross-validation (weights and thresholds refitted without the fold; folds by source):',
  );
  console.log(table(e.crossValidated));
  console.log('\nURLS HELD BACK from the fit (phishing 2024-01 → 06, 1 in 5 genuine), shipped rules:');
  console.log(table(e.heldBack));
  console.log('\nin-sample (secondary: the shipped rules on everything, most of it seen by the fit):');
  console.log(table(e.inSample));
  if (missesFile) writeMisses(e.outOfSample, missesFile);
}

function writeMisses(judged: { item: Item; risk: Risk; score: number }[], missesFile: string): void {
  const misses = judged
    .filter(({ item, risk }) => (risk === 'high' || risk === 'medium') !== item.phishing)
    .map(({ item, risk, score }) =>
      JSON.stringify({
        set: item.set,
        id: item.id,
        risk,
        score,
        codes: [...item.x.keys()],
        text: item.text.slice(0, 160),
      }),
    );
  writeFileSync(missesFile, misses.join('\n') + '\n');
  console.log(`\n${misses.length} misjudged held-out items written to ${missesFile}`);
}
