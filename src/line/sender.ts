// Sends an answer to LINE: reply with the reply token (free, and the normal path); when LINE says the
// token is invalid or expired, push instead, but only in a 1:1 chat (a push to a group costs one
// message per member, and nobody there is waiting alone for the answer).
import { randomUUID } from 'node:crypto';
import type { messagingApi } from '@line/bot-sdk';
import type { Logger } from '../log/logger.ts';
import type { Delivery, ReplyTarget, Sender } from '../conversation/sender.ts';
import { isInvalidReplyToken, LineApiError, type LineApi } from './client.ts';
import { checkMessages } from './limits.ts';
import { text, type Message } from './messages.ts';

const LOADING_SECONDS = 20;

export function createLineSender(api: LineApi, log: Logger): Sender {
  return {
    async reply(target, messages) {
      const l = log.child({ eventId: target.eventId });
      const safe = withinLimits(messages, l);
      try {
        await api.reply(target.replyToken, safe);
        return 'replied';
      } catch (err) {
        if (!isInvalidReplyToken(err)) {
          l.error({ err }, 'reply failed');
          return 'failed';
        }
        l.warn({ err }, 'reply token invalid or expired');
        if (target.chat.type !== 'user') return 'failed';
        if ((err as LineApiError).uncertain) {
          // An earlier attempt may have used the token: pushing could answer twice.
          l.warn('not pushing: an earlier reply attempt may have been delivered');
          return 'failed';
        }
        return push(api, target, safe, l);
      }
    },
    async showLoading(userId) {
      try {
        await api.showLoading(userId, LOADING_SECONDS);
      } catch (err) {
        log.warn({ err }, 'loading indicator failed');
      }
    },
  };
}

async function push(api: LineApi, target: ReplyTarget, messages: Message[], l: Logger): Promise<Delivery> {
  // One key for every attempt of this push: LINE then delivers it at most once.
  const retryKey = randomUUID();
  try {
    await api.push(target.chat.id, messages, retryKey);
    l.info('answer pushed after the reply token failed');
    return 'pushed';
  } catch (err) {
    l.error({ err }, 'push failed');
    return 'failed';
  }
}

/** Builders keep to the limits; should one ever not, the gist still reaches the person as one text. */
function withinLimits(messages: Message[], l: Logger): Message[] {
  const problems = checkMessages(messages);
  if (!problems.length) return messages;
  l.error({ problems }, 'answer exceeds LINE limits; sending its first line only');
  const first = messages[0];
  const gist =
    first?.type === 'flex'
      ? (first as messagingApi.FlexMessage).altText
      : first?.type === 'text'
        ? (first as messagingApi.TextMessage).text
        : '';
  return gist ? [text(gist)] : messages;
}
