// Turns signals into the verdict: a 0–100 score (a logistic model whose weights and thresholds
// npm run fit writes to rules/scoring.yaml), reasons worded for the user, most important first, and
// advice on what to do next.
import type { ScoringRules } from '../rules/schema.ts';
import type { Compiled, CompiledBrand } from './compile.ts';
import type { Reason, Risk, Signal, Verdict, VerdictEmail, VerdictPhone, VerdictUrl } from './types.ts';
import { sortSmall } from './small-sort.ts';

export interface ScoreInput {
  signals: Signal[];
  brand: CompiledBrand | null;
  scenario: string | null;
  urls: VerdictUrl[];
  emails: VerdictEmail[];
  phones: VerdictPhone[];
  hasContent: boolean;
  /** Every link, number and sender is the named organisation's own: never 危険. */
  allOfficial: boolean;
  /** Nothing to open, call, answer, send or pay: the words alone never make it 危険. */
  noRequest?: boolean;
  isMail: boolean;
  /** Registrable domain of a link that is not official: without other signs the verdict is unknown, not low. */
  unverifiedDomain?: string | null;
  /** The message is nothing but a link: link signs take their `alone` weights. */
  linkAlone?: boolean;
}

/** Each sign once, with how many different phrases showed it (capped at max_repeats): the model's features. */
export function features(rules: ScoringRules, signals: Signal[]): Map<string, Signal & { n: number }> {
  const unique = new Map<string, Signal & { n: number }>();
  for (const s of signals) {
    if (!rules.signals[s.code]) continue;
    const n = Math.min(s.count ?? 1, rules.max_repeats);
    const seen = unique.get(s.code);
    if (!seen) unique.set(s.code, { ...s, n });
    else seen.n = Math.max(seen.n, n);
  }
  return unique;
}

/** The model: probability × 100 that the message is a scam, before the official cap. */
export function points(
  rules: ScoringRules,
  feats: Iterable<[string, { n: number }]>,
  linkAlone = false,
): number {
  let z = rules.bias;
  for (const [code, f] of feats) z += weightOf(rules.signals[code]!, linkAlone) * f.n;
  return 100 / (1 + Math.exp(-z));
}

/** A sign's log-odds: its own weight for a bare link where the fit gave it one. */
export function weightOf(rule: ScoringRules['signals'][string], linkAlone: boolean): number {
  return linkAlone ? (rule.alone ?? rule.weight) : rule.weight;
}

const RISK_ORDER: Risk[] = ['high', 'medium', 'low', 'unknown'];

export function score(c: Compiled, input: ScoreInput): Verdict {
  const rules = c.rules.scoring;
  const order = catalogueOrder(rules.signals);
  // One reason per sign: the first occurrence carries the evidence shown.
  const unique = features(rules, input.signals);
  let value = points(rules, unique, input.linkAlone);
  if (input.allOfficial) value = Math.min(value, rules.official_cap);
  if (input.noRequest) value = Math.min(value, rules.no_request_cap);
  const rounded = Math.round(value);

  let risk: Risk;
  // Green needs positive grounds: a link the bot cannot vouch for leaves the verdict open (判定できません).
  const unverified = input.hasContent && rounded < rules.thresholds.medium && !!input.unverifiedDomain;
  if (!input.hasContent || unverified) risk = 'unknown';
  else if (rounded >= rules.thresholds.high) risk = 'high';
  else if (rounded >= rules.thresholds.medium) risk = 'medium';
  else risk = 'low';

  const signals: Signal[] = [...unique.values()].map(({ n: _n, ...s }) => s);
  if (!input.hasContent) signals.unshift({ code: 'no_content', vars: {} });
  if (unverified) signals.push({ code: 'unverified_site', vars: { domain: input.unverifiedDomain! } });
  const reasons: Reason[] = sortSmall(
    signals.map((s) => ({ s, rule: rules.signals[s.code]! })),
    (a, b) =>
      Number(a.rule.severity === 'info') - Number(b.rule.severity === 'info') ||
      weightOf(b.rule, !!input.linkAlone) - weightOf(a.rule, !!input.linkAlone) ||
      order.get(a.s.code)! - order.get(b.s.code)!,
  ).map(({ s, rule }) => ({
    code: s.code,
    severity: rule.severity,
    message: render(c, rule.message, s, input.brand),
  }));

  return {
    risk,
    score: input.hasContent ? rounded : 0,
    brand: input.brand ? { id: input.brand.id, name: input.brand.name } : null,
    scenario: input.scenario,
    reasons,
    urls: input.urls,
    emails: input.emails,
    phones: input.phones,
    advice: advice(c, risk, input, unverified),
  };
}

/** Each sign's place in scoring.yaml (ties in the reasons' order), per signals object: built once. */
const orders = new WeakMap<ScoringRules['signals'], Map<string, number>>();

function catalogueOrder(signals: ScoringRules['signals']): Map<string, number> {
  let order = orders.get(signals);
  if (!order) orders.set(signals, (order = new Map(Object.keys(signals).map((code, i) => [code, i]))));
  return order;
}

/** A message template split at its {placeholders}: literal text at even places, names at odd ones. */
const templates = new Map<string, string[]>();

function partsOf(template: string): string[] {
  let parts = templates.get(template);
  if (!parts) templates.set(template, (parts = template.split(/\{(\w+)\}/)));
  return parts;
}

function render(c: Compiled, template: string, s: Signal, brand: CompiledBrand | null): string {
  const vars: Record<string, string> = { ...s.vars };
  const owner = s.vars?.brandOf ? c.brandById.get(s.vars.brandOf) : undefined;
  vars.brand ??= owner?.name ?? brand?.name ?? 'この会社';
  vars.target ??= brand?.name ?? '';
  vars.official ??= brand ? brand.webDomains.slice(0, 2).join('、') : '';
  const parts = partsOf(template);
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) out += (vars[parts[i]!] ?? '') + parts[i + 1]!;
  return out;
}

function advice(c: Compiled, risk: Risk, input: ScoreInput, unverified: boolean): string[] {
  const a = c.rules.advice;
  const flagged = RISK_ORDER.indexOf(risk) <= 1;
  const scenarioLine = flagged && input.scenario ? a.by_scenario[input.scenario] : undefined;
  // The generic "check in the official app" line says nothing a story's own line (call #9110, never apply…)
  // does not say better.
  const brandCheck = input.brand?.rule.official_check?.text ?? (scenarioLine ? '' : a.generic_check);
  const base = unverified ? (a.unverified_site ?? ['{brand_check}']) : a.by_risk[risk];
  const lines = base.map((line) =>
    line.replace('{brand_check}', brandCheck).replaceAll('{brand}', input.brand?.name ?? ''),
  );
  if (flagged) {
    if (scenarioLine) lines.splice(1, 0, scenarioLine);
    if (input.isMail && input.brand) lines.push(a.mail_checklist.replaceAll('{brand}', input.brand.name));
  }
  return [...new Set(lines.filter((l) => l.trim() !== ''))];
}
