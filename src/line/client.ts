// The Messaging API as the bot uses it: @line/bot-sdk 11 clients with retries. 429 and 5xx (and network
// errors and timeouts) are retried with exponential backoff; other 4xx are final, since sending the
// same request again cannot change the answer.
import { HTTPFetchError } from '@line/bot-sdk';
import http from 'node:http';
import https from 'node:https';
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
  reply(replyToken: string, messages: Message[]): Promise<void>;
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
    async reply(replyToken, messages) {
      await withRetry(policy, () =>
        post('/v2/bot/message/reply', { replyToken, messages }, policy.timeoutMs),
      );
    },
    async push(to, messages, retryKey) {
      try {
        await withRetry(policy, () =>
          post('/v2/bot/message/push', { to, messages }, policy.timeoutMs, { 'x-line-retry-key': retryKey }),
        );
      } catch (err) {
        // 409: LINE already accepted a request with this retry key, i.e. an earlier attempt got through.
        if (err instanceof LineApiError && err.status === 409) return;
        throw err;
      }
    },
    async showLoading(chatId, seconds) {
      await withRetry({ ...policy, attempts: 1 }, () =>
        post('/v2/bot/chat/loading/start', { chatId, loadingSeconds: seconds }, policy.timeoutMs),
      );
    },
  };
}

type Post = (
  path: string,
  body: unknown,
  timeoutMs: number,
  headers?: Record<string, string>,
) => Promise<void>;

/**
 * The JSON calls (reply, push, loading) over node:http with kept-alive connections, at most 64 at once:
 * a third of the CPU of the SDK's fetch per call (~115 µs against ~310 µs measured on loopback), which
 * counts at hundreds of answers a second. Same requests as the SDK's; a non-2xx answer is thrown as the
 * SDK's HTTPFetchError, so the retries below treat both alike. Downloads are src/media/content.ts's.
 */
function jsonPoster(baseUrl: string, token: string): Post {
  const base = new URL(baseUrl);
  const secure = base.protocol === 'https:';
  const agent = secure
    ? new https.Agent({ keepAlive: true, maxSockets: 64 })
    : new http.Agent({ keepAlive: true, maxSockets: 64 });
  const request = secure ? https.request : http.request;
  // Where every call goes, worked out once rather than a URL parsed per call (paths are absolute).
  const target = {
    protocol: base.protocol,
    hostname: base.hostname.startsWith('[') ? base.hostname.slice(1, -1) : base.hostname, // IPv6
    port: base.port || undefined,
  };
  // Headers as a raw list, the same for every call but the length: node:http writes a list as it is,
  // where an object is validated and stored header by header on each request. Host is ours to give
  // then (URL.host: the port only when it is not the default, IPv6 in brackets, as node writes it).
  const fixed = [
    'host',
    base.host,
    'content-type',
    'application/json',
    'authorization',
    `Bearer ${token}`,
    'user-agent',
    'sagicheck',
  ];
  return (path, body, timeoutMs, headers = {}) =>
    new Promise<void>((resolve, reject) => {
      // Serialised and encoded once: its length is the buffer's, and the socket writes the buffer as it is.
      const data = Buffer.from(JSON.stringify(body), 'utf8');
      const raw = [...fixed, 'content-length', String(data.length)];
      for (const k in headers) raw.push(k, headers[k]!);
      const req = request(
        {
          ...target,
          path,
          method: 'POST',
          agent,
          headers: raw,
        },
        (res) => {
          // Read to the end (the connection goes back to the pool); an error body is kept, capped.
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            if ((size += c.length) <= 16_384) chunks.push(c);
          });
          res.on('error', reject);
          res.on('end', () => {
            clearTimeout(timer);
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) return resolve();
            const h = new Headers();
            for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h.set(k, v);
            const text = Buffer.concat(chunks).toString('utf8');
            reject(
              new HTTPFetchError(`${status} - ${res.statusMessage ?? ''}`, {
                status,
                statusText: res.statusMessage ?? '',
                headers: h,
                body: text,
              }),
            );
          });
        },
      );
      // The whole call, not only silence: the retry's own timeout gives up on it, this frees the socket.
      const timer = setTimeout(() => req.destroy(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
      req.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      req.end(data);
    });
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
