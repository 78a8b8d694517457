// What LINE was told "200" for is in the store first (store.ts, Backlog): the webhook writes a body's
// events in one transaction and only then acknowledges; consumers (consumer.ts) take them from there.
//
// Sealed at rest: an event holds the message text, the user id and the reply token. It lives in the
// backlog for seconds, but SQLite's WAL file and Redis's persistence may keep old copies of a deleted
// row for a while, so the body is AES-256-GCM encrypted with a key derived from LINE_CHANNEL_SECRET (a
// secret that is never on the volume nor in Redis). The event id is the additional data: a body cannot
// be moved to another id. Rotating the channel secret makes events still waiting unreadable: they are
// logged by id and dropped (docs/deploy.md).
import {
  createCipheriv,
  createDecipheriv,
  createSecretKey,
  hash,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import { chatOf, type LineEvent } from '../line/events.ts';
import type { BacklogEntry, BacklogItem } from '../store/store.ts';

/** A key object made once: a raw key given to every cipher would be imported again for each event. */
export type SealKey = KeyObject;

/** A webhookEventId seen within this long is a duplicate: LINE redelivers for a while, tokens last 20 min. */
export const DEDUPE_MS = 24 * 60 * 60_000;

export function backlogKey(channelSecret: string): SealKey {
  return createSecretKey(Buffer.from(hkdfSync('sha256', channelSecret, 'sagicheck', 'event backlog v1', 32)));
}

/**
 * Events of one chat are answered in order; an event without a chat only needs its own turn. A hash of
 * the chat's id: the backlog needs to group a chat's events, not to know who it is.
 */
export function orderKey(event: LineEvent): string {
  const key = event.source ? chatOf(event.source).id : event.webhookEventId;
  return hash('sha256', key, 'base64url').slice(0, 22);
}

// Nonces drawn from the system's random source in blocks rather than one call per event; each 96-bit
// nonce is still random and used once.
const IV_BYTES = 12;
const IV_BLOCK = IV_BYTES * 256;
let ivs = Buffer.alloc(0);
let ivAt = 0;
function nextIv(): Buffer {
  if (ivAt + IV_BYTES > ivs.length) {
    ivs = randomBytes(IV_BLOCK);
    ivAt = 0;
  }
  ivAt += IV_BYTES;
  return ivs.subarray(ivAt - IV_BYTES, ivAt);
}

export function seal(key: SealKey, event: LineEvent): BacklogItem {
  const iv = nextIv();
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(event.webhookEventId));
  const data = cipher.update(JSON.stringify(event), 'utf8');
  // GCM is a stream mode: final() holds no bytes back (it computes the tag), so no second concat.
  const rest = cipher.final();
  const parts = rest.length ? [iv, cipher.getAuthTag(), data, rest] : [iv, cipher.getAuthTag(), data];
  const body = `v1.${Buffer.concat(parts).toString('base64')}`;
  return { id: event.webhookEventId, chat: orderKey(event), body };
}

/** Throws when the body was sealed with another key or altered. */
export function unseal(key: SealKey, entry: Pick<BacklogEntry, 'id' | 'body'>): LineEvent {
  if (!entry.body.startsWith('v1.')) throw new Error('unknown backlog body format');
  const raw = Buffer.from(entry.body.slice(3), 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(entry.id));
  decipher.setAuthTag(raw.subarray(12, 28));
  const json = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  return JSON.parse(json) as LineEvent;
}
