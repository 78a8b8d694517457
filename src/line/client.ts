// The Messaging API as the bot uses it: @line/bot-sdk 11 clients with retries. 429 and 5xx (and network
// errors and timeouts) are retried with exponential backoff; other 4xx are final, since sending the
// same request again cannot change the answer.
import { HTTPFetchError } from '@line/bot-sdk';
import { createJsonPoster, type Json } from './http-post.ts';
import type { Message } from './messages.ts';

export interface LineApiOptions {
  channelAccessToken: string;
  apiBaseUrl: string;
  /** Attempts per call, the first included. */
  attempts?: number;
  /** First backoff delay; doubled each retry, with jitter, capped at maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** One attempt that takes longer is abandoned and counts as failed. */
  timeoutMs?: number;
}

/** The calls the bot makes; tests and the simulator can stand in their own. */
export interface LineApi {
  /**
   * json: JSON.stringify(messages) when the caller has it already, as text or UTF-8 bytes (the request
   * is then built around it).
   */
  reply(replyToken: string, messages: Message[], json?: string | Uint8Array): Promise<void>;
  /** retryKey: a UUID sent as X-Line-Retry-Key on every attempt, so LINE delivers the push once. */
  push(to: string, messages: Message[], retryKey: string): Promise<void>;
  showLoading(chatId: string, seconds: number): Promise<void>;
}

export class LineApiError extends Error {
  readonly status: number | null;
  /** LINE's error message (e.g. "Invalid reply token"), never our request body. */
  readonly lineMessage: string;
  readonly attempts: number;
  /** An earlier attempt may have reached LINE (timeout or 5xx): the request may have taken effect. */
  readonly uncertain: boolean;
  constructor(status: number | null, lineMessage: string, attempts: number, uncertain: boolean) {
    super(`LINE API ${status ?? 'network error'}: ${lineMessage}`);
    this.name = 'LineApiError';
    this.status = status;
    this.lineMessage = lineMessage;
    this.attempts = attempts;
    this.uncertain = uncertain;
  }
}

export function isInvalidReplyToken(err: unknown): boolean {
  return err instanceof LineApiError && err.status === 400 && /invalid reply token/i.test(err.lineMessage);
}

export function createLineApi(o: LineApiOptions): LineApi {
  const post = jsonPoster(o.apiBaseUrl, o.channelAccessToken);
  const policy = {
    attempts: o.attempts ?? 4,
    baseDelayMs: o.baseDelayMs ?? 300,
    maxDelayMs: o.maxDelayMs ?? 5_000,
    timeoutMs: o.timeoutMs ?? 10_000,
  };
  return {
    async reply(replyToken, messages, json) {
      // The same bytes as JSON.stringify({ replyToken, messages }), the messages neither serialised nor
      // copied again (the pieces are encoded one after the other into the request).
      const body =
        json === undefined
          ? JSON.stringify({ replyToken, messages })
          : [`{"replyToken":${JSON.stringify(replyToken)},"messages":`, json, '}'];
      await withRetry(policy, () => post('/v2/bot/message/reply', body, policy.timeoutMs));
    },
    async push(to, messages, retryKey) {
      try {
        const body = JSON.stringify({ to, messages });
        await withRetry(policy, () =>
          post('/v2/bot/message/push', body, policy.timeoutMs, { 'x-line-retry-key': retryKey }),
        );
      } catch (err) {
        // 409: LINE already accepted a request with this retry key, i.e. an earlier attempt got through.
        if (err instanceof LineApiError && err.status === 409) return;
        throw err;
      }
    },
    async showLoading(chatId, seconds) {
      const body = JSON.stringify({ chatId, loadingSeconds: seconds });
      await withRetry({ ...policy, attempts: 1 }, () =>
        post('/v2/bot/chat/loading/start', body, policy.timeoutMs),
      );
    },
  };
}

type Post = (
  path: string,
  /** The request's JSON (or its pieces), serialised once for every attempt. */
  json: Json,
  timeoutMs: number,
  headers?: Record<string, string>,
) => Promise<void>;

/**
 * The JSON calls (reply, push, loading) over kept-alive connections, at most 64 at once (./http-post.ts:
 * ~30 % less CPU per call than node:http, which was itself a third of the SDK's fetch). Same requests
 * as the SDK's; a non-2xx answer is thrown as the SDK's HTTPFetchError, so the retries below treat both
 * alike. Downloads are src/media/content.ts's.
 */
function jsonPoster(baseUrl: string, token: string): Post {
  const poster = createJsonPoster(baseUrl, [
    ['content-type', 'application/json'],
    ['authorization', `Bearer ${token}`],
    ['user-agent', 'sagicheck'],
  ]);
  return async (path, json, timeoutMs, headers) => {
    const res = await poster.post(path, json, timeoutMs, headers);
    if (res.status >= 200 && res.status < 300) return;
    const h = new Headers();
    for (const [k, v] of Object.entries(res.headers)) {
      try {
        h.set(k, v);
      } catch {
        // A value Headers refuses is one we do not read (we read retry-after).
      }
    }
    throw new HTTPFetchError(`${res.status} - ${res.statusText}`, {
      status: res.status,
      statusText: res.statusText,
      headers: h,
      body: res.body,
    });
  };
}

interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  timeoutMs: number;
}

async function withRetry<T>(p: RetryPolicy, call: () => Promise<T>): Promise<T> {
  let uncertain = false;
  for (let attempt = 1; ; attempt++) {
    let status: number | null = null;
    let message: string;
    let retryAfterMs: number | null = null;
    try {
      // Each call enforces p.timeoutMs itself (jsonPoster destroys the request): no second timer here.
      return await call();
    } catch (err) {
      if (err instanceof HTTPFetchError) {
        status = err.status;
        message = lineErrorMessage(err.body) || err.statusText;
        const ra = Number(err.headers.get('retry-after'));
        if (Number.isFinite(ra) && ra > 0) retryAfterMs = ra * 1000;
      } else {
        message = err instanceof Error ? err.message : String(err);
      }
      const retriable = status === null || status === 429 || status >= 500;
      if (!retriable || attempt >= p.attempts) throw new LineApiError(status, message, attempt, uncertain);
      // A 429 was refused outright; a timeout or 5xx may have been carried out before failing.
      if (status !== 429) uncertain = true;
    }
    const backoff = Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** (attempt - 1));
    await sleep(Math.min(p.maxDelayMs, retryAfterMs ?? backoff * (0.75 + Math.random() * 0.5)));
  }
}

function lineErrorMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    return typeof parsed.message === 'string' ? parsed.message : '';
  } catch {
    return body.slice(0, 200);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
