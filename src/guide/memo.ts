// The 相談メモ: what arrived (from the stored verdict, never the message text), what the person did,
// which steps they marked done and when, and whom they contacted, as plain text to read out to the
// police or the consumer hotline.
import { fill, type Copy } from '../words.ts';
import type { FlowVerdict, Flow } from './flow.ts';
import { effectiveIntents } from './compose.ts';
import { fillCopy, stepMemo } from './render.ts';
import type { GuideRules } from '../rules/guide.ts';
import { formatWhen } from './when.ts';

export function buildMemo(
  rules: GuideRules,
  replies: Copy,
  flow: Flow | null,
  verdict: FlowVerdict | null,
  now: number,
): string {
  const m = rules.copy.memo;
  const brand = verdict?.brand ? (rules.brands.get(verdict.brand) ?? null) : null;
  const out: string[] = [
    `${m.title}\n${fillCopy(rules, m.made_at, { when: formatWhen(now, now, true) })}`,
    fillCopy(rules, m.lead),
  ];

  const arrived = [m.arrived_heading];
  if (verdict) {
    arrived.push(fill(m.arrived_when, { when: formatWhen(verdict.at, now, true) }));
    if (brand) arrived.push(fill(m.arrived_brand, { brand: brand.name }));
    const story = verdict.scenario ? rules.copy.scenario_labels[verdict.scenario] : undefined;
    if (story) arrived.push(fill(m.arrived_scenario, { scenario: story }));
    arrived.push(fill(m.arrived_verdict, { title: replies.verdict.title[verdict.risk] }));
  } else arrived.push(m.arrived_none);
  out.push(arrived.join('\n'));

  const did = [m.did_heading];
  const intents = flow && !flow.assumed ? effectiveIntents(flow.intents) : [];
  if (intents.length) for (const i of intents) did.push(`・${rules.copy.intent_labels[i]}`);
  else did.push(m.did_none);
  out.push(did.join('\n'));

  const done = [m.done_heading];
  const contacted = new Map<string, string>();
  const marks = [...(flow?.done ?? [])].sort((a, b) => a[1] - b[1]);
  for (const [id, at] of marks) {
    const step = rules.steps.get(id);
    if (!step) continue;
    done.push(fill(m.done_line, { when: formatWhen(at, now, true), memo: stepMemo(rules, step, brand) }));
    const c = step.reached ? rules.contacts.get(step.reached) : undefined;
    if (c && !contacted.has(c.id))
      contacted.set(
        c.id,
        c.phone
          ? fill(m.called_line_phone, { name: c.name, phone: c.phone })
          : fill(m.called_line, { name: c.name }),
      );
  }
  if (done.length === 1) done.push(m.done_none);
  out.push(done.join('\n'));
  if (contacted.size) out.push([m.called_heading, ...contacted.values()].join('\n'));

  out.push(m.footer);
  return out.join('\n\n');
}
