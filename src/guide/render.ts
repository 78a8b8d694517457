// The words of a step: placeholders filled from contacts.yaml and brands.yaml, the contacts under it,
// the 「ステップ 2/5」 header.
import type { BrandRule, ContactRule } from '../rules/schema.ts';
import { fill } from '../words.ts';
import { LIMITS } from '../line/limits.ts';
import { brandValue, type GuideRules, type StepDef } from '../rules/guide.ts';

const PLACEHOLDER = /\{(\w+)(?::(\w+))?\}/g;

/** Fills {phone:ID}-style contact details, brand details, {service} and {more}; null if one is missing. */
export function fillStep(rules: GuideRules, text: string, brand: BrandRule | null): string | null {
  let missing = false;
  const out = text.replace(PLACEHOLDER, (whole, name: string, arg: string | undefined) => {
    if (arg !== undefined) {
      const v = rules.contacts.get(arg)?.[name as keyof ContactRule];
      if (typeof v === 'string') return v;
    } else if (name === 'service') return brand?.name ?? rules.copy.service_fallback;
    else if (name === 'more') return rules.copy.buttons.more;
    else if (brand) {
      const v = brandValue(brand, name);
      if (v !== null) return v;
    }
    missing = true;
    return whole;
  });
  return missing ? null : out;
}

/** Copy of guide.yaml with {phone:ID} details and {name} variables filled. */
export function fillCopy(
  rules: GuideRules,
  template: string,
  vars: Record<string, string | number> = {},
): string {
  return fill(fillStep(rules, template, null) ?? template, vars);
}

export function stepText(rules: GuideRules, step: StepDef, brand: BrandRule | null): string {
  if (brand && step.text_with_brand) {
    const t = fillStep(rules, step.text_with_brand, brand);
    if (t !== null) return t;
  }
  // Checked at start-up: a general step's text needs no brand, a brand step's brand has every detail.
  return fillStep(rules, step.text, brand) ?? step.text;
}

export function stepMemo(rules: GuideRules, step: StepDef, brand: BrandRule | null): string {
  return fillStep(rules, step.memo, brand) ?? step.memo;
}

/** How to reach a contact: its phone (and hours), else its mail address and page. Nothing to show: null. */
export function contactLines(rules: GuideRules, c: ContactRule): string[] | null {
  const t = rules.copy.texts;
  const lines: string[] = [];
  if (c.phone) lines.push(fill(t.contact_phone, { phone: c.phone }));
  if (c.email) lines.push(fill(t.contact_email, { email: c.email }));
  if (!c.phone && c.url) lines.push(c.url);
  if (!lines.length) return null;
  if (c.hours) lines.push(fill(t.contact_hours, { hours: c.hours }));
  // Indented with an ideographic space, as Japanese text is.
  return [`・${c.name}`, ...lines.map((l) => `\u3000${l}`)];
}

export function contactsBlock(rules: GuideRules, ids: string[]): string | null {
  const blocks = ids
    .map((id) => rules.contacts.get(id))
    .filter((c) => c !== undefined)
    .map((c) => contactLines(rules, c))
    .filter((l) => l !== null);
  if (!blocks.length) return null;
  return [rules.copy.texts.contacts_heading, ...blocks.flat()].join('\n');
}

/** One step as a message text: header with progress, what to do, who to call. */
export function renderStep(
  rules: GuideRules,
  step: StepDef,
  n: number,
  total: number,
  done: boolean,
  brand: BrandRule | null,
): string {
  const t = rules.copy.texts;
  const header = fill(t.step_header, { n, total }) + (done ? t.step_done_mark : '');
  // Hosts named in the words (自分で入力する amazon.co.jp) can only be brands' official domains
  // (checked at start-up), so they are written as the person is to type them.
  const parts = [`${header}\n${stepText(rules, step, brand)}`];
  const contacts = contactsBlock(rules, step.contacts);
  if (contacts) parts.push(contacts);
  return parts.join('\n\n');
}

/**
 * Parts joined by blank lines into as few message texts as LINE's text limit allows, at most one
 * reply's worth; past that, the last text becomes `more` (a pointer to the rest).
 */
export function packTexts(
  parts: string[],
  more: string,
  limit: number = LIMITS.textUnits,
  max: number = LIMITS.messagesPerReply,
): string[] {
  const texts: string[] = [];
  let cur = '';
  for (const p of parts) {
    if (cur && cur.length + 2 + p.length > limit) {
      texts.push(cur);
      cur = p;
    } else cur = cur ? `${cur}\n\n${p}` : p;
  }
  if (cur) texts.push(cur);
  if (texts.length > max) {
    texts.length = max;
    texts[max - 1] = more;
  }
  return texts;
}
