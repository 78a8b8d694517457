// Sends an answer to LINE: reply with the reply token (free, and the normal path); when LINE says the
// token is invalid or expired, push instead, but only in a 1:1 chat (a push to a group costs one
// message per member, and nobody there is waiting alone for the answer).
import { createHash } from 'node:crypto';
import type { messagingApi } from '@line/bot-sdk';
import type { Logger } from '../log/logger.ts';
import type { Delivery, ReplyTarget, Sender } from './port.ts';
import { isInvalidReplyToken, LineApiError, type LineApi } from './client.ts';
import { checkMessages } from './limits.ts';
import { text, type Message } from './messages.ts';

const LOADING_SECONDS = 20;

export function createLineSender(api: LineApi, log: Logger): Sender {
  return {
    async reply(target, messages) {
      // Made only when something is logged: the answer that goes through logs nothing here.
      let child: Logger | null = null;
      const l = () => (child ??= log.child({ eventId: target.eventId }));
      // Serialised once: for the limits check and as the request's body. While the call waits, only
      // its UTF-8 bytes and the gist are kept: not the cards' objects (a fallback reads them back from
      // the bytes), nor the JSON text (~9 KB of two-byte string per event waiting on the reply, which
      // the young generation's collections copied and then promoted; the bytes lie outside V8's heap).
      let json = JSON.stringify(messages);
      const safe = withinLimits(messages, json, l);
      if (safe !== messages) json = JSON.stringify(safe);
      const gist = gistText(safe);
      const bytes = utf8(json);
      json = '';
      try {
        await api.reply(target.replyToken, safe, bytes);
        return 'replied';
      } catch (first) {
        let err = first;
        if (isRefusedBody(err) && bytes.length > 2) {
          // LINE refused what we built (e.g. a link scheme a channel does not take): a refused request
          // leaves the token unused, so the verdict's gist still goes out as one plain text.
          l().error({ err }, 'LINE refused the answer; sending its first line only');
          try {
            await api.reply(target.replyToken, [gistMessage(gist)]);
            return 'replied';
          } catch (again) {
            err = again;
          }
        }
        if (!isInvalidReplyToken(err)) {
          l().error({ err }, 'reply failed');
          return 'failed';
        }
        l().warn({ err }, 'reply token invalid or expired');
        if (target.chat.type !== 'user') return 'failed';
        if (target.pushAllowed === false) {
          l().warn('not pushing: an earlier attempt at this event may have answered already');
          return 'failed';
        }
        if ((err as LineApiError).uncertain) {
          // An earlier attempt may have used the token: pushing could answer twice.
          l().warn('not pushing: an earlier reply attempt may have been delivered');
          return 'failed';
        }
        // The same messages, read back from their JSON (JSON.stringify writes them again byte for byte).
        return push(api, target, JSON.parse(bytes.toString('utf8')) as Message[], l());
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
  // One key per event, for every attempt of its push, on any machine, after any restart: LINE then
  // delivers it at most once (it remembers keys for 24 hours).
  const retryKey = retryKeyFor(target.eventId);
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
function withinLimits(messages: Message[], json: string, l: () => Logger): Message[] {
  const problems = checkMessages(messages, json);
  if (!problems.length) return messages;
  l().error({ problems }, 'answer exceeds LINE limits; sending its first line only');
  const gist = gistText(messages);
  return gist ? [gistMessage(gist)] : messages;
}

/**
 * The text's UTF-8 bytes in a buffer of their own size, encoded once into a buffer kept for the next
 * call (Buffer.from measures a string's bytes in a pass before encoding it in another).
 */
function utf8(text: string): Buffer {
  if (scratch.length < text.length * 3) scratch = Buffer.allocUnsafeSlow(text.length * 3);
  const n = scratch.write(text, 0, 'utf8');
  const bytes = Buffer.allocUnsafe(n);
  scratch.copy(bytes, 0, 0, n);
  return bytes;
}
let scratch = Buffer.allocUnsafeSlow(32 * 1024);

/** A 400 that is not about the token: LINE found fault with the messages themselves. */
function isRefusedBody(err: unknown): boolean {
  return err instanceof LineApiError && err.status === 400 && !isInvalidReplyToken(err);
}

function gistText(messages: Message[]): string {
  const first = messages[0];
  return first?.type === 'flex'
    ? (first as messagingApi.FlexMessage).altText
    : first?.type === 'text'
      ? (first as messagingApi.TextMessage).text
      : '';
}

/** The answer's first line (the verdict's altText, gistText) as one text that LINE always takes. */
function gistMessage(gist: string): Message {
  return text(gist || 'うまくお返事できませんでした。お手数ですが、もう一度送ってください。');
}

/** A name-based UUID (RFC 9562 version 5 layout) of the webhook event id: the same id, the same key. */
export function retryKeyFor(eventId: string): string {
  const h = createHash('sha1').update(`sagicheck push ${eventId}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}
