// A person's place in the guide (a flow) and what can happen to it: started, steps worked out again
// after they said more, a step done, the next one, back to the first. Pure functions: each takes a
// flow and returns a new one; the store (flow-store.ts) and the words (messages.ts) live elsewhere.
import type { ChatContext } from '../store/context.ts';
import type { Risk } from '../detector/types.ts';
import type { GuideRules } from '../rules/guide.ts';
import type { ActionIntent } from '../rules/schema.ts';
import { composeSteps, effectiveIntents } from './compose.ts';

/** The last verdict as the flow keeps it: codes and a time, never the message. */
export type FlowVerdict = {
  risk: Risk;
  brand: string | null;
  scenario: string | null;
  at: number;
  /** The message was a mail (else an SMS or LINE message: the steps say メッセージ). */
  mail?: boolean;
};

export type Flow = {
  /** Carried by the step buttons, so a button of an older guide is recognised. */
  id: string;
  intents: ActionIntent[];
  /** Started from 「どうすればいい？」 after a verdict, before the person said what they did. */
  assumed: boolean;
  verdict: FlowVerdict | null;
  /** Step ids in the order shown. */
  steps: string[];
  /** Index of the step on screen; steps.length once the last one is passed. */
  pos: number;
  /** [step id, when marked done]. */
  done: [string, number][];
  /** The bot asked "what did you enter?" and waits for the answer. */
  awaiting: 'entered' | null;
  started: number;
  updated: number;
};

export function verdictOf(ctx: ChatContext | null): FlowVerdict | null {
  if (!ctx) return null;
  const v: FlowVerdict = { risk: ctx.risk, brand: ctx.brand?.id ?? null, scenario: ctx.scenario, at: ctx.at };
  if (ctx.mail) v.mail = true;
  return v;
}

export function isDone(flow: Flow, stepId: string): boolean {
  return flow.done.some(([id]) => id === stepId);
}

/** True once the last step is passed. */
export function isFinished(flow: Flow): boolean {
  return flow.pos >= flow.steps.length;
}

/** A new flow with no steps yet (recompute gives them). */
export function fresh(
  id: string,
  intents: ActionIntent[],
  assumed: boolean,
  verdict: FlowVerdict | null,
  now: number,
): Flow {
  return {
    id,
    intents,
    assumed,
    verdict,
    steps: [],
    pos: 0,
    done: [],
    awaiting: null,
    started: now,
    updated: now,
  };
}

/** The steps for the flow's intents and verdict; marks of steps no longer there dropped; on the first step to do. */
export function recompute(rules: GuideRules, f: Flow): Flow {
  const steps = composeSteps(rules, f.intents, {
    brand: f.verdict?.brand ?? null,
    scenario: f.verdict?.scenario ?? null,
    risk: f.verdict?.risk ?? null,
  });
  const next: Flow = { ...f, steps, done: f.done.filter(([id]) => steps.includes(id)) };
  const first = steps.findIndex((id) => !isDone(next, id));
  return { ...next, pos: first < 0 ? steps.length : first };
}

/**
 * The stored flow when it is about the message being talked about (`ctx`: the last verdict, or the
 * one before it when the person pointed there), or when there is no verdict; else null.
 */
export function current(flow: Flow | null, ctx: ChatContext | null, last: ChatContext | null): Flow | null {
  if (!flow) return null;
  if (!ctx || flow.verdict?.at === ctx.at) return flow;
  // Talking on about the earlier message's guide, without naming it again.
  if (last?.previous && flow.verdict?.at === last.previous.at && flow.started >= last.at) return flow;
  // Started before the message was checked: the verdict now belongs to it.
  if (flow.verdict === null && ctx.at >= flow.started) return { ...flow, verdict: verdictOf(ctx) };
  return null;
}

/** More intents in the same flow; `added`: those that change its steps (recomputed then). */
export function extend(
  rules: GuideRules,
  f: Flow,
  intents: ActionIntent[],
  assumed: boolean,
): { flow: Flow; added: ActionIntent[] } {
  const before = effectiveIntents(f.intents);
  const all = [...new Set([...f.intents, ...intents])];
  const added = effectiveIntents(all).filter((i) => !before.includes(i));
  const next: Flow = { ...f, intents: all, assumed: f.assumed && assumed, awaiting: null };
  return { flow: added.length ? recompute(rules, next) : next, added };
}

/** A step of one of these intents' playbooks, or an extra step for one of them. */
export function belongsTo(rules: GuideRules, id: string, intents: ActionIntent[]): boolean {
  const step = rules.steps.get(id)!;
  const book = rules.playbooks.playbooks;
  return intents.some(
    (i) =>
      book[i].includes(id) ||
      step.for?.includes(i) === true ||
      (step.replaces !== undefined && book[i].includes(step.replaces)),
  );
}

/** できた: the step marked done (once, with the time), then on to the next step still to do. */
export function done(f: Flow, step: string, now: number): Flow {
  const at = f.steps.indexOf(step);
  const marks: Flow['done'] = isDone(f, step) ? f.done : [...f.done, [step, now]];
  const marked = { ...f, done: marks };
  const next = f.steps.findIndex((id, i) => i > at && !isDone(marked, id));
  return { ...marked, pos: next < 0 ? f.steps.length : next };
}

/** 次へ: simply the step after this one, done or not. */
export function next(f: Flow, step: string): Flow {
  return { ...f, pos: f.steps.indexOf(step) + 1 };
}

/** 最初から. */
export function restart(f: Flow): Flow {
  return { ...f, pos: 0 };
}

/** The person was asked what they entered; their next words are read as that answer. */
export function awaitEntered(f: Flow): Flow {
  return { ...f, awaiting: 'entered' };
}
