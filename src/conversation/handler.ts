// One webhook event in, the answer out. Knows nothing of HTTP or of how messages are sent (sender.ts),
// so the LINE webhook and the simulator page (issue 6) share it.
import type { Detector } from '../detector/index.ts';
import type { Verdict } from '../detector/types.ts';
import type { Logger } from '../log/logger.ts';
import type { Store } from '../store/store.ts';
import {
  chatOf,
  isText,
  type Chat,
  type LineEvent,
  type MessageEvent,
  type TextContent,
} from '../line/events.ts';
import { defangText } from '../line/defang.ts';
import { verdictCard } from '../line/flex.ts';
import { LIMITS } from '../line/limits.ts';
import { commandFromPostback, text, type Message } from '../line/messages.ts';
import { commandFor, contactsBlock, fill, renderAnswer, type Command, type Copy } from './copy.ts';
import { forgetMessage, lastVerdict, rememberVerdict } from './context.ts';

export interface HandlerDeps {
  /** Still loading at start-up: the first events wait for it. */
  detector: Promise<Detector>;
  store: Store;
  copy: Copy;
  now: () => number;
  log: Logger;
}

/** The messages to send (none: stay quiet) and a few facts for the log line, never message content. */
export interface Outcome {
  messages: Message[];
  note: Record<string, string | number | boolean>;
}

const QUIET: Outcome['messages'] = [];
const UNREADABLE = new Set(['sticker', 'location', 'audio', 'video']);
const NOT_YET = new Set(['image', 'file']);

export async function handleEvent(event: LineEvent, deps: HandlerDeps): Promise<Outcome> {
  const { copy, store } = deps;
  switch (event.type) {
    case 'message':
      return onMessage(event, deps);
    case 'postback': {
      const command = commandFromPostback(event.postback.data);
      return answerCommand(command ?? 'usage', chatOf(event.source), deps, {
        postback: command ?? 'unknown',
      });
    }
    case 'follow':
      return { messages: [text(renderAnswer(copy, copy.answers.follow), copy)], note: { answer: 'follow' } };
    case 'join':
      return { messages: [text(renderAnswer(copy, copy.answers.join))], note: { answer: 'join' } };
    case 'unfollow':
    case 'leave': {
      // Blocked, or removed from the group: nothing of that chat is kept.
      await store.deleteSubject(chatOf(event.source).id);
      return { messages: QUIET, note: { deleted: true } };
    }
    case 'unsend': {
      const forgot = await forgetMessage(store, chatOf(event.source).id, event.unsend.messageId);
      return { messages: QUIET, note: { forgot } };
    }
    default:
      return { messages: QUIET, note: { ignored: event.lineType } };
  }
}

async function onMessage(event: MessageEvent, deps: HandlerDeps): Promise<Outcome> {
  const { copy } = deps;
  const chat = chatOf(event.source);
  const group = chat.type !== 'user';
  const m = event.message;
  if (!isText(m)) {
    // In a group, only text can call the bot; pictures and stickers there are the family's own.
    if (group) return { messages: QUIET, note: { kind: m.type } };
    const answer = NOT_YET.has(m.type) ? copy.answers.media_not_yet : copy.answers.unreadable;
    if (!NOT_YET.has(m.type) && !UNREADABLE.has(m.type))
      deps.log.debug({ kind: m.type }, 'unknown message type');
    return { messages: [text(renderAnswer(copy, answer), copy)], note: { kind: m.type } };
  }

  const mentioned = m.mention?.mentionees.some((x) => x.isSelf === true) ?? false;
  const body = mentioned ? withoutSelfMentions(m) : m.text;
  const addressed = !group || mentioned;
  if (body.trim() === '') {
    if (!addressed) return { messages: QUIET, note: { kind: 'text', empty: true } };
    const answer = group ? copy.answers.mention_only : copy.answers.empty;
    return { messages: [text(renderAnswer(copy, answer), copy)], note: { kind: 'text', empty: true } };
  }
  const command = addressed ? commandFor(copy, body) : null;
  if (command) return answerCommand(command, chat, deps, { typed: command });

  const long = body.length > LIMITS.textUnits;
  const checked = long ? cutAt(body, LIMITS.textUnits) : body;
  const verdict = (await deps.detector).analyze(checked);
  const note = { kind: 'text', risk: verdict.risk, chars: body.length, group, mentioned };
  // A family group is a conversation between people: speak only about a likely scam that carries a
  // link or a number to call, or when someone asks.
  if (!addressed && !(hasContact(verdict) && (verdict.risk === 'high' || verdict.risk === 'medium')))
    return { messages: QUIET, note };

  await rememberVerdict(deps.store, chat.id, verdict, m.id, deps.now());
  const messages: Message[] = [verdictCard(copy, verdict)];
  if (long) {
    // The buttons must stay under the last message to be seen.
    const card = messages[0]!;
    messages.push({
      ...text(fill(copy.verdict.long_text_note, { limit: LIMITS.textUnits.toLocaleString('ja-JP') })),
      quickReply: card.quickReply!,
    });
    delete card.quickReply;
  }
  return { messages, note };
}

async function answerCommand(
  command: Command,
  chat: Chat,
  deps: HandlerDeps,
  note: Outcome['note'],
): Promise<Outcome> {
  const { copy } = deps;
  const a = copy.answers;
  let body: string;
  if (command === 'help') {
    const ctx = await lastVerdict(deps.store, chat.id);
    note = { ...note, context: ctx !== null };
    if (ctx) {
      const intro = fill(a.help_after_verdict.text, {
        when: formatWhen(ctx.at, deps.now()),
        brand_part: ctx.brand ? fill(a.help_brand_part, { brand: ctx.brand.name }) : '',
        title: copy.verdict.title[ctx.risk],
      });
      // The verdict's own advice may point to this very button; that line says nothing new here.
      const steps = ctx.advice
        .filter((line) => !line.includes(copy.buttons.help))
        .map((line) => `・${defangText(line)}`);
      const parts = [intro];
      if (steps.length) parts.push([a.help_next_heading, ...steps].join('\n'));
      if (a.help_after_verdict.contacts.length)
        parts.push(contactsBlock(copy, a.help_after_verdict.contacts));
      parts.push(a.help_footer);
      body = parts.join('\n\n');
    } else body = renderAnswer(copy, a.help_without_verdict);
  } else body = renderAnswer(copy, a[command]);
  return { messages: [text(body, copy)], note: { ...note, answer: command } };
}

function hasContact(v: Verdict): boolean {
  return v.urls.length > 0 || v.phones.length > 0;
}

/** The text without the "@bot" part(s), so the name of the bot is not analysed as part of the message. */
function withoutSelfMentions(m: TextContent): string {
  let out = m.text;
  const self = (m.mention?.mentionees ?? [])
    .filter((x) => x.isSelf === true)
    .sort((a, b) => b.index - a.index);
  for (const x of self) {
    if (x.index < 0 || x.index + x.length > out.length || out[x.index] !== '@') continue;
    out = out.slice(0, x.index) + out.slice(x.index + x.length);
  }
  return out;
}

/** The first `max` UTF-16 units, never ending inside a surrogate pair. */
function cutAt(s: string, max: number): string {
  const end = /[\uD800-\uDBFF]/.test(s[max - 1] ?? '') ? max - 1 : max;
  return s.slice(0, end);
}

const DAY_FORMAT = new Intl.DateTimeFormat('ja-JP', {
  timeZone: 'Asia/Tokyo',
  month: 'long',
  day: 'numeric',
});
const TIME_FORMAT = new Intl.DateTimeFormat('ja-JP', {
  timeZone: 'Asia/Tokyo',
  hour: 'numeric',
  minute: '2-digit',
});

/** 「今日 13:05」 or 「11月24日 9:30」, in Japan time. */
function formatWhen(at: number, now: number): string {
  const day = DAY_FORMAT.format(at);
  return `${day === DAY_FORMAT.format(now) ? '今日' : day} ${TIME_FORMAT.format(at)}`;
}
