// Turns signals into the verdict: a 0–100 score (weights and thresholds from rules/scoring.yaml),
// reasons worded for the user, most important first, and advice on what to do next.
import type { Compiled, CompiledBrand } from './compile.ts';
import type { Reason, Risk, Signal, Verdict, VerdictEmail, VerdictPhone, VerdictUrl } from './types.ts';

export interface ScoreInput {
  signals: Signal[];
  brand: CompiledBrand | null;
  scenario: string | null;
  urls: VerdictUrl[];
  emails: VerdictEmail[];
  phones: VerdictPhone[];
  hasContent: boolean;
  allOfficial: boolean;
  /** All official, and the pasted headers show the sender passed SPF/DKIM/DMARC. */
  authenticated: boolean;
  otpNotice: boolean;
  namedRecipient: boolean;
  isMail: boolean;
  /** Registrable domain of a link that is not official: without other signs the verdict is unknown, not low. */
  unverifiedDomain?: string | null;
}

const RISK_ORDER: Risk[] = ['high', 'medium', 'low', 'unknown'];

export function score(c: Compiled, input: ScoreInput): Verdict {
  const rules = c.rules.scoring;
  const order = Object.keys(rules.signals);
  // One reason per sign: the first occurrence carries the evidence shown.
  const unique = new Map<string, Signal>();
  for (const s of input.signals) if (!unique.has(s.code) && rules.signals[s.code]) unique.set(s.code, s);

  let keep = 1;
  for (const s of unique.values())
    keep *= (1 - rules.signals[s.code]!.weight) ** Math.min(s.count ?? 1, rules.max_repeats);
  let value = 100 * (1 - keep);
  if (input.allOfficial) value = Math.min(value * rules.dampers.all_official, rules.official_cap);
  if (input.authenticated) value *= rules.dampers.authenticated_official;
  if (input.otpNotice) value *= rules.dampers.otp_notice;
  if (input.namedRecipient) value *= rules.dampers.named_recipient;
  const points = Math.round(value);

  let risk: Risk;
  // Green needs positive grounds: a link the bot cannot vouch for leaves the verdict open (判定できません).
  const unverified = input.hasContent && points < rules.thresholds.medium && !!input.unverifiedDomain;
  if (!input.hasContent || unverified) risk = 'unknown';
  else if (points >= rules.thresholds.high) risk = 'high';
  else if (points >= rules.thresholds.medium) risk = 'medium';
  else risk = 'low';

  const signals = [...unique.values()];
  if (!input.hasContent) signals.unshift({ code: 'no_content', vars: {} });
  if (unverified) signals.push({ code: 'unverified_site', vars: { domain: input.unverifiedDomain! } });
  const reasons: Reason[] = signals
    .map((s) => ({ s, rule: rules.signals[s.code]! }))
    .sort(
      (a, b) =>
        Number(a.rule.severity === 'info') - Number(b.rule.severity === 'info') ||
        b.rule.weight - a.rule.weight ||
        order.indexOf(a.s.code) - order.indexOf(b.s.code),
    )
    .map(({ s, rule }) => ({
      code: s.code,
      severity: rule.severity,
      message: render(c, rule.message, s, input.brand),
    }));

  return {
    risk,
    score: input.hasContent ? points : 0,
    brand: input.brand ? { id: input.brand.id, name: input.brand.name } : null,
    scenario: input.scenario,
    reasons,
    urls: input.urls,
    emails: input.emails,
    phones: input.phones,
    advice: advice(c, risk, input, unverified),
  };
}

function render(c: Compiled, template: string, s: Signal, brand: CompiledBrand | null): string {
  const vars: Record<string, string> = { ...s.vars };
  const owner = s.vars?.brandOf ? c.brandById.get(s.vars.brandOf) : undefined;
  vars.brand ??= owner?.name ?? brand?.name ?? 'この会社';
  vars.target ??= brand?.name ?? '';
  vars.official ??= brand ? brand.webDomains.slice(0, 2).join('、') : '';
  return template.replace(/\{(\w+)\}/g, (_, key: string) => vars[key] ?? '');
}

function advice(c: Compiled, risk: Risk, input: ScoreInput, unverified: boolean): string[] {
  const a = c.rules.advice;
  const brandCheck = input.brand?.rule.official_check?.text ?? a.generic_check;
  const base = unverified ? (a.unverified_site ?? ['{brand_check}']) : a.by_risk[risk];
  const lines = base.map((line) =>
    line.replace('{brand_check}', brandCheck).replaceAll('{brand}', input.brand?.name ?? ''),
  );
  if (RISK_ORDER.indexOf(risk) <= 1) {
    const scenarioLine = input.scenario ? a.by_scenario[input.scenario] : undefined;
    if (scenarioLine) lines.splice(1, 0, scenarioLine);
    if (input.isMail && input.brand) lines.push(a.mail_checklist.replaceAll('{brand}', input.brand.name));
  }
  return [...new Set(lines.filter((l) => l.trim() !== ''))];
}
