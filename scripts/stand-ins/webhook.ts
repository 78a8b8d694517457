// Builds and sends webhook requests the way LINE does: JSON events, signed with the channel secret.
import { createHmac, randomUUID } from 'node:crypto';

export const SECRET = 'test-channel-secret';
export const TOKEN = 'test-access-token';
export const USER = 'U' + '1'.repeat(32);
export const GROUP = 'C' + '2'.repeat(32);
export const BOT = 'U' + 'b'.repeat(32);

export function sign(body: string | Buffer, secret = SECRET): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

type UserSource = { type: 'user'; userId: string };
type GroupSource = { type: 'group'; groupId: string; userId?: string };
type Source = UserSource | GroupSource;

export const inUser = (userId = USER): UserSource => ({ type: 'user', userId });
export const inGroup = (groupId = GROUP, userId = USER): GroupSource => ({ type: 'group', groupId, userId });

export interface TestEvent {
  type: string;
  mode: string;
  timestamp: number;
  source: Source;
  webhookEventId: string;
  deliveryContext: { isRedelivery: boolean };
}

let seq = 0;
/** A fresh ULID-like id: every event of a test is distinct unless a test reuses one on purpose. */
export function eventId(): string {
  seq++;
  return `01TEST${String(seq).padStart(6, '0')}${randomUUID().replace(/-/g, '').slice(0, 14).toUpperCase()}`;
}

function base<E extends object>(type: string, source: Source, extra: E): TestEvent & E {
  const event: TestEvent = {
    type,
    mode: 'active',
    timestamp: Date.now(),
    source,
    webhookEventId: eventId(),
    deliveryContext: { isRedelivery: false },
  };
  return Object.assign(event, extra);
}

export function textEvent(text: string, source: Source = inUser(), extra: object = {}) {
  const id = String(100000 + ++seq);
  return base('message', source, {
    replyToken: `rt-${randomUUID()}`,
    message: { id, type: 'text', quoteToken: 'q', text, ...extra },
  });
}

export function messageEvent(message: Record<string, unknown>, source: Source = inUser()) {
  return base('message', source, {
    replyToken: `rt-${randomUUID()}`,
    message: { id: String(100000 + ++seq), ...message },
  });
}

export function postbackEvent(data: string, source: Source = inUser()) {
  return base('postback', source, { replyToken: `rt-${randomUUID()}`, postback: { data } });
}

export function followEvent(source: Source = inUser()) {
  return base('follow', source, { replyToken: `rt-${randomUUID()}`, follow: { isUnblocked: false } });
}

export function plainEvent<E extends object = object>(type: string, source: Source = inUser(), extra?: E) {
  return base(type, source, extra ?? ({} as E));
}

export function body(...events: unknown[]): string {
  return JSON.stringify({ destination: BOT, events });
}

export interface Posted {
  status: number;
  json: unknown;
  ms: number;
}

export async function postWebhook(
  baseUrl: string,
  raw: string | Buffer,
  headers: Record<string, string> = { 'x-line-signature': sign(raw) },
): Promise<Posted> {
  const t = performance.now();
  const res = await fetch(`${baseUrl}/webhooks/line`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: raw,
  });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    /* left as text */
  }
  return { status: res.status, json, ms: performance.now() - t };
}

/** Polls until check() returns a value other than undefined/false, or fails after timeoutMs. */
export async function waitFor<T>(
  check: () => T | undefined | false,
  timeoutMs = 3000,
  what = 'condition',
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * The environment of `node src/server/main.ts` on 127.0.0.1 answering through a stand-in LINE API
 * (tests and benchmarks that run the server as deployed); `more` adds or overrides variables.
 */
export function serverEnv(
  o: { port: number; lineUrl: string; storeUrl: string; secret?: string },
  more: Record<string, string> = {},
): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PORT: String(o.port),
    HOST: '127.0.0.1',
    LINE_CHANNEL_SECRET: o.secret ?? SECRET,
    LINE_CHANNEL_ACCESS_TOKEN: TOKEN,
    LINE_API_BASE_URL: o.lineUrl,
    LINE_DATA_API_BASE_URL: o.lineUrl,
    STORE_URL: o.storeUrl,
    ...more,
  };
}
