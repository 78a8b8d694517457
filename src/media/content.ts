// Where the bytes of an image or file message come from. LINE's content API (src/line/content.ts) and the
// simulator page's uploads (memoryContentSource) supply them through this one interface, so both go
// through one handler. A source keeps to a size cap and a time limit; 404 (expired) and 410 (unsent)
// are told apart.
export interface Content {
  bytes: Buffer;
  /** As the source says (LINE: the Content-Type header); null when unknown. */
  contentType: string | null;
}

export interface FetchOptions {
  maxBytes: number;
  timeoutMs: number;
}

export interface ContentSource {
  fetch(messageId: string, o: FetchOptions): Promise<Content>;
}

/** too_large: over maxBytes. not_found: 404 (expired or never there). gone: 410 (the person unsent it). */
export type ContentProblem = 'too_large' | 'not_found' | 'gone' | 'timeout' | 'failed';

export class ContentError extends Error {
  readonly kind: ContentProblem;
  readonly status: number | null;
  constructor(kind: ContentProblem, message: string, status: number | null = null) {
    super(message);
    this.name = 'ContentError';
    this.kind = kind;
    this.status = status;
  }
}

/** Bytes held in memory by message id: tests, and the simulator page's uploads. */
export function memoryContentSource(items: Map<string, Content>): ContentSource {
  return {
    async fetch(messageId, { maxBytes }) {
      const c = items.get(messageId);
      if (!c) throw new ContentError('not_found', 'content not found', 404);
      if (c.bytes.length > maxBytes)
        throw new ContentError('too_large', `content is ${c.bytes.length} bytes, more than ${maxBytes}`);
      return c;
    },
  };
}
