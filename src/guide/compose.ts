// Which steps, in which order, for what the person did: the playbooks of every intent merged, the most
// urgent first (money sent and stolen cards before passwords, reporting last), each step once, plus the
// extra steps of the brand (or, with no brand, the story) of the last verdict. A step another step
// covers (the same instruction) and a step that no longer applies (unless) are left out, and a merged
// guide keeps each action's most urgent step before filling up to max_steps by urgency.
import type { Risk } from '../detector/types.ts';
import { ACTION_INTENTS, type ActionIntent } from '../rules/schema.ts';
import type { GuideRules, StepDef } from '../rules/guide.ts';

export interface Situation {
  /** Brand id of the last verdict (brands.yaml). */
  brand: string | null;
  scenario: string | null;
  /** The last verdict's risk; a low or unknown one leaves out the warned_only steps. */
  risk?: Risk | null;
}

/** Step ids, most urgent first. */
export function composeSteps(rules: GuideRules, intents: ActionIntent[], s: Situation): string[] {
  const acts = effectiveIntents(intents);
  const step = (id: string) => rules.steps.get(id)!;
  // Each candidate remembers the first intent (most damaging first) whose playbook brought it.
  const owner = new Map<string, ActionIntent | null>();
  const add = (id: string, by: ActionIntent | null) => {
    if (!owner.has(id)) owner.set(id, by);
  };
  for (const intent of ACTION_INTENTS)
    if (acts.includes(intent)) rules.playbooks.playbooks[intent].forEach((id) => add(id, intent));

  const replaced = new Set<string>();
  const extras = (list: StepDef[]) => {
    for (const x of list) {
      const mine = x.for ? ACTION_INTENTS.filter((i) => acts.includes(i) && x.for!.includes(i)) : acts;
      if (!mine.length) continue;
      if (x.replaces) {
        if (replaced.has(x.replaces)) continue;
        if (owner.has(x.replaces)) {
          replaced.add(x.replaces);
          add(x.id, owner.get(x.replaces)!);
          continue;
        }
        // What it replaces is not in this guide: it stands on its own only when it names its intents.
        if (!x.for) continue;
      }
      add(x.id, mine[0]!);
    }
  };
  const pick = (ids: { id: string }[] | undefined) => (ids ?? []).map((x) => step(x.id));
  if (s.brand) extras(pick(rules.playbooks.brands[s.brand]));
  if (s.scenario && !s.brand) extras(pick(rules.playbooks.scenarios[s.scenario]));

  let ids = [...owner.keys()].filter((id) => !replaced.has(id));
  // Steps that no longer apply, then steps another step of this guide already says.
  ids = ids.filter((id) => !step(id).unless.some((i) => acts.includes(i)));
  if (s.risk === 'low' || s.risk === 'unknown') ids = ids.filter((id) => !step(id).warned_only);
  const covered = new Set(ids.flatMap((id) => step(id).covers));
  ids = ids.filter((id) => !covered.has(id));

  const order = [...owner.keys()];
  const byUrgency = (a: string, b: string) =>
    step(a).urgency - step(b).urgency || order.indexOf(a) - order.indexOf(b);
  const max = rules.playbooks.max_steps;
  if (ids.length <= max) return ids.sort(byUrgency);
  // Too many: each action's most urgent step (most damaging action first), then each one's second …
  const queues = acts.map((intent) => ids.filter((id) => owner.get(id) === intent).sort(byUrgency));
  const chosen: string[] = [];
  for (let round = 0; chosen.length < max && queues.some((q) => q.length > round); round++)
    for (const q of queues) if (q[round] !== undefined && chosen.length < max) chosen.push(q[round]!);
  return chosen.sort(byUrgency);
}

/** nothing_done only stands when nothing else was done; the order is the most damaging first. */
export function effectiveIntents(intents: ActionIntent[]): ActionIntent[] {
  const others = intents.filter((i) => i !== 'nothing_done');
  const kept = others.length ? others : intents;
  return ACTION_INTENTS.filter((i) => kept.includes(i));
}
