// The Sender port: how answers leave src/conversation/process.ts. The LINE implementation (./sender.ts)
// replies with the reply token and falls back to push; the simulator page collects the messages instead.
import type { Message } from './messages.ts';
import type { Chat } from './events.ts';

export interface ReplyTarget {
  /** The webhook event answered: logs, and the idempotency key of a fallback push. */
  eventId: string;
  replyToken: string;
  chat: Chat;
  /**
   * false: when the reply token fails, do not push (an earlier attempt at this event may have answered
   * already; src/server/consumer.ts). Unset: push allowed.
   */
  pushAllowed?: boolean;
}

/** How an answer went out: by reply, by push after the reply token failed, or not at all. */
export type Delivery = 'replied' | 'pushed' | 'failed';

export interface Sender {
  reply(target: ReplyTarget, messages: Message[]): Promise<Delivery>;
  /**
   * A reply to target is coming: what must be stored before it (src/server/consumer.ts notes
   * "sending") may start now, in the same round trip as the answer's own store writes. reply() still
   * waits for it. Optional; never needed for correctness.
   */
  prepare?(target: ReplyTarget): Promise<void>;
  /** The "…" typing indicator in a 1:1 chat while slow work runs; never throws. */
  showLoading(userId: string): Promise<void>;
}
