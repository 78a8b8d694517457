// Rate limits: at most `max` checks per window in a 1:1 chat (per user) and in a group or room (per
// group; RATE_LIMIT_USER / RATE_LIMIT_GROUP, defaults in src/config.ts). Counted in the store, so with
// Redis every machine sees the same count. Over the limit the bot says so once (rules/replies.yaml
// answers.rate_limited) and then stays quiet until the window has passed: a flood gets one answer,
// not one per message. In a group the notice goes out only when someone called the bot (@); chatter
// that only goes over the count is passed over silently, as the bot is quiet there anyway.
// A window starts with the first check counted and lasts windowMs (a fixed window per chat).
// The counters are kept under a hash of the chat's id, not the id: blocking and re-adding the bot
// deletes everything kept under the id (unfollow), but not the count, so that is no way around the
// limit; and all that is kept is a number under a name that does not say whose it is.
import { hash } from 'node:crypto';
import type { RateLimit } from '../config.ts';
import type { Chat } from '../line/events.ts';
import type { Store } from '../store/store.ts';

export const RATE_NS = 'rate';
/** Counts notices sent, so "once" holds across machines too. */
export const RATE_NOTICE_NS = 'rate_notice';

export interface RateLimits {
  user: RateLimit | null;
  group: RateLimit | null;
}

export type Allowance =
  | { ok: true }
  /** notice: this message gets the one "please wait" answer; otherwise the bot says nothing. */
  | { ok: false; notice: boolean; minutes: number; scope: 'user' | 'group' };

/**
 * Counts one check for the chat and says whether it may go ahead. `addressed`: the person asked the
 * bot (always in a 1:1 chat; in a group, a message that mentions the bot).
 */
export async function takeCheck(
  store: Store,
  chat: Chat,
  limits: RateLimits | undefined,
  addressed: boolean,
): Promise<Allowance> {
  return (await takeCheckAndRead(store, chat, limits, addressed, null))[0];
}

/**
 * takeCheck, and a record read in the same call to the store (store.incrementAndGet: one Redis
 * command): the chat's last verdict, which every text checked needs. `read` null: nothing read.
 */
export async function takeCheckAndRead<T>(
  store: Store,
  chat: Chat,
  limits: RateLimits | undefined,
  addressed: boolean,
  read: { ns: string; subject: string } | null,
): Promise<[Allowance, T | null | undefined]> {
  const scope = chat.type === 'user' ? 'user' : 'group';
  const limit = limits?.[scope];
  const get = () => (read ? store.get<T>(read.ns, read.subject) : undefined);
  if (!limit) return [{ ok: true }, await get()];
  const key = counterKey(chat.id);
  const counter = { ns: RATE_NS, subject: key, ttlMs: limit.windowMs };
  const [count, value] =
    read && store.incrementAndGet
      ? await store.incrementAndGet<T>(counter, read)
      : await Promise.all([store.increment(RATE_NS, key, limit.windowMs), get()]);
  return [await allowance(store, key, limit, addressed, count, scope), value];
}

async function allowance(
  store: Store,
  key: string,
  limit: RateLimit,
  addressed: boolean,
  count: number,
  scope: 'user' | 'group',
): Promise<Allowance> {
  if (count <= limit.max) return { ok: true };
  const minutes = Math.max(1, Math.ceil(limit.windowMs / 60_000));
  // The notice counter lives one window from the first notice: at most one notice per window length.
  const notice = addressed && (await store.increment(RATE_NOTICE_NS, key, limit.windowMs)) === 1;
  return { ok: false, notice, minutes, scope };
}

/** The store key of a chat's counters: a one-way hash of its id (domain-separated from log pseudonyms). */
export function counterKey(chatId: string): string {
  return hash('sha256', `sagicheck-rate:${chatId}`, 'base64url').slice(0, 22);
}
