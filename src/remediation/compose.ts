// Which steps, in which order, for what the person did: the playbooks of every intent merged, the most
// urgent first (money sent and stolen cards before passwords, reporting last), each step once, plus the
// extra steps of the brand (or, with no brand, the story) of the last verdict.
import { ACTION_INTENTS, type ActionIntent } from '../rules/schema.ts';
import type { GuideRules, StepDef } from './rules.ts';

export interface Situation {
  /** Brand id of the last verdict (brands.yaml). */
  brand: string | null;
  scenario: string | null;
}

/** Step ids, most urgent first. */
export function composeSteps(rules: GuideRules, intents: ActionIntent[], s: Situation): string[] {
  const acts = effectiveIntents(intents);
  const order = new Map<string, number>();
  const add = (id: string) => {
    if (!order.has(id)) order.set(id, order.size);
  };
  // Ties in urgency keep the order of the more damaging intent's playbook.
  for (const intent of ACTION_INTENTS)
    if (acts.includes(intent)) rules.playbooks.playbooks[intent].forEach(add);

  const replaced = new Set<string>();
  const extras = (list: StepDef[]) => {
    for (const step of list) {
      if (step.for && !step.for.some((i) => acts.includes(i))) continue;
      if (step.replaces) {
        if (!order.has(step.replaces) || replaced.has(step.replaces)) continue;
        replaced.add(step.replaces);
      }
      add(step.id);
    }
  };
  const pick = (ids: { id: string }[] | undefined) => (ids ?? []).map((x) => rules.steps.get(x.id)!);
  if (s.brand) extras(pick(rules.playbooks.brands[s.brand]));
  else if (s.scenario) extras(pick(rules.playbooks.scenarios[s.scenario]));

  return [...order.keys()]
    .filter((id) => !replaced.has(id))
    .sort(
      (a, b) => rules.steps.get(a)!.urgency - rules.steps.get(b)!.urgency || order.get(a)! - order.get(b)!,
    );
}

/** nothing_done only stands when nothing else was done; the order is the most damaging first. */
export function effectiveIntents(intents: ActionIntent[]): ActionIntent[] {
  const others = intents.filter((i) => i !== 'nothing_done');
  const kept = others.length ? others : intents;
  return ACTION_INTENTS.filter((i) => kept.includes(i));
}
