// Reads one HTTP/1.1 answer from the bytes of a connection, as they come (./http-post.ts): the status
// line and headers, then a body framed by Content-Length, by chunks or by the connection's end (RFC 9112
// §6.3), skipping 1xx interim answers. Bounded: a head over HEAD_MAX bytes, a chunk-size or trailer line
// over LINE_MAX, or anything that is not HTTP/1.x is an error; of the body, BODY_KEPT bytes are kept.

export interface Answer {
  status: number;
  statusText: string;
  /** Header names in lower case; a repeated header's values joined with ", ". */
  headers: Record<string, string>;
  /** The body as UTF-8 text (up to BODY_KEPT bytes), for an answer outside 2xx only: '' otherwise. */
  body: string;
}

export interface ResponseReader {
  /** The next bytes: the answer once it is complete, else null. Throws on what is not HTTP/1.x. */
  feed(chunk: Buffer): Answer | null;
  /** The connection ended: the answer if its end framed it, else null (cut short). */
  end(): Answer | null;
  /** After the answer: whether the connection may carry the next request. */
  reusable(): boolean;
}

export const HEAD_MAX = 16_384;
export const BODY_KEPT = 16_384;
const LINE_MAX = 4096;
const CRLFCRLF = Buffer.from('\r\n\r\n');

type Mode = 'head' | 'length' | 'size' | 'data' | 'data-end' | 'trailer' | 'eof' | 'done';

interface Head {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  keepAlive: boolean;
}

export function createResponseReader(): ResponseReader {
  return new Reader();
}

class Reader implements ResponseReader {
  private mode: Mode = 'head';
  private pending: Buffer | null = null; // head bytes so far
  private head: Head | null = null;
  private remaining = 0; // bytes left of the body (length) or of the chunk (data)
  private line = ''; // a chunk-size or trailer line so far
  private kept: Buffer[] = [];
  private keptSize = 0;
  private extra = false; // bytes after the answer: the connection is out of step

  feed(chunk: Buffer): Answer | null {
    let buf = chunk;
    let pos = 0;
    while (this.mode === 'head') {
      const from = this.pending ? Math.max(0, this.pending.length - 3) : 0;
      buf = this.pending ? Buffer.concat([this.pending, buf]) : buf;
      const end = buf.indexOf(CRLFCRLF, from);
      if (end < 0) {
        if (buf.length > HEAD_MAX) throw new Error('HTTP: answer head too large');
        this.pending = buf;
        return null;
      }
      this.pending = null;
      this.startBody(buf, end);
      pos = end + 4;
      if (!this.head) {
        // After an interim answer: the rest is the next head.
        buf = buf.subarray(pos);
        pos = 0;
        if (buf.length === 0) return null;
      }
    }
    return this.body(buf, pos) ? this.answer() : null;
  }

  end(): Answer | null {
    if (this.mode !== 'eof' && this.mode !== 'done') return null;
    this.mode = 'done';
    return this.answer();
  }

  reusable(): boolean {
    return this.mode === 'done' && !this.extra && this.head !== null && this.head.keepAlive;
  }

  /** The head ends at `end` in `buf`: parse it and choose how the body is framed. */
  private startBody(buf: Buffer, end: number): void {
    const head = parseHead(buf.toString('latin1', 0, end));
    const { status, headers } = head;
    if (status >= 100 && status < 200) {
      if (status === 101) throw new Error('HTTP: unexpected 101 Switching Protocols');
      return; // interim: the real answer follows
    }
    this.head = head;
    const te = headers['transfer-encoding'];
    const length = headers['content-length'];
    if (status === 204 || status === 304) this.mode = 'done';
    else if (te !== undefined) this.mode = /(?:^|,)\s*chunked\s*$/i.test(te) ? 'size' : 'eof';
    else if (length !== undefined) {
      if (!/^\d{1,15}$/.test(length)) throw new Error('HTTP: invalid Content-Length');
      this.remaining = Number(length);
      this.mode = this.remaining === 0 ? 'done' : 'length';
    } else this.mode = 'eof';
  }

  /** Body bytes from `pos`; true once the answer is complete. */
  private body(buf: Buffer, pos: number): boolean {
    while (pos < buf.length || this.mode === 'done') {
      if (this.mode === 'done') {
        if (pos < buf.length) this.extra = true;
        return true;
      }
      if (this.mode === 'length' || this.mode === 'data') {
        const n = Math.min(this.remaining, buf.length - pos);
        this.keep(buf.subarray(pos, pos + n));
        this.remaining -= n;
        pos += n;
        if (this.remaining === 0) this.mode = this.mode === 'length' ? 'done' : 'data-end';
      } else if (this.mode === 'eof') {
        this.keep(buf.subarray(pos));
        return false;
      } else {
        // A line: a chunk's size, the end of a chunk's data, or a trailer.
        const lf = buf.indexOf(0x0a, pos);
        this.line += buf.toString('latin1', pos, lf < 0 ? buf.length : lf);
        if (this.line.length > LINE_MAX) throw new Error('HTTP: chunk line too long');
        if (lf < 0) return false;
        pos = lf + 1;
        const l = this.line.endsWith('\r') ? this.line.slice(0, -1) : this.line;
        this.line = '';
        this.chunkLine(l);
      }
    }
    return false;
  }

  private chunkLine(l: string): void {
    if (this.mode === 'size') {
      const size = /^([0-9a-fA-F]{1,12})[ \t]*(?:;.*)?$/.exec(l);
      if (!size) throw new Error('HTTP: invalid chunk size');
      this.remaining = parseInt(size[1]!, 16);
      this.mode = this.remaining === 0 ? 'trailer' : 'data';
    } else if (this.mode === 'data-end') {
      if (l !== '') throw new Error('HTTP: chunk not followed by CRLF');
      this.mode = 'size';
    } else if (l === '') this.mode = 'done'; // the empty line after the trailers
  }

  private keep(b: Buffer): void {
    if (this.keptSize >= BODY_KEPT || b.length === 0) return;
    const part = b.length > BODY_KEPT - this.keptSize ? b.subarray(0, BODY_KEPT - this.keptSize) : b;
    this.kept.push(part);
    this.keptSize += part.length;
  }

  private answer(): Answer {
    const h = this.head!;
    const ok = h.status >= 200 && h.status < 300;
    const body = ok || this.keptSize === 0 ? '' : Buffer.concat(this.kept).toString('utf8');
    this.kept = [];
    return { status: h.status, statusText: h.statusText, headers: h.headers, body };
  }
}

/** The status line and headers (latin1 text without the final empty line). */
function parseHead(text: string): Head {
  const lines = text.split('\r\n');
  const status = /^HTTP\/1\.([01]) (\d{3})(?: (.*))?$/.exec(lines[0]!);
  if (!status) throw new Error('HTTP: invalid status line');
  const headers: Record<string, string> = Object.create(null) as Record<string, string>;
  let last = '';
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i]!;
    if ((l.startsWith(' ') || l.startsWith('\t')) && last) {
      headers[last] += ` ${l.trim()}`; // obsolete line folding: one space (RFC 9112 §5.2)
      continue;
    }
    const colon = l.indexOf(':');
    if (colon <= 0) throw new Error('HTTP: invalid header line');
    const name = l.slice(0, colon).toLowerCase();
    const value = l.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    last = name;
  }
  const connection = (headers.connection ?? '').toLowerCase();
  const keepAlive =
    status[1] === '1'
      ? !/(?:^|,)\s*close\s*(?:,|$)/.test(connection)
      : /(?:^|,)\s*keep-alive\s*(?:,|$)/.test(connection);
  return { status: Number(status[2]), statusText: status[3] ?? '', headers, keepAlive };
}
