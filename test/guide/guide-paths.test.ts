// Every guide path: each action alone, every pair, and all of them together, with every brand and
// every story that has steps of its own. A guide stays short (rules: max_steps, never above 8), is
// ordered by urgency, and never gives the same instruction twice.
import { describe, expect, it } from 'vitest';
import { composeSteps, effectiveIntents } from '../../src/guide/compose.ts';
import { renderStep } from '../../src/guide/render.ts';
import { loadGuideRules } from '../../src/rules/guide.ts';
import { ACTION_INTENTS, type ActionIntent } from '../../src/rules/schema.ts';

const rules = loadGuideRules();
const HARD_LIMIT = 8;

/** Steps that tell the person to reach the police, or to stop a card: one of each per guide. */
const POLICE = new Set(['police_emergency_110', 'police_consultation_9110']);
const CARD_STOP = /カードを止め/;

type Situation = { brand: string | null; scenario: string | null; risk?: 'high' | 'low' };
const situations: Situation[] = [
  { brand: null, scenario: null },
  // After a message with no danger sign: nothing to report or delete.
  { brand: null, scenario: null, risk: 'low' },
  ...Object.keys(rules.playbooks.brands).map((brand) => ({ brand, scenario: null })),
  ...Object.keys(rules.playbooks.scenarios).map((scenario) => ({ brand: null, scenario })),
];

const paths: ActionIntent[][] = [
  ...ACTION_INTENTS.map((i) => [i]),
  ...ACTION_INTENTS.flatMap((a, i) => ACTION_INTENTS.slice(i + 1).map((b) => [a, b])),
  [...ACTION_INTENTS],
];

function check(intents: ActionIntent[], s: Situation) {
  const where = `${intents.join('+')} ${s.brand ?? s.scenario ?? '-'}`;
  const ids = composeSteps(rules, intents, s);
  expect(ids.length, where).toBeGreaterThan(0);
  expect(ids.length, where).toBeLessThanOrEqual(Math.min(HARD_LIMIT, rules.playbooks.max_steps));
  expect(new Set(ids).size, where).toBe(ids.length);
  const steps = ids.map((id) => rules.steps.get(id)!);
  // By urgency.
  const urgency = steps.map((x) => x.urgency);
  expect(urgency, where).toEqual([...urgency].sort((a, b) => a - b));
  // No step that another one of the guide says already, none that no longer applies.
  const acts = effectiveIntents(intents);
  for (const x of steps) {
    for (const c of x.covers) expect(ids, `${where}: ${x.id} covers ${c}`).not.toContain(c);
    expect(
      x.unless.some((i) => acts.includes(i)),
      `${where}: ${x.id} no longer applies`,
    ).toBe(false);
  }
  // Never the same words, the same memo line, or two steps of one kind.
  const brand = s.brand ? rules.brands.get(s.brand)! : null;
  const texts = steps.map((x, i) => renderStep(rules, x, i + 1, ids.length, false, brand).split('\n')[1]);
  expect(new Set(texts).size, where).toBe(texts.length);
  expect(new Set(steps.map((x) => x.memo)).size, where).toBe(steps.length);
  expect(steps.filter((x) => x.contacts.some((c) => POLICE.has(c))).length, where).toBeLessThanOrEqual(1);
  expect(texts.filter((t) => CARD_STOP.test(t!)).length, where).toBeLessThanOrEqual(1);
  return ids;
}

describe('every guide path', () => {
  it(`each action alone, every pair and all together, with each brand and story: ≤ ${HARD_LIMIT} steps, no instruction twice`, () => {
    let walked = 0;
    for (const s of situations)
      for (const intents of paths) {
        check(intents, s);
        walked++;
      }
    expect(walked).toBe(situations.length * paths.length);
  });

  it('the first step of each action is the one that limits the damage now', () => {
    const first = (i: ActionIntent, brand: string | null = null) =>
      composeSteps(rules, [i], { brand, scenario: null })[0];
    expect(first('entered_card')).toBe('card_stop');
    expect(first('entered_card', 'jcb')).toBe('jcb_card_stop');
    expect(first('money_sent')).toBe('money_police');
    expect(first('entered_bank')).toBe('bank_call');
    expect(first('entered_password')).toBe('pw_change');
    expect(first('gift_card')).toBe('gift_issuer');
    expect(first('code_sent')).toBe('line_code_check');
    expect(first('app_installed')).toBe('device_airplane');
    expect(first('called_number')).toBe('call_stop');
  });

  it('tells nobody to report or delete a message that showed no sign of danger', () => {
    const low = composeSteps(rules, ['nothing_done'], { brand: null, scenario: null, risk: 'low' });
    expect(low).toEqual(['check_official']);
  });

  it('keeps the most urgent step of every action when they do not all fit', () => {
    const ids = composeSteps(rules, ['money_sent', 'entered_card', 'entered_password', 'app_installed'], {
      brand: null,
      scenario: null,
    });
    for (const id of ['money_police', 'card_stop', 'pw_change', 'device_airplane']) expect(ids).toContain(id);
  });
});
