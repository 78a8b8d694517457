// One webhook event in, the answer out. Knows nothing of HTTP or of how messages are sent (line/port.ts),
// so the LINE webhook and the simulator page (issue 6) share it.
import type { Detector } from '../detector/index.ts';
import type { Verdict } from '../detector/types.ts';
import type { Logger } from '../log/logger.ts';
import type { Store } from '../store/store.ts';
import {
  chatOf,
  isFile,
  isImage,
  isText,
  type Chat,
  type LineEvent,
  type MessageEvent,
  type TextContent,
} from '../line/events.ts';
import { verdictCard } from '../line/flex.ts';
import { LIMITS } from '../line/limits.ts';
import { commandFromPostback, text, type Message } from '../line/messages.ts';
import { commandFor, fill, renderAnswer, type Command, type Copy } from '../words.ts';
import {
  CONTEXT_NS,
  forgetMessage,
  lastVerdict,
  rememberVerdict,
  type ChatContext,
} from '../store/context.ts';
import { ownWords, type OwnWords } from './turn.ts';
import { formatWhen } from '../guide/when.ts';
import { guideCommand, guidePostback, guideText, type GuideDeps } from '../guide/guide.ts';
import { loadGuide } from '../guide/load.ts';
import { onFile, onImage } from './media.ts';
import type { MediaDeps } from '../media/media.ts';
import { takeCheckAndRead, type RateLimits } from './rate-limit.ts';
import { addReportCard, kindOfText, launchPostback } from '../report/hook.ts';

export interface HandlerDeps {
  /** Still loading at start-up: the first events wait for it. */
  detector: Promise<Detector>;
  store: Store;
  copy: Copy;
  now: () => number;
  log: Logger;
  /** Checks per chat and window (./rate-limit.ts); absent: no limit. */
  rateLimits?: RateLimits;
  /** Reading screenshots and files (./media.ts); absent: they get the "could not receive" answer. */
  media?: MediaDeps;
}

/** The messages to send (none: stay quiet) and a few facts for the log line, never message content. */
export interface Outcome {
  messages: Message[];
  note: Record<string, string | number | boolean>;
  /**
   * Store writes the answer depends on, started and not yet finished: the processor waits for them
   * before it sends (a failure there is a failure of the event), alongside the sender's own note.
   */
  saving?: Promise<void>;
}

const QUIET: Outcome['messages'] = [];
const UNREADABLE = new Set(['sticker', 'location', 'audio', 'video']);

export async function handleEvent(event: LineEvent, deps: HandlerDeps): Promise<Outcome> {
  const { copy, store } = deps;
  switch (event.type) {
    case 'message':
      return onMessage(event, deps);
    case 'postback': {
      const chat = chatOf(event.source);
      // 「報告する」 and the rich menu's own buttons (src/report/hook.ts).
      const launched = launchPostback(event.postback.data, copy);
      if (launched) return launched;
      const guided = await guidePostback(event.postback.data, chat.id, guideDeps(deps));
      if (guided) return guided;
      const command = commandFromPostback(event.postback.data);
      return answerCommand(command ?? 'usage', chat, deps, {
        postback: command ?? 'unknown',
      });
    }
    case 'follow':
      return { messages: [text(renderAnswer(copy.answers.follow), copy)], note: { answer: 'follow' } };
    case 'join':
      return { messages: [text(renderAnswer(copy.answers.join))], note: { answer: 'join' } };
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
    if (isImage(m)) return onImage(m, chat, deps);
    if (isFile(m)) return onFile(m, chat, deps);
    if (!UNREADABLE.has(m.type)) deps.log.debug({ kind: m.type }, 'unknown message type');
    return { messages: [text(renderAnswer(copy.answers.unreadable), copy)], note: { kind: m.type } };
  }

  const mentioned = m.mention?.mentionees.some((x) => x.isSelf === true) ?? false;
  const body = mentioned ? withoutSelfMentions(m) : m.text;
  const addressed = !group || mentioned;
  if (body.trim() === '') {
    if (!addressed) return { messages: QUIET, note: { kind: 'text', empty: true } };
    const answer = group ? copy.answers.mention_only : copy.answers.empty;
    return { messages: [text(renderAnswer(answer), copy)], note: { kind: 'text', empty: true } };
  }
  const command = addressed ? commandFor(copy, body) : null;
  if (command) return answerCommand(command, chat, deps, { typed: command });
  // The person's own words about what they did (「リンクを開いてカード番号も入れた」) go to the guide.
  const guided = addressed ? await guideText(body, chat.id, guideDeps(deps)) : null;
  if (guided) return guided;
  // A greeting, thanks or a question without the message: answered, not checked or counted, and the
  // message checked before stays the one we talk about. In a group, people talking among themselves.
  const own = ownWords(await guideDeps(deps).guide, body);
  if (own) {
    if (!addressed) return { messages: QUIET, note: { kind: 'text', own, group } };
    return { messages: [await answerOwnWords(own, chat, deps)], note: { kind: 'text', own, group } };
  }

  // The count for the rate limit and the chat's last verdict (kept below as the one before this) in
  // one round trip to the store. Chatter in a group is seldom remembered: read only when needed.
  const [allowed, before] = await countAndRecall(deps, chat, addressed);
  if (!allowed.ok) {
    const note = { kind: 'text', limited: allowed.scope, group, mentioned };
    if (!allowed.notice) return { messages: QUIET, note };
    const notice = renderAnswer(copy.answers.rate_limited, { minutes: allowed.minutes });
    return { messages: [text(notice, copy)], note };
  }
  const long = body.length > LIMITS.textUnits;
  const checked = long ? cutAt(body, LIMITS.textUnits) : body;
  const verdict = (await deps.detector).analyze(checked);
  const note = {
    kind: 'text',
    risk: verdict.risk,
    brand: verdict.brand?.id ?? 'none',
    chars: body.length,
    group,
    mentioned,
  };
  // A family group is a conversation between people: speak only about a likely scam that carries a
  // link or a number to call, or when someone asks.
  if (!addressed && !(hasContact(verdict) && (verdict.risk === 'high' || verdict.risk === 'medium')))
    return { messages: QUIET, note };

  const saving = rememberVerdict(deps.store, chat.id, verdict, m.id, deps.now(), undefined, before);
  saving.catch(() => undefined); // the processor awaits it; a throw below must not leave it unhandled
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
  // 1:1 only: the 「報告する」 card, its mail link built from this text and kept nowhere.
  if (!group) addReportCard(messages, verdict, { kind: kindOfText(checked, verdict), text: checked });
  return { messages, note, saving };
}

async function answerCommand(
  command: Command,
  chat: Chat,
  deps: HandlerDeps,
  note: Outcome['note'],
): Promise<Outcome> {
  const { copy } = deps;
  if (command !== 'usage') {
    const guided = await guideCommand(command, chat.id, guideDeps(deps));
    return { messages: guided.messages, note: { ...note, ...guided.note, answer: command } };
  }
  return {
    messages: [text(renderAnswer(copy.answers.usage), copy)],
    note: { ...note, answer: command },
  };
}

async function answerOwnWords(own: OwnWords, chat: Chat, deps: HandlerDeps): Promise<Message> {
  const { copy } = deps;
  if (own === 'greeting') return text(renderAnswer(copy.answers.greeting), copy);
  if (own === 'thanks') return text(renderAnswer(copy.answers.thanks), copy);
  if (own === 'ok') return text(renderAnswer(copy.answers.ok), copy);
  const last = await lastVerdict(deps.store, chat.id);
  if (!last) return text(renderAnswer(copy.answers.question_nothing), copy);
  const summary = last.brand
    ? fill(copy.verdict.summary_with_brand[last.risk], { brand: last.brand.name })
    : copy.verdict.summary[last.risk];
  const body = renderAnswer(copy.answers.question_about_last, {
    when: formatWhen(last.at, deps.now()),
    title: copy.verdict.title[last.risk],
    summary,
  });
  return text(body, copy);
}

/** The rate limit's count and, when the bot was asked, the chat's last verdict: one store call. */
function countAndRecall(deps: HandlerDeps, chat: Chat, addressed: boolean) {
  const read = addressed ? { ns: CONTEXT_NS, subject: chat.id } : null;
  return takeCheckAndRead<ChatContext>(deps.store, chat, deps.rateLimits, addressed, read);
}

function guideDeps(deps: HandlerDeps): GuideDeps {
  return { guide: loadGuide(), store: deps.store, copy: deps.copy, now: deps.now };
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
