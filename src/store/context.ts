// What the bot remembers about a chat between messages: the last verdict's risk, brand, scenario,
// advice and time, so 「どうすればいい？」 can answer about it. Never the text of the message. The advice
// lines come from rules/advice.yaml, so they hold nothing the person wrote.
import type { Store } from '../store/store.ts';
import type { Risk, Verdict } from '../detector/types.ts';

export const CONTEXT_NS = 'context';
export const CONTEXT_TTL_MS = 24 * 60 * 60_000;

export type ChatContext = {
  risk: Risk;
  brand: { id: string; name: string } | null;
  scenario: string | null;
  advice: string[];
  /** When the verdict was given (ms since epoch). */
  at: number;
  /** The LINE message id the verdict was about: an unsend of that message forgets the context. */
  messageId: string;
  /** Whether the message had a link / a phone number: the guide's first question follows it. */
  links?: number;
  phones?: number;
  /** A mail (a mail file, or pasted with its addresses): the guide may say メール; otherwise メッセージ. */
  mail?: boolean;
  /** The message checked before this one, so 「最初のほう」 can still be talked about. */
  previous?: Omit<ChatContext, 'previous'> | null;
};

export async function rememberVerdict(
  store: Store,
  chatId: string,
  v: Verdict,
  messageId: string,
  at: number,
  mail = v.emails.length > 0,
  /** The chat's last verdict when the caller read it already (in the same round trip as other reads). */
  known?: ChatContext | null,
): Promise<void> {
  const before = known !== undefined ? known : await lastVerdict(store, chatId);
  const ctx: ChatContext = {
    risk: v.risk,
    brand: v.brand ? { id: v.brand.id, name: v.brand.name } : null,
    scenario: v.scenario,
    advice: v.advice,
    at,
    messageId,
    links: v.urls.length,
    phones: v.phones.length,
    mail,
    previous: before ? withoutPrevious(before) : null,
  };
  await store.set(CONTEXT_NS, chatId, ctx, CONTEXT_TTL_MS);
}

export async function lastVerdict(store: Store, chatId: string): Promise<ChatContext | null> {
  return store.get<ChatContext>(CONTEXT_NS, chatId);
}

/** The person took back the message: forget the verdict about it, if that is what we hold. */
export async function forgetMessage(store: Store, chatId: string, messageId: string): Promise<boolean> {
  const ctx = await lastVerdict(store, chatId);
  if (!ctx) return false;
  if (ctx.previous?.messageId === messageId) {
    await store.set(CONTEXT_NS, chatId, { ...ctx, previous: null }, CONTEXT_TTL_MS);
    return true;
  }
  if (ctx.messageId !== messageId) return false;
  if (ctx.previous) await store.set(CONTEXT_NS, chatId, ctx.previous, CONTEXT_TTL_MS);
  else await store.delete(CONTEXT_NS, chatId);
  return true;
}

function withoutPrevious(c: ChatContext): Omit<ChatContext, 'previous'> {
  const { previous: _, ...rest } = c;
  return rest;
}
