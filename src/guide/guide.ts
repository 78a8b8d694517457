// 「どうすればいい？」: the calm guide after a verdict. Works out what the person did (buttons or their
// own words), builds the steps for it (most urgent first, with the brand of the last verdict), and
// walks through them one message at a time, remembering the position so the person can come back.
// Called by the conversation handler; knows nothing of HTTP.
import type { messagingApi } from '@line/bot-sdk';
import { fill, forChannel, type Copy } from '../conversation/copy.ts';
import { lastVerdict, type ChatContext } from '../conversation/context.ts';
import { text, type Message } from '../line/messages.ts';
import type { ActionIntent, BrandRule } from '../rules/schema.ts';
import type { Store } from '../store/store.ts';
import {
  backButtons,
  finishedButtons,
  optionButtons,
  parseAction,
  stepButtons,
  type GuideAction,
  type Question,
} from './buttons.ts';
import { composeSteps, effectiveIntents } from './compose.ts';
import { isDone, loadFlow, newFlowId, saveFlow, type Flow, type FlowVerdict } from './flow.ts';
import type { Guide } from './load.ts';
import { buildMemo } from './memo.ts';
import { packTexts, renderStep, stepText } from './render.ts';
import { looksForwarded, navFor, understand, type NavOp } from './understand.ts';
import { formatWhen } from './when.ts';

export interface GuideDeps {
  /** May still be loading (it shares the detector's dictionary). */
  guide: Guide | Promise<Guide>;
  store: Store;
  /** The bot's other words (rules/replies.yaml): verdict titles. */
  copy: Copy;
  now: () => number;
}

/** Actions done on the scam's page: the page is closed first. */
const ENTERED_ON_A_PAGE = new Set<ActionIntent>([
  'entered_card',
  'entered_password',
  'entered_bank',
  'entered_personal',
  'carrier_billing',
]);

/** Messages to send, and a few facts for the log line (never what the person wrote or did). */
export interface GuideAnswer {
  messages: Message[];
  note: Record<string, string | number | boolean>;
}

export type GuideCommand = 'help' | 'opened_link' | 'entered_info' | 'called';

/** The buttons under a verdict, or the same words typed. */
export async function guideCommand(cmd: GuideCommand, chatId: string, deps: GuideDeps): Promise<GuideAnswer> {
  const s = await session(chatId, await deps.guide, deps);
  if (cmd === 'opened_link') return s.add(['opened_link'], false);
  if (cmd === 'called') return s.add(['called_number'], false);
  if (cmd === 'entered_info') return s.ask('entered');
  return s.help();
}

/** A person's own words: what they did, a question, a typed button. Null: not for the guide. */
export async function guideText(body: string, chatId: string, deps: GuideDeps): Promise<GuideAnswer | null> {
  // Without a Japanese word it is nothing the guide understands: no need to wait for the dictionary.
  if (body.length > 200 || !JAPANESE.test(body)) return null;
  const guide = await deps.guide;
  const m = guide.matcher;
  if (looksForwarded(m, body)) return null;
  const nav = navFor(m, body);
  const s = await session(chatId, guide, deps, refersEarlier(guide, body));
  if (nav) return s.typedNav(nav);
  const u = understand(m, body, s.flow?.awaiting === 'entered' ? 'enter' : undefined);
  if (u.memo) {
    if (u.intents.length) await s.merge(u.intents);
    return s.memo();
  }
  if (u.intents.length) {
    const answer = await s.add(u.intents, false);
    return u.enteredUnknown ? s.ask('entered') : answer;
  }
  if (u.enteredUnknown) return s.ask('entered');
  if (u.contacted) return (await s.contacted()) ?? s.ask('happened');
  if (u.help) return s.help();
  return null;
}

/** A tap on one of the guide's buttons. Null: the postback is not the guide's. */
export async function guidePostback(
  data: string,
  chatId: string,
  deps: GuideDeps,
): Promise<GuideAnswer | null> {
  const a = parseAction(data);
  if (!a) return null;
  const s = await session(chatId, await deps.guide, deps);
  return s.act(a);
}

const JAPANESE = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;

/** 「最初のほうのリンクを開いた」: about the message checked before the last one. */
function refersEarlier(guide: Guide, body: string): boolean {
  const t = body.normalize('NFKC');
  return guide.rules.intents.turns.earlier.some((w) => t.includes(w.normalize('NFKC')));
}

async function session(chatId: string, guide: Guide, deps: GuideDeps, earlier = false) {
  const { store, copy: replies } = deps;
  const rules = guide.rules;
  const t = rules.copy.texts;
  const now = deps.now();
  const [stored, last] = await Promise.all([loadFlow(store, chatId), lastVerdict(store, chatId)]);
  let flow = stored;
  // The person points at the message before the last one: the guide is about that one.
  const ctx: ChatContext | null = earlier && last?.previous ? last.previous : last;

  const brandOf = (f: Flow | null): BrandRule | null =>
    f?.verdict?.brand ? (rules.brands.get(f.verdict.brand) ?? null) : null;
  const save = (f: Flow) => saveFlow(store, chatId, f, now);
  const msg = (body: string, quickReply?: messagingApi.QuickReply): Message => {
    const m = text(body);
    if (quickReply) m.quickReply = quickReply;
    return m;
  };

  /** The stored guide when it is about the same message as the last verdict (or there is none). */
  const current = (): Flow | null => {
    if (!flow) return null;
    if (!ctx || flow.verdict?.at === ctx.at) return flow;
    // Talking on about the earlier message's guide, without naming it again.
    if (last?.previous && flow.verdict?.at === last.previous.at && flow.started >= last.at) return flow;
    // Started before the message was checked: the verdict now belongs to it.
    if (flow.verdict === null && ctx.at >= flow.started) {
      flow.verdict = verdictOf(ctx);
      return flow;
    }
    return null;
  };

  const fresh = (intents: ActionIntent[], assumed: boolean): Flow => ({
    id: newFlowId(),
    intents,
    assumed,
    verdict: verdictOf(ctx),
    steps: [],
    pos: 0,
    done: [],
    awaiting: null,
    started: now,
    updated: now,
  });

  const recompute = (f: Flow) => {
    f.steps = composeSteps(rules, f.intents, {
      brand: f.verdict?.brand ?? null,
      scenario: f.verdict?.scenario ?? null,
      risk: f.verdict?.risk ?? null,
    });
    f.done = f.done.filter(([id]) => f.steps.includes(id));
    const next = f.steps.findIndex((id) => !isDone(f, id));
    f.pos = next < 0 ? f.steps.length : next;
  };

  /** A step of one of these intents' playbooks, or an extra step for one of them. */
  const belongsTo = (id: string, intents: ActionIntent[]) => {
    const step = rules.steps.get(id)!;
    return intents.some(
      (i) =>
        rules.playbooks.playbooks[i].includes(id) ||
        step.for?.includes(i) === true ||
        (step.replaces !== undefined && rules.playbooks.playbooks[i].includes(step.replaces)),
    );
  };

  const labels = (intents: ActionIntent[]) => intents.map((i) => rules.copy.intent_labels[i]);

  const intro = (f: Flow): string => {
    const lines: string[] = [];
    if (f.verdict) lines.push(fill(t.intro_verdict, verdictVars(f.verdict)));
    const acts = effectiveIntents(f.intents);
    if (f.assumed) lines.push(t.intro_assumed);
    else lines.push(fill(t.intro_actions, { actions: labels(acts).join('、') }));
    if (acts.length === 1 && acts[0] === 'opened_link') lines.push(t.intro_opened_only);
    else if (acts.some((i) => ENTERED_ON_A_PAGE.has(i))) lines.push(t.intro_close);
    lines.push(fill(t.intro_steps, { total: f.steps.length }));
    return lines.join('\n');
  };

  const verdictVars = (v: FlowVerdict) => {
    const brand = v.brand ? rules.brands.get(v.brand) : undefined;
    return {
      when: formatWhen(v.at, now),
      brand_part: brand ? fill(t.intro_brand_part, { brand: brand.name }) : '',
      title: replies.verdict.title[v.risk],
    };
  };

  /** The step on screen, or the end of the guide. */
  const stepMessage = (f: Flow, lead?: string): Message => {
    if (f.pos >= f.steps.length) return finished(f, lead);
    const id = f.steps[f.pos]!;
    const body = forChannel(
      renderStep(rules, rules.steps.get(id)!, f.pos + 1, f.steps.length, isDone(f, id), brandOf(f)),
      f.verdict?.mail === true,
    );
    return msg(lead ? `${lead}\n\n${body}` : body, stepButtons(rules.copy, f.id, id, f.pos));
  };

  const finished = (f: Flow, lead?: string): Message => {
    const open = f.steps.flatMap((id, i) => (isDone(f, id) ? [] : [String(i + 1)]));
    const parts = lead ? [lead, t.finished] : [t.finished];
    if (open.length) parts.push(fill(t.finished_open, { steps: open.join('、') }));
    return msg(parts.join('\n\n'), finishedButtons(rules.copy, f.id));
  };

  const note = (what: string, f: Flow | null, extra: GuideAnswer['note'] = {}): GuideAnswer['note'] => ({
    guide: what,
    ...(f && f.steps.length ? { step: Math.min(f.pos + 1, f.steps.length), steps: f.steps.length } : {}),
    ...extra,
  });

  const showCurrent = (f: Flow, lead?: string): GuideAnswer => ({
    messages: [stepMessage(f, lead)],
    note: note(f.pos >= f.steps.length ? 'finished' : 'step', f),
  });

  const api = {
    get flow(): Flow | null {
      return flow;
    },

    /** What the person did: a new guide, or added to the one about the same message. */
    async add(intents: ActionIntent[], assumed: boolean): Promise<GuideAnswer> {
      const cur = current();
      // A guide started before the person said what they did: what they say now is the real start.
      if (cur && cur.assumed && intents.some((i) => i !== 'nothing_done')) cur.intents = [];
      if (cur && cur.intents.length) {
        const before = effectiveIntents(cur.intents);
        cur.intents = [...new Set([...cur.intents, ...intents])];
        cur.assumed = cur.assumed && assumed;
        cur.awaiting = null;
        const after = effectiveIntents(cur.intents);
        const added = after.filter((i) => !before.includes(i));
        if (added.length) recompute(cur);
        await save(cur);
        let lead = added.length ? fill(t.added, { actions: labels(added).join('」「') }) : t.resumed;
        // What was just said gets its answer now, even when a more urgent step stays on screen.
        const first = cur.steps.findIndex((id) => belongsTo(id, added));
        if (first >= 0 && first !== cur.pos) {
          const words = forChannel(
            stepText(rules, rules.steps.get(cur.steps[first]!)!, brandOf(cur)),
            cur.verdict?.mail === true,
          );
          lead += `\n\n${fill(t.added_first, { n: first + 1 })}\n${words}\n\n${t.added_now}`;
        }
        return { messages: [stepMessage(cur, lead)], note: note('step', cur, { added: added.length }) };
      }
      const f = fresh(intents, assumed);
      if (cur) {
        f.id = cur.id;
        f.done = cur.done;
        f.started = cur.started;
        f.verdict = cur.verdict;
      }
      recompute(f);
      flow = f;
      await save(f);
      return { messages: [msg(intro(f)), stepMessage(f)], note: note('start', f) };
    },

    /** Adds without answering (the answer is something else, e.g. the 相談メモ). */
    async merge(intents: ActionIntent[]): Promise<void> {
      await api.add(intents, false);
    },

    /** 「どうすればいい？」 */
    async help(): Promise<GuideAnswer> {
      const cur = current();
      if (cur && cur.steps.length) {
        await save(cur);
        return showCurrent(cur, t.resumed);
      }
      // Ask what happened (the few likeliest answers first) rather than guess "nothing yet".
      return api.ask('happened');
    },

    async ask(q: Question, lead?: string): Promise<GuideAnswer> {
      const o = rules.copy.options;
      const a = rules.copy.ask;
      let body: string;
      let buttons: messagingApi.QuickReply;
      if (q === 'entered') {
        const f = current() ?? fresh([], false);
        f.awaiting = 'entered';
        flow = f;
        await save(f);
        body = a.what_entered;
        buttons = optionButtons(o.entered);
      } else if (q === 'more' || q === 'other') {
        body = q === 'more' ? a.more : a.other;
        // Everything that can be added; "nothing yet" only where nothing was said.
        const list =
          q === 'more' ? o.happened.filter((x) => !x.intents?.includes('nothing_done')) : o.happened;
        buttons = optionButtons(list);
      } else {
        const v = verdictOf(ctx);
        body = v ? fill(a.what_happened_after_verdict, verdictVars(v)) : a.what_happened;
        const first = firstChoices(rules.copy, ctx);
        const shown = first.map((id) => o.happened.find((x) => x.id === id)!);
        buttons = optionButtons(shown, { label: rules.copy.buttons.other, q: 'other' });
      }
      if (lead) body = `${lead}\n\n${body}`;
      return { messages: [msg(body, buttons)], note: { guide: 'ask', question: q } };
    },

    async memo(): Promise<GuideAnswer> {
      const f = flow && flow.intents.length ? flow : null;
      const body = buildMemo(rules, replies, f, f?.verdict ?? verdictOf(ctx), now);
      const buttons = backButtons(rules.copy, f && f.steps.length ? f.id : null, false);
      return { messages: [msg(body, buttons)], note: { guide: 'memo' } };
    },

    /** Typed 「カード会社に電話しました」 while a step is on screen: that step is done. */
    async contacted(): Promise<GuideAnswer | null> {
      const f = current();
      if (!f || f.pos >= f.steps.length) return null;
      markDone(f, f.steps[f.pos]!);
      moveOn(f, f.pos);
      await save(f);
      return { ...showCurrent(f, t.contacted), note: note('step', f, { contacted: true }) };
    },

    /** できた / 次へ / … typed instead of tapped: about the step on screen. */
    async typedNav(op: NavOp): Promise<GuideAnswer> {
      const f = flow;
      if (!f || !f.steps.length) return api.ask('happened');
      const step = f.steps[Math.min(f.pos, f.steps.length - 1)]!;
      if ((op === 'done' || op === 'next') && f.pos >= f.steps.length) return showCurrent(f);
      return api.act(op === 'done' || op === 'next' ? { op, flow: f.id, step } : { op, flow: f.id });
    },

    async act(a: GuideAction): Promise<GuideAnswer> {
      if (a.op === 'add') return api.add(a.intents, false);
      if (a.op === 'ask') return api.ask(a.q);
      if (a.op === 'memo') return api.memo();
      const f = flow;
      if (!f || !f.steps.length) return api.ask('happened', t.expired);
      if (f.id !== a.flow) {
        await save(f);
        return showCurrent(f, t.replaced);
      }
      switch (a.op) {
        case 'done':
        case 'next': {
          const at = f.steps.indexOf(a.step);
          if (at < 0) return showCurrent(f);
          // できた: on to the next step still to do; 次へ: simply the next one.
          if (a.op === 'done') {
            markDone(f, a.step);
            moveOn(f, at);
          } else f.pos = at + 1;
          break;
        }
        case 'restart':
          f.pos = 0;
          break;
        case 'all':
          await save(f);
          return { messages: summary(f), note: note('summary', f) };
        case 'resume':
          break;
      }
      await save(f);
      return showCurrent(f);
    },
  };

  const markDone = (f: Flow, id: string) => {
    if (!isDone(f, id)) f.done.push([id, now]);
  };
  /** To the first step after `at` not yet done, or the end. */
  const moveOn = (f: Flow, at: number) => {
    const next = f.steps.findIndex((id, i) => i > at && !isDone(f, id));
    f.pos = next < 0 ? f.steps.length : next;
  };

  /** Every step in one message, split when LINE's text limit would be passed. */
  const summary = (f: Flow): Message[] => {
    const brand = brandOf(f);
    const blocks = f.steps.map((id, i) =>
      forChannel(
        renderStep(rules, rules.steps.get(id)!, i + 1, f.steps.length, isDone(f, id), brand),
        f.verdict?.mail === true,
      ),
    );
    const texts = packTexts([fill(t.summary_heading, { total: f.steps.length }), ...blocks], t.summary_more);
    return texts.map((body, i) =>
      i === texts.length - 1 ? msg(body, backButtons(rules.copy, f.id, true)) : msg(body),
    );
  };

  return api;
}

/** The answers of 「何がありましたか？」 shown first: by the story, else by a phone number without a link. */
function firstChoices(copy: Guide['rules']['copy'], ctx: ChatContext | null): string[] {
  const c = copy.first_choices;
  const story = ctx?.scenario ? c.scenarios[ctx.scenario] : undefined;
  if (story) return story;
  if (ctx && (ctx.phones ?? 0) > 0 && (ctx.links ?? 0) === 0) return c.phone;
  return c.default;
}

function verdictOf(ctx: ChatContext | null): FlowVerdict | null {
  if (!ctx) return null;
  const v: FlowVerdict = { risk: ctx.risk, brand: ctx.brand?.id ?? null, scenario: ctx.scenario, at: ctx.at };
  if (ctx.mail) v.mail = true;
  return v;
}
