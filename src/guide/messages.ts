// The guide's answers as LINE messages: a reply described by apply.ts becomes the intro, the step on
// screen with its buttons, a question with its likeliest answers, the summary or the 相談メモ.
import type { messagingApi } from '@line/bot-sdk';
import { fill, forChannel, type Copy } from '../words.ts';
import type { ChatContext } from '../store/context.ts';
import { text, type Message } from '../line/messages.ts';
import type { GuideRules } from '../rules/guide.ts';
import type { ActionIntent, BrandRule } from '../rules/schema.ts';
import type { Lead, Reply } from './apply.ts';
import { backButtons, finishedButtons, optionButtons, stepButtons, type Question } from './buttons.ts';
import { effectiveIntents } from './compose.ts';
import { isDone, isFinished, verdictOf, type Flow, type FlowVerdict } from './flow.ts';
import { buildMemo } from './memo.ts';
import { packTexts, renderStep, stepText } from './render.ts';
import { formatWhen } from './when.ts';

/** Messages to send, and a few facts for the log line (never what the person wrote or did). */
export interface GuideAnswer {
  messages: Message[];
  note: Record<string, string | number | boolean>;
}

/** What the words are drawn from besides the flow. */
export interface View {
  rules: GuideRules;
  /** The bot's other words (rules/replies.yaml): verdict titles. */
  replies: Copy;
  /** The verdict talked about (see GuideState.ctx). */
  ctx: ChatContext | null;
  now: number;
}

/** Actions done on the scam's page: the page is closed first. */
const ENTERED_ON_A_PAGE = new Set<ActionIntent>([
  'entered_card',
  'entered_password',
  'entered_bank',
  'entered_personal',
  'carrier_billing',
]);

export function render(reply: Reply, flow: Flow | null, v: View): GuideAnswer {
  switch (reply.kind) {
    case 'start': {
      const f = flow!;
      return { messages: [msg(intro(v, f)), stepMessage(v, f)], note: note('start', f) };
    }
    case 'step': {
      const f = flow!;
      const lead = reply.lead ? leadText(v, f, reply.lead) : undefined;
      const what = reply.note ? 'step' : isFinished(f) ? 'finished' : 'step';
      return { messages: [stepMessage(v, f, lead)], note: note(what, f, reply.note) };
    }
    case 'ask':
      return {
        messages: [askMessage(v, reply.q, reply.expired ? v.rules.copy.texts.expired : undefined)],
        note: { guide: 'ask', question: reply.q },
      };
    case 'memo':
      return { messages: [memoMessage(v, flow)], note: { guide: 'memo' } };
    case 'summary':
      return { messages: summary(v, flow!), note: note('summary', flow!) };
  }
}

function msg(body: string, quickReply?: messagingApi.QuickReply): Message {
  const m = text(body);
  if (quickReply) m.quickReply = quickReply;
  return m;
}

function note(what: string, f: Flow, extra: GuideAnswer['note'] = {}): GuideAnswer['note'] {
  return {
    guide: what,
    ...(f.steps.length ? { step: Math.min(f.pos + 1, f.steps.length), steps: f.steps.length } : {}),
    ...extra,
  };
}

function brandOf(v: View, f: Flow): BrandRule | null {
  return f.verdict?.brand ? (v.rules.brands.get(f.verdict.brand) ?? null) : null;
}

function labels(v: View, intents: ActionIntent[]): string[] {
  return intents.map((i) => v.rules.copy.intent_labels[i]);
}

function verdictVars(v: View, verdict: FlowVerdict) {
  const brand = verdict.brand ? v.rules.brands.get(verdict.brand) : undefined;
  return {
    when: formatWhen(verdict.at, v.now),
    brand_part: brand ? fill(v.rules.copy.texts.intro_brand_part, { brand: brand.name }) : '',
    title: v.replies.verdict.title[verdict.risk],
  };
}

function intro(v: View, f: Flow): string {
  const t = v.rules.copy.texts;
  const lines: string[] = [];
  if (f.verdict) lines.push(fill(t.intro_verdict, verdictVars(v, f.verdict)));
  const acts = effectiveIntents(f.intents);
  if (f.assumed) lines.push(t.intro_assumed);
  else lines.push(fill(t.intro_actions, { actions: labels(v, acts).join('、') }));
  if (acts.length === 1 && acts[0] === 'opened_link') lines.push(t.intro_opened_only);
  else if (acts.some((i) => ENTERED_ON_A_PAGE.has(i))) lines.push(t.intro_close);
  lines.push(fill(t.intro_steps, { total: f.steps.length }));
  return lines.join('\n');
}

function leadText(v: View, f: Flow, lead: Lead): string {
  const t = v.rules.copy.texts;
  if (lead.kind !== 'added') return t[lead.kind];
  const said = lead.added.length ? fill(t.added, { actions: labels(v, lead.added).join('」「') }) : t.resumed;
  if (lead.first === null) return said;
  const step = v.rules.steps.get(f.steps[lead.first]!)!;
  const words = forChannel(stepText(v.rules, step, brandOf(v, f)), f.verdict?.mail === true);
  return `${said}\n\n${fill(t.added_first, { n: lead.first + 1 })}\n${words}\n\n${t.added_now}`;
}

/** A step's block: header with progress, words, contacts; メール or メッセージ as the verdict was. */
function stepBlock(v: View, f: Flow, i: number): string {
  const id = f.steps[i]!;
  const body = renderStep(
    v.rules,
    v.rules.steps.get(id)!,
    i + 1,
    f.steps.length,
    isDone(f, id),
    brandOf(v, f),
  );
  return forChannel(body, f.verdict?.mail === true);
}

/** The step on screen, or the end of the guide. */
function stepMessage(v: View, f: Flow, lead?: string): Message {
  if (isFinished(f)) return finished(v, f, lead);
  const body = stepBlock(v, f, f.pos);
  return msg(lead ? `${lead}\n\n${body}` : body, stepButtons(v.rules.copy, f.id, f.steps[f.pos]!, f.pos));
}

function finished(v: View, f: Flow, lead?: string): Message {
  const t = v.rules.copy.texts;
  const open = f.steps.flatMap((id, i) => (isDone(f, id) ? [] : [String(i + 1)]));
  const parts = lead ? [lead, t.finished] : [t.finished];
  if (open.length) parts.push(fill(t.finished_open, { steps: open.join('、') }));
  return msg(parts.join('\n\n'), finishedButtons(v.rules.copy, f.id));
}

/** Every step in one message, split when LINE's text limit would be passed. */
function summary(v: View, f: Flow): Message[] {
  const t = v.rules.copy.texts;
  const blocks = f.steps.map((_, i) => stepBlock(v, f, i));
  const texts = packTexts([fill(t.summary_heading, { total: f.steps.length }), ...blocks], t.summary_more);
  return texts.map((body, i) =>
    i === texts.length - 1 ? msg(body, backButtons(v.rules.copy, f.id, true)) : msg(body),
  );
}

function askMessage(v: View, q: Question, lead?: string): Message {
  const { options: o, ask: a } = v.rules.copy;
  let body: string;
  let buttons: messagingApi.QuickReply;
  if (q === 'entered') {
    body = a.what_entered;
    buttons = optionButtons(o.entered);
  } else if (q === 'more' || q === 'other') {
    body = q === 'more' ? a.more : a.other;
    // Everything that can be added; "nothing yet" only where nothing was said.
    const list = q === 'more' ? o.happened.filter((x) => !x.intents?.includes('nothing_done')) : o.happened;
    buttons = optionButtons(list);
  } else {
    const verdict = verdictOf(v.ctx);
    body = verdict ? fill(a.what_happened_after_verdict, verdictVars(v, verdict)) : a.what_happened;
    const shown = firstChoices(v.rules.copy, v.ctx).map((id) => o.happened.find((x) => x.id === id)!);
    buttons = optionButtons(shown, { label: v.rules.copy.buttons.other, q: 'other' });
  }
  return msg(lead ? `${lead}\n\n${body}` : body, buttons);
}

/** The answers of 「何がありましたか？」 shown first: by the story, else by a phone number without a link. */
function firstChoices(copy: GuideRules['copy'], ctx: ChatContext | null): string[] {
  const c = copy.first_choices;
  const story = ctx?.scenario ? c.scenarios[ctx.scenario] : undefined;
  if (story) return story;
  if (ctx && (ctx.phones ?? 0) > 0 && (ctx.links ?? 0) === 0) return c.phone;
  return c.default;
}

function memoMessage(v: View, flow: Flow | null): Message {
  const f = flow && flow.intents.length ? flow : null;
  const body = buildMemo(v.rules, v.replies, f, f?.verdict ?? verdictOf(v.ctx), v.now);
  return msg(body, backButtons(v.rules.copy, f && f.steps.length ? f.id : null, false));
}
