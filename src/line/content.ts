// The bytes of an image or file message from LINE's content API (GET {LINE_DATA_API_BASE_URL}/v2/bot/
// message/{id}/content) with @line/bot-sdk's MessagingApiBlobClient: a size cap (checked on
// Content-Length and while reading) and a time limit for the whole download; 404 (expired) and 410
// (unsent) are told apart.
import { HTTPFetchError, messagingApi } from '@line/bot-sdk';
import type { Readable } from 'node:stream';
import { ContentError, type Content, type ContentSource } from '../media/content.ts';

export interface LineContentOptions {
  channelAccessToken: string;
  dataApiBaseUrl: string;
  /** Attempts on a network error or 5xx, the first included (default 2). */
  attempts?: number;
}

export function lineContentSource(o: LineContentOptions): ContentSource {
  const blob = new messagingApi.MessagingApiBlobClient({
    channelAccessToken: o.channelAccessToken,
    baseURL: o.dataApiBaseUrl,
  });
  const attempts = o.attempts ?? 2;
  return {
    async fetch(messageId, { maxBytes, timeoutMs }) {
      const deadline = Date.now() + timeoutMs;
      for (let attempt = 1; ; attempt++) {
        try {
          return await withDeadline(download(blob, messageId, maxBytes), deadline, timeoutMs);
        } catch (err) {
          const e = asContentError(err);
          const retriable = e.kind === 'failed' && (e.status === null || e.status >= 500);
          if (!retriable || attempt >= attempts || Date.now() + 200 >= deadline) throw e;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    },
  };
}

async function download(
  blob: messagingApi.MessagingApiBlobClient,
  messageId: string,
  maxBytes: number,
): Promise<Content> {
  const { httpResponse, body } = await blob.getMessageContentWithHttpInfo(messageId);
  const length = Number(httpResponse.headers.get('content-length'));
  if (Number.isFinite(length) && length > maxBytes) {
    body.destroy();
    throw new ContentError('too_large', `content is ${length} bytes, more than ${maxBytes}`);
  }
  return {
    bytes: await readCapped(body, maxBytes),
    contentType: httpResponse.headers.get('content-type'),
  };
}

/** Rejects at the deadline. The SDK's fetch takes no abort signal: a body that arrives late is dropped. */
function withDeadline(p: Promise<Content>, deadline: number, timeoutMs: number): Promise<Content> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ContentError('timeout', `download took longer than ${timeoutMs} ms`)),
      Math.max(0, deadline - Date.now()),
    );
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

async function readCapped(stream: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > maxBytes) {
      stream.destroy();
      throw new ContentError('too_large', `content is larger than ${maxBytes} bytes`);
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

function asContentError(err: unknown): ContentError {
  if (err instanceof ContentError) return err;
  if (err instanceof HTTPFetchError) {
    if (err.status === 404) return new ContentError('not_found', 'content not found', 404);
    if (err.status === 410) return new ContentError('gone', 'content was unsent', 410);
    return new ContentError('failed', `content API answered ${err.status}`, err.status);
  }
  return new ContentError('failed', err instanceof Error ? err.message : String(err));
}
