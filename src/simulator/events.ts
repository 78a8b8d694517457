// What the simulator page may ask (checked with zod) and the LINE webhook event each request becomes.
// The event is built as the raw JSON LINE would post and then read by the webhook's own parser
// (parseEvent), so the handler sees exactly the shape a real LINE event has.
import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { parseEvent, type LineEvent } from '../line/events.ts';

/** The one user of the page: 33 characters like a LINE user id, and plainly not a real one. */
export const SIMULATOR_USER = 'Usimulator'.padEnd(33, '0');

/** A person can type up to 10,000 characters in one LINE message; the bot checks the first 5,000. */
export const MAX_TEXT = 10_000;

/**
 * What the page sends: one user action a request. File bytes travel as base64 inside the JSON; their
 * size is bounded by the endpoint's body limit and checked again once decoded (413, not 400).
 */
export function requestSchema() {
  const base64 = z
    .string()
    .min(1, 'must not be empty')
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64');
  const contentType = z
    .string()
    .max(100)
    .regex(/^[\w.+-]+\/[\w.+-]+$/, 'must be a MIME type like image/png')
    .optional();
  return z.discriminatedUnion(
    'type',
    [
      z.strictObject({ type: z.literal('text'), text: z.string().min(1).max(MAX_TEXT) }),
      z.strictObject({ type: z.literal('image'), data: base64, contentType }),
      z.strictObject({
        type: z.literal('file'),
        fileName: z.string().trim().min(1).max(255),
        data: base64,
        contentType,
      }),
      // What a postback button or quick reply carries (LINE allows 300 characters of data).
      z.strictObject({ type: z.literal('postback'), data: z.string().min(1).max(300) }),
      z.strictObject({ type: z.literal('follow') }),
      z.strictObject({ type: z.literal('unfollow') }),
    ],
    { error: 'type must be text, image, file, postback, follow or unfollow' },
  );
}

export type SimulatorRequest = z.infer<ReturnType<typeof requestSchema>>;

/** An event for the handler, and the uploaded bytes it refers to (by message id), if any. */
export interface BuiltEvent {
  event: LineEvent;
  upload: { messageId: string; bytes: Buffer; contentType: string | null } | null;
}

export function buildEvent(req: SimulatorRequest, now: number): BuiltEvent {
  const common = {
    mode: 'active',
    timestamp: now,
    source: { type: 'user', userId: SIMULATOR_USER },
    webhookEventId: eventId(now),
    deliveryContext: { isRedelivery: false },
  };
  const replyToken = randomBytes(16).toString('hex');
  const messageId = messageIdAt(now);
  let raw: Record<string, unknown> & { type: string };
  let upload: BuiltEvent['upload'] = null;
  switch (req.type) {
    case 'text':
      raw = {
        type: 'message',
        ...common,
        replyToken,
        message: { id: messageId, type: 'text', quoteToken: randomUUID(), text: req.text },
      };
      break;
    case 'image':
    case 'file': {
      const bytes = Buffer.from(req.data, 'base64');
      upload = { messageId, bytes, contentType: req.contentType ?? null };
      const message =
        req.type === 'image'
          ? { id: messageId, type: 'image', quoteToken: randomUUID(), contentProvider: { type: 'line' } }
          : { id: messageId, type: 'file', fileName: req.fileName, fileSize: bytes.length };
      raw = { type: 'message', ...common, replyToken, message };
      break;
    }
    case 'postback':
      raw = { type: 'postback', ...common, replyToken, postback: { data: req.data } };
      break;
    case 'follow':
      raw = { type: 'follow', ...common, replyToken, follow: { isUnblocked: false } };
      break;
    case 'unfollow':
      raw = { type: 'unfollow', ...common };
      break;
  }
  const parsed = parseEvent(raw);
  // Built here from checked input: a failure is a bug in this file, not the caller's mistake.
  if (!parsed.ok)
    throw new Error(`simulator built an invalid ${raw.type} event: ${parsed.problems.join('; ')}`);
  return { event: parsed.event, upload };
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A ULID, as LINE's webhookEventId is: 10 characters of time, 16 random. */
function eventId(now: number): string {
  let time = '';
  for (let t = now, i = 0; i < 10; i++, t = Math.floor(t / 32)) time = CROCKFORD[t % 32] + time;
  const random = [...randomBytes(16)].map((b) => CROCKFORD[b % 32]).join('');
  return time + random;
}

/** A numeric id of 18 digits, as LINE's message ids are. */
function messageIdAt(now: number): string {
  return `${now}${String(randomBytes(3).readUIntBE(0, 3) % 100_000).padStart(5, '0')}`;
}
