// Fits the weights of rules/scoring.yaml from the evaluation data: npm run fit [-- --dry-run]
//
// The rules stay the features: each sign the detector finds is one input, counted at most max_repeats times.
// The model is an L2-regularised logistic regression (plain TypeScript, projected gradient descent) with two
// constraints that keep every verdict explainable: warning signs never lower the score (weight ≥ 0) and
// reassuring (info) signs never raise it (weight ≤ 0). The regulariser pulls each weight towards its hand-set
// `prior` (scoring.yaml), not towards zero: a sign the data rarely shows keeps the strength a person gave it,
// and one the data contradicts moves. Signs seen fewer than MIN_SUPPORT times keep their prior. Thresholds
// for 注意 and 危険 are then chosen on the same training data.
//
// Held back from the fit, so that npm run eval can report figures the fit never saw: phishing URLs confirmed
// 2024-01 or later, and one legitimate URL in five (by id). The texts are all used here; npm run eval measures
// them by refitting without each fold in turn (5-fold cross-validation, folds by source page).
import { readFileSync, existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { parseDocument } from 'yaml';
import { loadDetector } from '../src/detector/load.ts';
import type { InspectableDetector } from '../src/detector/index.ts';
import { features, points } from '../src/detector/score.ts';
import type { ScoringRules } from '../src/rules/schema.ts';
import { EVAL_DIR } from './eval-data.ts';
export { EVAL_DIR };
const SCORING = new URL('../rules/scoring.yaml', import.meta.url).pathname;

export const SETS = [
  { file: 'phish_texts.jsonl', phishing: true, kind: 'text' },
  { file: 'phish_texts_more.jsonl', phishing: true, kind: 'text' },
  { file: 'legit_texts.jsonl', phishing: false, kind: 'text' },
  { file: 'legit_texts_more.jsonl', phishing: false, kind: 'text' },
  { file: 'phish_urls.jsonl', phishing: true, kind: 'url' },
  { file: 'legit_urls.jsonl', phishing: false, kind: 'url' },
  { file: 'legit_urls_paths.jsonl', phishing: false, kind: 'url' },
] as const;

/** Newest dev months of phishing URLs, never seen by the fit. */
export const HELD_BACK_FROM = '2024/01';
/** The last half year of the fit's own phishing URLs: npm run eval -- --inner validates on it. */
export const INNER_FROM = '2023/07';

/**
 * A validation part inside the fit's own data (never the held-back items): phishing URLs of the fit's last
 * half year (or of the months from `from` to before `to`) and one more genuine URL in five. Signs are chosen and
 * tuned on it, so the held-back figures stay unseen.
 */
export function innerValidation(it: Item, from = INNER_FROM, to = HELD_BACK_FROM): boolean {
  if (it.heldBack || it.kind !== 'url') return false;
  return it.phishing ? (it.date ?? '') >= from && (it.date ?? '') < to : bucket(it.id, 5) === 1;
}

/** Phishing URLs confirmed from `from` on: an earlier inner window's fit must not see later months either. */
export function laterThan(it: Item, from: string): boolean {
  return it.kind === 'url' && it.phishing && (it.date ?? '') >= from;
}

export interface Item {
  set: string;
  id: string;
  phishing: boolean;
  kind: 'text' | 'url';
  /** sms / email / line for texts (as the source says). */
  channel: string;
  /** Cross-validation fold (texts: by source page) or -1. */
  fold: number;
  heldBack: boolean;
  /** Sign → count (already capped). */
  x: Map<string, number>;
  allOfficial: boolean;
  hasContent: boolean;
  /** Asks nothing of the reader (capped below 危険). */
  noRequest: boolean;
  /** A link the bot cannot vouch for: below 注意 the verdict is 判定できません, not low. */
  unverified: boolean;
  /** Nothing but a link: its link signs take their own (`alone`) weights. */
  alone: boolean;
  text: string;
  /** When a phishing URL was confirmed (YYYY/MM/DD …), as the set gives it. */
  date?: string;
}

export interface Model {
  bias: number;
  weights: Record<string, number>;
  /** Weights for a message that is nothing but a link, where the URL sets gave a sign enough support. */
  alone: Record<string, number>;
  thresholds: { high: number; medium: number };
}

function bucket(key: string, n: number): number {
  return createHash('sha1').update(key).digest().readUInt32BE(0) % n;
}

/** Runs the detector once over every set and keeps the evidence (not the verdicts). */
export function collect(detector: InspectableDetector, dir = EVAL_DIR): Item[] {
  const rules = detector.rules.scoring;
  const items: Item[] = [];
  for (const set of SETS) {
    const path = join(dir, set.file);
    if (!existsSync(path)) continue;
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const r = JSON.parse(line) as {
        id: string;
        text: string;
        kind?: string;
        source?: string;
        date?: string;
      };
      const input = detector.inspect(r.text);
      const x = new Map<string, number>();
      for (const [code, f] of features(rules, input.signals)) x.set(code, f.n);
      const isText = set.kind === 'text';
      items.push({
        set: set.file,
        id: String(r.id),
        phishing: set.phishing,
        kind: set.kind,
        channel: r.kind ?? 'url',
        fold: isText ? bucket(r.source ?? String(r.id), 5) : -1,
        heldBack: isText
          ? false
          : set.phishing
            ? (r.date ?? '') >= HELD_BACK_FROM
            : bucket(String(r.id), 5) === 0,
        x,
        allOfficial: input.allOfficial,
        hasContent: input.hasContent,
        unverified: !!input.unverifiedDomain,
        noRequest: !!input.noRequest,
        alone: !!input.linkAlone,
        text: r.text,
        ...(r.date ? { date: r.date } : {}),
      });
    }
  }
  return items;
}

export interface FitOptions {
  /** L2 strength (per unit of total sample weight). */
  lambda: number;
  /** Share of the total weight given to texts (the rest to URLs). */
  textShare: number;
  /** How much more a genuine text weighs than a phishing one (false alarms cost trust). */
  legitTextBoost: number;
  /** Scales every prior (1 = as written). */
  priorScale?: number;
  /** Largest share of the genuine training texts 注意 may flag. */
  legitTextRate?: number;
  /** Largest share of the popular sites (legit_urls) and of the genuine URLs with paths 注意 may flag. */
  popularRate?: number;
  pathsRate?: number;
}

export const DEFAULT_FIT: FitOptions = { lambda: 0.003, textShare: 0.8, legitTextBoost: 1.5 };
const MIN_SUPPORT = 3;
const ALONE = '@alone';

/** Fits bias and weights on `train`; signs without support keep the weights of `rules`. */
export function fit(train: Item[], rules: ScoringRules, opt: FitOptions = DEFAULT_FIT): Model {
  const codes = Object.keys(rules.signals);
  // A sign has one weight inside a message and one for a bare link ("code@alone"): the few genuine texts
  // with a short link must not outweigh thousands of bare phishing links, nor the reverse. Each is fitted
  // only where it has support; otherwise it keeps its prior (a bare link's falls back to the sign's weight).
  const key = (code: string, it: Item) => (it.alone ? `${code}${ALONE}` : code);
  const support = new Map<string, number>();
  for (const it of train)
    for (const code of it.x.keys()) support.set(key(code, it), (support.get(key(code, it)) ?? 0) + 1);
  const base = (k: string) => k.replace(ALONE, '');
  const free = [...codes, ...codes.map((c) => c + ALONE)].filter(
    (k) => (support.get(k) ?? 0) >= MIN_SUPPORT && !rules.signals[base(k)]!.fixed,
  );
  const index = new Map(free.map((c, i) => [c, i]));
  const sign = free.map((c) => (rules.signals[base(c)]!.severity === 'info' ? -1 : 1));
  const prior = (c: string) =>
    (rules.signals[base(c)]!.prior ?? rules.signals[base(c)]!.weight) * (opt.priorScale ?? 1);
  const mean = free.map(prior);

  // Sample weights: texts and URLs get fixed shares; within each, the two classes are balanced.
  const groups = new Map<string, number>();
  const groupOf = (it: Item) => `${it.kind}:${it.phishing}`;
  for (const it of train) groups.set(groupOf(it), (groups.get(groupOf(it)) ?? 0) + 1);
  const share = (it: Item) =>
    (it.kind === 'text' ? opt.textShare : 1 - opt.textShare) *
    (it.kind === 'text' && !it.phishing
      ? opt.legitTextBoost / (1 + opt.legitTextBoost)
      : it.kind === 'text'
        ? 1 / (1 + opt.legitTextBoost)
        : 0.5);

  // Identical evidence vectors collapse into one row (most URLs share a handful of patterns).
  const rows = new Map<string, { idx: number[]; n: number[]; offset: number; pos: number; neg: number }>();
  for (const it of train) {
    if (!it.hasContent) continue;
    const idx: number[] = [];
    const n: number[] = [];
    let offset = 0;
    for (const [code, k] of it.x) {
      const i = index.get(key(code, it)) ?? (it.alone ? index.get(code) : undefined);
      if (i === undefined) offset += (rules.signals[code] ? prior(code) : 0) * k;
      else {
        idx.push(i);
        n.push(k);
      }
    }
    const rowKey = `${idx.join(',')}|${n.join(',')}|${offset}`;
    const row = rows.get(rowKey) ?? { idx, n, offset, pos: 0, neg: 0 };
    const w = share(it) / groups.get(groupOf(it))!;
    if (it.phishing) row.pos += w;
    else row.neg += w;
    rows.set(rowKey, row);
  }
  const data = [...rows.values()];

  // Projected Adam on the weighted log-loss + λ/2 ‖w − prior‖².
  const w = free.map((c, j) => clamp(mean[j]!, sign[j]!));
  let b = rules.bias;
  const m = new Float64Array(w.length + 1);
  const v = new Float64Array(w.length + 1);
  const g = new Float64Array(w.length + 1);
  const rate = 0.05;
  for (let step = 1; step <= 3000; step++) {
    g.fill(0);
    for (const r of data) {
      let z = b + r.offset;
      for (let j = 0; j < r.idx.length; j++) z += w[r.idx[j]!]! * r.n[j]!;
      const p = 1 / (1 + Math.exp(-z));
      const d = (r.pos + r.neg) * p - r.pos; // gradient of the weighted log-loss in z
      g[w.length]! += d;
      for (let j = 0; j < r.idx.length; j++) g[r.idx[j]!]! += d * r.n[j]!;
    }
    for (let j = 0; j < w.length; j++) g[j]! += opt.lambda * (w[j]! - mean[j]!);
    for (let j = 0; j <= w.length; j++) {
      m[j] = 0.9 * m[j]! + 0.1 * g[j]!;
      v[j] = 0.999 * v[j]! + 0.001 * g[j]! * g[j]!;
      const mh = m[j]! / (1 - 0.9 ** step);
      const vh = v[j]! / (1 - 0.999 ** step);
      const delta = (rate * mh) / (Math.sqrt(vh) + 1e-9);
      if (j === w.length) b -= delta;
      else w[j] = clamp(w[j]! - delta, sign[j]!);
    }
  }
  // Rounded as scoring.yaml will hold them, so the thresholds are chosen on the scores the detector will give:
  // many links score one sign alone, and a hundredth of a weight moves hundreds of them across a threshold.
  const weights: Record<string, number> = {};
  const alone: Record<string, number> = {};
  for (const c of codes) weights[c] = round(prior(c));
  free.forEach((c, j) => {
    if (c.endsWith(ALONE)) alone[base(c)] = round(w[j]!);
    else weights[c] = round(w[j]!);
  });
  const model: Model = { bias: round(b), weights, alone, thresholds: { high: 70, medium: 40 } };
  model.thresholds = chooseThresholds(train, model, rules, opt);
  return model;
}

function clamp(x: number, sign: number): number {
  return sign > 0 ? Math.min(20, Math.max(0, x)) : Math.max(-20, Math.min(0, x));
}

/** The score the shipped detector would give this evidence under `model`. */
export function scoreOf(it: Item, model: Model, rules: ScoringRules): number {
  const r: ScoringRules = { ...rules, bias: model.bias, signals: {} };
  for (const [code, s] of Object.entries(rules.signals))
    r.signals[code] = { ...s, weight: model.weights[code] ?? s.weight, alone: model.alone[code] };
  let value = points(
    r,
    [...it.x].map(([code, n]) => [code, { n }] as [string, { n: number }]),
    it.alone,
  );
  if (it.allOfficial) value = Math.min(value, rules.official_cap);
  if (it.noRequest) value = Math.min(value, rules.no_request_cap);
  return Math.round(value);
}

export type Risk = 'high' | 'medium' | 'low' | 'unknown';

export function riskOf(it: Item, model: Model, rules: ScoringRules): Risk {
  if (!it.hasContent) return 'unknown';
  const s = scoreOf(it, model, rules);
  if (s < model.thresholds.medium && it.unverified) return 'unknown';
  return s >= model.thresholds.high ? 'high' : s >= model.thresholds.medium ? 'medium' : 'low';
}

/**
 * 注意 at the lowest score that flags at most 5 % of the genuine texts, 1.7 % of the popular sites and 3 % of
 * the genuine URLs with paths seen in training (issue 10's targets: 10 %, 1.5 % and 3 %); 危険 at the lowest score
 * (at least 10 above) that calls no genuine text and at most 0.2 % of the genuine URLs 危険. Popular sites: at
 * 1.5 % the threshold leaps past every cheap ending alone (score 54) and flags a sixth fewer phishing links
 * (npm run eval -- --inner), so the limit sits just above where the link signs now leave it (2 % before).
 */
export function chooseThresholds(
  train: Item[],
  model: Model,
  rules: ScoringRules,
  opt: Pick<FitOptions, 'legitTextRate' | 'popularRate' | 'pathsRate'> = {},
): Model['thresholds'] {
  const { legitTextRate: textRate = 0.05, popularRate = 0.017, pathsRate = 0.03 } = opt;
  const legit = train.filter((it) => !it.phishing && it.hasContent);
  const scores = (pred: (it: Item) => boolean) => legit.filter(pred).map((it) => scoreOf(it, model, rules));
  const texts = scores((it) => it.kind === 'text');
  const popular = scores((it) => it.set === 'legit_urls.jsonl');
  const paths = scores((it) => it.set === 'legit_urls_paths.jsonl');
  const rate = (xs: number[], t: number) => xs.filter((s) => s >= t).length / Math.max(1, xs.length);
  let medium = 20;
  while (
    medium < 90 &&
    (rate(texts, medium) > textRate || rate(popular, medium) > popularRate || rate(paths, medium) > pathsRate)
  )
    medium++;
  let high = Math.max(medium + 10, 50);
  while (high < 99 && (texts.some((s) => s >= high) || rate([...popular, ...paths], high) > 0.002)) high++;
  return { high, medium };
}

/** Writes the model into rules/scoring.yaml, keeping its comments, wording and order. */
export function writeModel(model: Model, meta: Record<string, string | number>, path = SCORING): void {
  const doc = parseDocument(readFileSync(path, 'utf8'));
  doc.set('bias', round(model.bias));
  doc.setIn(['thresholds', 'high'], model.thresholds.high);
  doc.setIn(['thresholds', 'medium'], model.thresholds.medium);
  doc.set('fitted', meta);
  for (const [code, weight] of Object.entries(model.weights)) {
    doc.setIn(['signals', code, 'weight'], round(weight));
    if (model.alone[code] === undefined) doc.deleteIn(['signals', code, 'alone']);
    else doc.setIn(['signals', code, 'alone'], round(model.alone[code]));
  }
  writeFileSync(path, doc.toString({ lineWidth: 0 }));
}

const round = (x: number) => Math.round(x * 100) / 100 || 0;

if (import.meta.url === `file://${process.argv[1]}`) {
  const dry = process.argv.includes('--dry-run');
  const dir = resolve(EVAL_DIR);
  const detector = await loadDetector();
  const rules = detector.rules.scoring;
  const items = collect(detector, dir);
  const train = items.filter((it) => !it.heldBack);
  const model = fit(train, rules);
  const top = Object.entries(model.weights)
    .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
    .slice(0, 25)
    .map(([c, w]) => `${c} ${round(w)}`);
  console.log(`fitted on ${train.length} items (held back ${items.length - train.length})`);
  console.log(`bias ${round(model.bias)}, thresholds ${JSON.stringify(model.thresholds)}`);
  console.log(`largest weights: ${top.join(', ')}`);
  if (!dry) {
    writeModel(model, {
      data: 'texts: all of ../shared/eval; URLs: phishing before 2024-01, 4 in 5 genuine (by id)',
      items: train.length,
      lambda: DEFAULT_FIT.lambda,
      text_share: DEFAULT_FIT.textShare,
      legit_text_boost: DEFAULT_FIT.legitTextBoost,
    });
    console.log(`written to ${SCORING}`);
  }
}
