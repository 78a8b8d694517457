// Shared checks for detector tests: the verdict shape of ../shared/CONTRACT.md §2 as a zod schema, and the
// rules every verdict must keep (scores and risks agree, reasons ordered and worded for the user).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { z } from 'zod';
import type { Verdict } from '../../src/detector/index.ts';
import { loadRules } from '../../src/rules/load.ts';
import { EVAL_DIR, hasEvalData } from './eval-data.ts';

/** The repository's rules, read once per test file (cheap: no dictionary). */
export const rules = loadRules();
export const scoring = rules.scoring;

export const SEVERITIES = ['high', 'medium', 'low', 'info'] as const;
export const RISKS = ['high', 'medium', 'low', 'unknown'] as const;

const parsableUrl = z.string().refine((s) => URL.canParse(s), { message: 'not a URL' });

/** CONTRACT §2, strict: no key the contract does not name (hostUnicode is the one documented extension). */
export const VerdictSchema = z.strictObject({
  risk: z.enum(RISKS),
  score: z.number().int().min(0).max(100),
  brand: z.strictObject({ id: z.string().min(1), name: z.string().min(1) }).nullable(),
  scenario: z.string().min(1).nullable(),
  reasons: z.array(
    z.strictObject({
      code: z.string().regex(/^[a-z0-9_]+$/),
      severity: z.enum(SEVERITIES),
      message: z.string().min(1),
    }),
  ),
  urls: z.array(
    z.strictObject({
      url: parsableUrl,
      host: z.string().min(1),
      domain: z.string().min(1),
      official: z.boolean(),
      codes: z.array(z.string().regex(/^[a-z0-9_]+$/)),
      hostUnicode: z.string().min(1).optional(),
    }),
  ),
  emails: z.array(
    z.strictObject({
      address: z.string().regex(/^[^@\s]+@[^@\s]+$/),
      domain: z.string().min(1),
      official: z.boolean(),
    }),
  ),
  phones: z.array(
    z.strictObject({ number: z.string().min(1), codes: z.array(z.string().regex(/^[a-z0-9_]+$/)) }),
  ),
  advice: z.array(z.string().min(1)).min(1),
});

/** Hiragana, katakana or kanji: the text is Japanese, not an English fallback. */
export const JAPANESE = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;
/** Signs of a template whose placeholder was not filled: {host}, or an empty 「」 / （） left behind. */
export const UNFILLED = /\{[a-z_]+\}|「」|（）|\(\)/;

export function weightOf(code: string): number {
  const rule = scoring.signals[code];
  if (!rule) throw new Error(`reason code ${code} is not in rules/scoring.yaml`);
  return rule.weight;
}

/**
 * Everything that must hold for any verdict, whatever the input: the contract's shape, a score and risk that
 * agree with the thresholds of rules/scoring.yaml, documented reason codes with their documented severity,
 * reasons by decreasing weight, and user-facing Japanese without unfilled placeholders.
 */
export function expectContract(v: Verdict): void {
  const parsed = VerdictSchema.safeParse(v);
  if (!parsed.success) throw new Error(`verdict does not match CONTRACT §2: ${parsed.error.message}`);

  const { thresholds } = scoring;
  if (v.risk === 'unknown' && v.reasons.some((r) => r.code === 'unverified_site')) {
    // A link the bot cannot vouch for, with too little against it to warn (see rules/scoring.yaml).
    expect(v.score).toBeLessThan(thresholds.medium);
  } else if (v.risk === 'unknown') {
    expect(v.score).toBe(0);
    expect(v.reasons.map((r) => r.code)).toContain('no_content');
  } else {
    const expected = v.score >= thresholds.high ? 'high' : v.score >= thresholds.medium ? 'medium' : 'low';
    expect(v.risk, `score ${v.score}`).toBe(expected);
  }

  const codes = v.reasons.map((r) => r.code);
  expect(new Set(codes).size, `duplicate reasons: ${codes.join(',')}`).toBe(codes.length);
  for (const r of v.reasons) {
    const rule = scoring.signals[r.code];
    expect(rule, `reason ${r.code} is documented in rules/scoring.yaml`).toBeDefined();
    expect(r.severity, r.code).toBe(rule!.severity);
    expect(r.message.trim(), r.code).not.toBe('');
    expect(r.message, `${r.code}: ${r.message}`).not.toMatch(UNFILLED);
    expect(r.message, `${r.code} is Japanese`).toMatch(JAPANESE);
  }
  // Most important first: by weight, with the informational notes after every sign.
  const isInfo = v.reasons.map((r) => r.severity === 'info');
  const firstInfo = isInfo.indexOf(true);
  if (firstInfo >= 0)
    expect(isInfo.slice(firstInfo).every(Boolean), `info reasons last: ${codes.join(',')}`).toBe(true);
  // (A message that is nothing but a link is ordered by the signs' link-alone weights; the verdict does not
  // say which it was, so either order is accepted.)
  const signs = codes.filter((_, i) => !isInfo[i]);
  const ordered = (ws: number[]) => ws.every((w, i) => i === 0 || w <= ws[i - 1]!);
  const inText = signs.map(weightOf);
  const alone = signs.map((c) => scoring.signals[c]!.alone ?? weightOf(c));
  expect(ordered(inText) || ordered(alone), `reasons ordered by weight: ${codes.join(',')}`).toBe(true);

  for (const a of v.advice) {
    expect(a.trim()).not.toBe('');
    expect(a, a).not.toMatch(/[{}]/);
    expect(a, a).toMatch(JAPANESE);
  }
  for (const u of v.urls) {
    // Official: a brand's domain (official_link) or a zone only public bodies can use (government_domain).
    expect(u.official, `official link has only the official_link code: ${u.url}`).toBe(
      u.codes.length === 1 && (u.codes[0] === 'official_link' || u.codes[0] === 'government_domain'),
    );
  }
}

export const reasonCodes = (v: Verdict): string[] => v.reasons.map((r) => r.code);
export const urlCodes = (v: Verdict, i = 0): string[] => v.urls[i]?.codes ?? [];

/**
 * Lines of one of the shared evaluation sets (EVAL_DIR), for realism; tests never depend on one item, and get
 * none when the data is missing (test/support/eval-data.ts says so).
 */
export function evalTexts(file: string): { id: string; text: string }[] {
  if (!hasEvalData) return [];
  return readFileSync(join(EVAL_DIR, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { id: string; text: string });
}
