// The guide's flow operations and apply() on their own: no store, no dictionary, no LINE messages.
// Inputs are deep-frozen, so an operation that changed the flow it was given would throw.
import { describe, expect, it } from 'vitest';
import type { ChatContext } from '../../src/store/context.ts';
import { apply, type GuideState } from '../../src/guide/apply.ts';
import { composeSteps } from '../../src/guide/compose.ts';
import * as flows from '../../src/guide/flow.ts';
import type { Flow } from '../../src/guide/flow.ts';
import { loadGuideRules } from '../../src/rules/guide.ts';

const rules = loadGuideRules();
const T0 = Date.UTC(2026, 10, 24, 3, 0);

function freeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) freeze(x);
  }
  return v;
}

function ctx(at: number, extra: Partial<ChatContext> = {}): ChatContext {
  return { risk: 'high', brand: null, scenario: null, advice: [], at, messageId: `m${at}`, ...extra };
}

/** A flow for a card entered after a high-risk verdict at T0, on its first step. */
function cardFlow(): Flow {
  const f = flows.fresh('f1', ['entered_card'], false, flows.verdictOf(ctx(T0)), T0 + 1000);
  return freeze(flows.recompute(rules, f));
}

describe('flow operations', () => {
  it('verdictOf keeps codes and the time only, mail when it was one', () => {
    expect(flows.verdictOf(null)).toBeNull();
    const c = ctx(T0, { brand: { id: 'amazon', name: 'Amazon' }, scenario: 'payment', mail: true });
    expect(flows.verdictOf(c)).toEqual({
      risk: 'high',
      brand: 'amazon',
      scenario: 'payment',
      at: T0,
      mail: true,
    });
    expect(flows.verdictOf(ctx(T0))).not.toHaveProperty('mail');
  });

  it('fresh has no steps; recompute gives the composed steps and starts at the first', () => {
    const f = freeze(flows.fresh('x', ['entered_card'], false, null, T0));
    expect(f).toMatchObject({
      id: 'x',
      steps: [],
      pos: 0,
      done: [],
      awaiting: null,
      started: T0,
      updated: T0,
    });
    const r = flows.recompute(rules, f);
    expect(r.steps).toEqual(
      composeSteps(rules, ['entered_card'], { brand: null, scenario: null, risk: null }),
    );
    expect(r.steps.length).toBeGreaterThan(2);
    expect(r.pos).toBe(0);
  });

  it('recompute drops marks of steps no longer there and stands on the first step still to do', () => {
    const f = cardFlow();
    const [s0, s1] = f.steps as [string, string];
    const marked = freeze({
      ...f,
      done: [
        [s0, T0],
        ['gone_step', T0],
      ] as [string, number][],
    });
    const r = flows.recompute(rules, marked);
    expect(r.done).toEqual([[s0, T0]]);
    expect(r.steps[r.pos]).toBe(s1);
    const all = freeze({ ...f, done: f.steps.map((id) => [id, T0] as [string, number]) });
    expect(flows.recompute(rules, all).pos).toBe(f.steps.length);
  });

  it('done marks a step once, with its time, and moves to the next step still to do', () => {
    const f = cardFlow();
    const [s0, s1, s2] = f.steps as [string, string, string];
    const a = flows.done(f, s1, T0 + 5);
    expect(a.done).toEqual([[s1, T0 + 5]]);
    expect(a.pos).toBe(2);
    // Back on the first step: できた skips the second, already done.
    const b = flows.done(freeze(flows.restart(a)), s0, T0 + 9);
    expect(b.steps[b.pos]).toBe(s2);
    expect(flows.done(freeze(b), s1, T0 + 20).done).toEqual(b.done);
    const last = f.steps.at(-1)!;
    expect(flows.isFinished(flows.done(f, last, T0))).toBe(true);
  });

  it('next goes one on, done or not; restart goes to the first step', () => {
    const f = cardFlow();
    expect(flows.next(f, f.steps[0]!).pos).toBe(1);
    expect(flows.isFinished(flows.next(f, f.steps.at(-1)!))).toBe(true);
    expect(flows.restart(freeze({ ...f, pos: 3 })).pos).toBe(0);
  });

  it('current: the flow of the message talked about, of no verdict, or of the earlier one still talked about', () => {
    const f = cardFlow();
    expect(flows.current(null, ctx(T0), ctx(T0))).toBeNull();
    expect(flows.current(f, ctx(T0), ctx(T0))).toBe(f);
    expect(flows.current(f, null, null)).toBe(f);
    // A newer message was checked: the old flow is not its guide.
    const newer = ctx(T0 + 60_000, { previous: ctx(T0) });
    expect(flows.current(f, newer, newer)).toBeNull();
    // …unless the flow about the earlier one started after the newer verdict (they talk on about it).
    const talkingOn = freeze({ ...f, started: T0 + 90_000 });
    expect(flows.current(talkingOn, newer, newer)).toBe(talkingOn);
    // Started before any verdict: the verdict checked since belongs to it (a copy; the stored one is untouched).
    const early = freeze({ ...f, verdict: null, started: T0 - 1000 });
    expect(flows.current(early, ctx(T0), ctx(T0))?.verdict).toEqual(flows.verdictOf(ctx(T0)));
    expect(early.verdict).toBeNull();
  });

  it('extend adds intents, recomputing only when what counts changed', () => {
    const f = cardFlow();
    const more = flows.extend(rules, f, ['entered_password'], false);
    expect(more.added).toEqual(['entered_password']);
    expect(more.flow.intents).toEqual(['entered_card', 'entered_password']);
    expect(more.flow.steps).toEqual(
      composeSteps(rules, ['entered_card', 'entered_password'], {
        brand: null,
        scenario: null,
        risk: 'high',
      }),
    );
    // "Nothing yet" once something was done changes nothing.
    const none = flows.extend(rules, f, ['nothing_done'], true);
    expect(none.added).toEqual([]);
    expect(none.flow.steps).toBe(f.steps);
    expect(none.flow.assumed).toBe(false);
    const waiting = freeze({ ...f, awaiting: 'entered' as const });
    expect(flows.extend(rules, waiting, ['entered_card'], false).flow.awaiting).toBeNull();
  });

  it("belongsTo: a step of the intent's playbook", () => {
    const card = rules.playbooks.playbooks.entered_card[0]!;
    expect(flows.belongsTo(rules, card, ['entered_card'])).toBe(true);
    const onlyOpened = rules.playbooks.playbooks.opened_link.find(
      (id) => !rules.playbooks.playbooks.money_sent.includes(id),
    )!;
    expect(flows.belongsTo(rules, onlyOpened, ['money_sent'])).toBe(false);
  });
});

describe('apply', () => {
  const state = (flow: Flow | null, c: ChatContext | null = ctx(T0)): GuideState =>
    freeze({ rules, flow, ctx: c, last: c, now: T0 + 2000, newId: 'new' });

  it('what the person did starts a flow with the new id, to be saved', () => {
    const out = apply(state(null), { op: 'add', intents: ['entered_card'], assumed: false });
    expect(out.reply).toEqual({ kind: 'start' });
    expect(out.save).toBe(true);
    expect(out.flow).toMatchObject({
      id: 'new',
      intents: ['entered_card'],
      verdict: flows.verdictOf(ctx(T0)),
    });
    expect(out.flow!.steps.length).toBeGreaterThan(0);
  });

  it('more added to a flow keeps its id and leads with what was added', () => {
    const out = apply(state(cardFlow()), { op: 'add', intents: ['entered_password'], assumed: false });
    expect(out.flow!.id).toBe('f1');
    expect(out.reply).toMatchObject({ kind: 'step', lead: { kind: 'added', added: ['entered_password'] } });
    expect(out.reply).toMatchObject({ note: { added: 1 } });
  });

  it('a flow started on 「どうすればいい？」 starts over, same id, when the person says what they did', () => {
    const assumed = freeze(
      flows.recompute(rules, flows.fresh('f9', ['nothing_done'], true, flows.verdictOf(ctx(T0)), T0)),
    );
    const out = apply(state(assumed), { op: 'add', intents: ['opened_link'], assumed: false });
    expect(out.reply).toEqual({ kind: 'start' });
    expect(out.flow).toMatchObject({ id: 'f9', intents: ['opened_link'], assumed: false });
  });

  it('「どうすればいい？」: the flow again if there is one, else the question, unsaved', () => {
    expect(apply(state(null), { op: 'help' })).toEqual({
      flow: null,
      save: false,
      reply: { kind: 'ask', q: 'happened', expired: false },
    });
    const f = cardFlow();
    expect(apply(state(f), { op: 'help' })).toEqual({
      flow: f,
      save: true,
      reply: { kind: 'step', lead: { kind: 'resumed' } },
    });
  });

  it('asking what was entered waits for the answer in the flow', () => {
    const out = apply(state(null), { op: 'ask', q: 'entered' });
    expect(out.save).toBe(true);
    expect(out.flow).toMatchObject({ id: 'new', intents: [], awaiting: 'entered' });
  });

  it("taps: an older guide's button shows the current one; no guide asks again; an unknown step changes nothing", () => {
    const f = cardFlow();
    const s = f.steps[0]!;
    expect(apply(state(f), { op: 'tap', action: { op: 'done', flow: 'old', step: s } }).reply).toEqual({
      kind: 'step',
      lead: { kind: 'replaced' },
    });
    expect(apply(state(null), { op: 'tap', action: { op: 'next', flow: 'f1', step: s } }).reply).toEqual({
      kind: 'ask',
      q: 'happened',
      expired: true,
    });
    expect(apply(state(f), { op: 'tap', action: { op: 'done', flow: 'f1', step: 'nope' } }).save).toBe(false);
    const done = apply(state(f), { op: 'tap', action: { op: 'done', flow: 'f1', step: s } });
    expect(done.flow!.done).toEqual([[s, T0 + 2000]]);
    expect(done.flow!.pos).toBe(1);
  });

  it('typed できた after the last step shows the end again; typed 電話しました marks the step on screen', () => {
    const f = cardFlow();
    const end = freeze({ ...f, pos: f.steps.length });
    expect(apply(state(end), { op: 'nav', nav: 'done' })).toEqual({
      flow: end,
      save: false,
      reply: { kind: 'step' },
    });
    const c = apply(state(f), { op: 'contacted' });
    expect(c.flow!.done).toEqual([[f.steps[0], T0 + 2000]]);
    expect(c.reply).toMatchObject({ kind: 'step', lead: { kind: 'contacted' }, note: { contacted: true } });
    expect(apply(state(end), { op: 'contacted' }).reply).toMatchObject({ kind: 'ask', q: 'happened' });
  });
});
