// What one thing the person did (a tap, their words, a button under a verdict) does to their flow,
// and which answer it gets: a pure function from the state the guide read to the flow to save and a
// description of the reply (messages.ts turns it into words and buttons).
import type { ChatContext } from '../store/context.ts';
import type { GuideRules } from '../rules/guide.ts';
import type { ActionIntent } from '../rules/schema.ts';
import type { GuideAction, Question } from './buttons.ts';
import * as flows from './flow.ts';
import type { Flow } from './flow.ts';
import type { NavOp } from './understand.ts';

export type GuideInput =
  | { op: 'add'; intents: ActionIntent[]; assumed: boolean }
  | { op: 'help' }
  | { op: 'ask'; q: Question }
  | { op: 'memo' }
  /** Typed 「カード会社に電話しました」. */
  | { op: 'contacted' }
  /** できた / 次へ / … typed instead of tapped. */
  | { op: 'nav'; nav: NavOp }
  | { op: 'tap'; action: GuideAction };

export interface GuideState {
  rules: GuideRules;
  /** The flow as stored (or as the inputs before this one left it). */
  flow: Flow | null;
  /** The verdict talked about: the last one, or the one before it when the person pointed there. */
  ctx: ChatContext | null;
  last: ChatContext | null;
  now: number;
  /** The id a new flow gets (made by the caller, so this stays pure). */
  newId: string;
}

/** Said before the step on screen. */
export type Lead =
  | { kind: 'resumed' | 'replaced' | 'contacted' }
  /** What was just added; `first`: its most urgent step when another one stays on screen. */
  | { kind: 'added'; added: ActionIntent[]; first: number | null };

export type Reply =
  /** The intro and the first step of a new flow. */
  | { kind: 'start' }
  /** The step on screen (or the end); `note`: extra facts for the log, always as a step. */
  | { kind: 'step'; lead?: Lead; note?: Record<string, number | boolean> }
  | { kind: 'ask'; q: Question; expired?: boolean }
  | { kind: 'memo' }
  | { kind: 'summary' };

export interface Applied {
  /** The flow after the input; what messages.ts renders. */
  flow: Flow | null;
  /** Whether the flow is written back (refreshing its 7 days). */
  save: boolean;
  reply: Reply;
}

export function apply(s: GuideState, input: GuideInput): Applied {
  switch (input.op) {
    case 'add':
      return add(s, input.intents, input.assumed);
    case 'help': {
      const cur = flows.current(s.flow, s.ctx, s.last);
      if (cur && cur.steps.length)
        return { flow: cur, save: true, reply: { kind: 'step', lead: { kind: 'resumed' } } };
      // Ask what happened (the few likeliest answers first) rather than guess "nothing yet".
      return ask(s, 'happened');
    }
    case 'ask':
      return ask(s, input.q);
    case 'memo':
      return { flow: s.flow, save: false, reply: { kind: 'memo' } };
    case 'contacted':
      return contacted(s);
    case 'nav':
      return nav(s, input.nav);
    case 'tap':
      return tap(s, input.action);
  }
}

/** What the person did: a new flow, or added to the one about the same message. */
function add(s: GuideState, intents: ActionIntent[], assumed: boolean): Applied {
  let cur = flows.current(s.flow, s.ctx, s.last);
  // A flow started before the person said what they did: what they say now is the real start.
  if (cur && cur.assumed && intents.some((i) => i !== 'nothing_done')) cur = { ...cur, intents: [] };
  if (cur && cur.intents.length) {
    const { flow, added } = flows.extend(s.rules, cur, intents, assumed);
    // What was just said gets its answer now, even when a more urgent step stays on screen.
    const first = flow.steps.findIndex((id) => flows.belongsTo(s.rules, id, added));
    const lead: Lead = { kind: 'added', added, first: first >= 0 && first !== flow.pos ? first : null };
    return { flow, save: true, reply: { kind: 'step', lead, note: { added: added.length } } };
  }
  let f = flows.fresh(s.newId, intents, assumed, flows.verdictOf(s.ctx), s.now);
  if (cur) f = { ...f, id: cur.id, done: cur.done, started: cur.started, verdict: cur.verdict };
  return { flow: flows.recompute(s.rules, f), save: true, reply: { kind: 'start' } };
}

function ask(s: GuideState, q: Question, expired = false): Applied {
  if (q !== 'entered') return { flow: s.flow, save: false, reply: { kind: 'ask', q, expired } };
  const f =
    flows.current(s.flow, s.ctx, s.last) ?? flows.fresh(s.newId, [], false, flows.verdictOf(s.ctx), s.now);
  return { flow: flows.awaitEntered(f), save: true, reply: { kind: 'ask', q, expired } };
}

/** Typed 「カード会社に電話しました」 while a step is on screen: that step is done. */
function contacted(s: GuideState): Applied {
  const f = flows.current(s.flow, s.ctx, s.last);
  if (!f || flows.isFinished(f)) return ask(s, 'happened');
  const flow = flows.done(f, f.steps[f.pos]!, s.now);
  return {
    flow,
    save: true,
    reply: { kind: 'step', lead: { kind: 'contacted' }, note: { contacted: true } },
  };
}

/** できた / 次へ / … typed instead of tapped: about the step on screen. */
function nav(s: GuideState, op: NavOp): Applied {
  const f = s.flow;
  if (!f || !f.steps.length) return ask(s, 'happened');
  const step = f.steps[Math.min(f.pos, f.steps.length - 1)]!;
  if (op === 'done' || op === 'next') {
    if (flows.isFinished(f)) return { flow: f, save: false, reply: { kind: 'step' } };
    return tap(s, { op, flow: f.id, step });
  }
  return tap(s, { op, flow: f.id });
}

/** A tap on one of the guide's buttons. */
function tap(s: GuideState, a: GuideAction): Applied {
  if (a.op === 'add') return add(s, a.intents, false);
  if (a.op === 'ask') return ask(s, a.q);
  if (a.op === 'memo') return apply(s, { op: 'memo' });
  const f = s.flow;
  if (!f || !f.steps.length) return ask(s, 'happened', true);
  if (f.id !== a.flow) return { flow: f, save: true, reply: { kind: 'step', lead: { kind: 'replaced' } } };
  const step = (flow: Flow): Applied => ({ flow, save: true, reply: { kind: 'step' } });
  switch (a.op) {
    case 'done':
    case 'next':
      if (!f.steps.includes(a.step)) return { flow: f, save: false, reply: { kind: 'step' } };
      // できた: on to the next step still to do; 次へ: simply the next one.
      return step(a.op === 'done' ? flows.done(f, a.step, s.now) : flows.next(f, a.step));
    case 'restart':
      return step(flows.restart(f));
    case 'all':
      return { flow: f, save: true, reply: { kind: 'summary' } };
    case 'resume':
      return step(f);
  }
}
