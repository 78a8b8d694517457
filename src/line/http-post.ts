// JSON posts to the Messaging API over kept-alive HTTP/1.1 connections, written by hand. The reply call
// goes out with every answer, and node:http's request, agent and response objects and their streams
// took ~30 % of its CPU (~47 against ~33 µs per call with a 3.6 KB card on loopback, JSON included,
// alternating runs). Here a request is one write (a header block fixed but for the length, then the
// JSON), and the answer is read by ./http-response.ts; a connection is used again only after an answer
// read to its end that did not ask to close it.
import net from 'node:net';
import tls from 'node:tls';
import { createResponseReader, type Answer, type ResponseReader } from './http-response.ts';

export type { Answer } from './http-response.ts';

export interface JsonPoster {
  /**
   * Rejects on a network error or timeout; any status, 2xx or not, resolves. `json`: the body, or its
   * pieces in order (a reply's messages, serialised already, are not copied into one string first).
   */
  post(path: string, json: Json, timeoutMs: number, headers?: Record<string, string>): Promise<Answer>;
  /** Closes the idle connections (those in use close when their answer is read). */
  close(): void;
}

/**
 * A request body: JSON text, or the pieces that make it up in order (none splitting a character): text,
 * or bytes already encoded as UTF-8 (copied as they are).
 */
export type Json = string | readonly (string | Uint8Array)[];

interface Call {
  /** The request as written: header block and JSON. */
  data: Buffer;
  resolve: (a: Answer) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout | null;
  conn: Conn | null;
  done: boolean;
}

interface Conn {
  socket: net.Socket;
  call: Call | null;
  reader: ResponseReader | null;
  closed: boolean;
  /** Idle, it is not used again after this (performance.now() ms): the server may be closing it. */
  idleUntil: number;
}

/**
 * An idle connection is used again for this long, or as the server's Keep-Alive: timeout=N says less a
 * second (as node:http does), so a request is not written just as the server closes the connection.
 */
const IDLE_MS = 15_000;

/** Request buffers are at least this big, so one fits most replies and can serve the next. */
const SCRATCH_MIN = 32 * 1024;

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** fixed: the headers every request carries (host, content-length and connection are added here). */
export function createJsonPoster(baseUrl: string, fixed: [string, string][], maxSockets = 64): JsonPoster {
  const pool = new Pool(new URL(baseUrl), fixed, maxSockets);
  return {
    post: (path, json, timeoutMs, headers) => pool.post(path, json, timeoutMs, headers),
    close: () => pool.close(),
  };
}

class Pool {
  private readonly secure: boolean;
  private readonly host: string;
  private readonly port: number;
  private readonly common: string;
  private readonly idle: Conn[] = [];
  private readonly waiting: Call[] = [];
  private open = 0;
  private session: Buffer | undefined; // TLS session resumption, as https.Agent does
  /** A request's buffer free again (its bytes went to the kernel), used for the next one that fits. */
  private scratch: Buffer | null = null;
  private readonly maxSockets: number;

  constructor(base: URL, fixed: [string, string][], maxSockets: number) {
    this.maxSockets = maxSockets;
    this.secure = base.protocol === 'https:';
    this.host = base.hostname.startsWith('[') ? base.hostname.slice(1, -1) : base.hostname; // IPv6
    this.port = Number(base.port) || (this.secure ? 443 : 80);
    // URL.host: the port only when it is not the default, IPv6 in brackets, as node:http writes it.
    this.common = headerLine('host', base.host) + fixed.map(([k, v]) => headerLine(k, v)).join('');
  }

  post(path: string, json: Json, timeoutMs: number, headers: Record<string, string> = {}): Promise<Answer> {
    return new Promise<Answer>((resolve, reject) => {
      // The same bytes as node:http wrote from our raw header list (it adds Connection last).
      const start = `POST ${path} HTTP/1.1\r\n${this.common}content-length: `;
      let end = '\r\n';
      for (const k in headers) end += headerLine(k, headers[k]!);
      end += 'Connection: keep-alive\r\n\r\n';
      const data = this.request(start, json, end);
      const call: Call = { data, resolve, reject, timer: null, conn: null, done: false };
      // The whole call, waiting for a connection included: the retry's own timeout gives up on it,
      // this frees the connection.
      call.timer = setTimeout(() => this.timeOut(call, timeoutMs), timeoutMs);
      if (this.idle.length > 0 || this.open < this.maxSockets) this.start(call);
      else this.waiting.push(call);
    });
  }

  close(): void {
    for (const conn of this.idle.splice(0)) conn.socket.destroy();
  }

  /**
   * `start` + the JSON's length in bytes + `end`, then the JSON, in one buffer: the JSON is encoded
   * once, behind room left for the header block (its byte length is known only once it is encoded),
   * rather than measured in one pass and encoded in another. The buffer is the last request's when
   * that one was written at once and it fits (a reply is ~6 KB; one buffer serves them all).
   */
  private request(start: string, json: Json, end: string): Buffer {
    const room = Buffer.byteLength(start) + Buffer.byteLength(end) + 16; // 16: digits of any length
    const pieces = typeof json === 'string' ? [json] : json;
    // A UTF-16 code unit takes at most 3 bytes in UTF-8 (a surrogate pair 4 for two).
    let size = room;
    for (const p of pieces) size += typeof p === 'string' ? p.length * 3 : p.length;
    let buf = this.scratch;
    this.scratch = null;
    if (!buf || buf.length < size) buf = Buffer.allocUnsafeSlow(Math.max(size, SCRATCH_MIN));
    let bytes = 0;
    for (const p of pieces)
      if (typeof p === 'string') bytes += buf.write(p, room + bytes, 'utf8');
      else {
        buf.set(p, room + bytes);
        bytes += p.length;
      }
    const head = `${start}${bytes}${end}`;
    const at = room - Buffer.byteLength(head);
    buf.write(head, at, 'utf8');
    return buf.subarray(at, room + bytes);
  }

  private start(call: Call): void {
    let conn = this.idle.pop();
    const now = performance.now();
    while (conn && now >= conn.idleUntil) {
      this.drop(conn);
      conn = this.idle.pop();
    }
    conn ??= this.connect();
    conn.socket.ref();
    conn.call = call;
    conn.reader = createResponseReader();
    call.conn = conn;
    conn.socket.write(call.data);
    // Written to the kernel at once (nothing left in the stream): the buffer is free for the next request.
    if (conn.socket.writableLength === 0 && call.data.buffer.byteLength >= SCRATCH_MIN)
      this.scratch = Buffer.from(call.data.buffer);
  }

  private connect(): Conn {
    this.open++;
    const { host, port } = this;
    const socket = this.secure
      ? tls.connect({
          host,
          port,
          servername: net.isIP(host) ? undefined : host,
          ALPNProtocols: ['http/1.1'],
          session: this.session,
        })
      : net.connect({ host, port });
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 1000);
    if (this.secure) socket.on('session', (s: Buffer) => (this.session = s));
    const conn: Conn = { socket, call: null, reader: null, closed: false, idleUntil: 0 };
    socket.on('data', (chunk: Buffer) => this.onData(conn, chunk));
    socket.on('end', () => this.onEnd(conn));
    socket.on('error', (err) => this.lost(conn, err));
    socket.on('close', () => this.lost(conn, connectionClosed()));
    return conn;
  }

  private onData(conn: Conn, chunk: Buffer): void {
    const call = conn.call;
    if (!call || !conn.reader) return this.drop(conn); // nothing was asked: out of step
    let answer: Answer | null;
    try {
      answer = conn.reader.feed(chunk);
    } catch (err) {
      settle(call, err as Error);
      return this.finish(conn, false);
    }
    if (!answer) return;
    settle(call, null, answer);
    this.finish(conn, conn.reader.reusable(), answer.headers['keep-alive']);
  }

  private onEnd(conn: Conn): void {
    const call = conn.call;
    if (!call || !conn.reader) return this.drop(conn);
    // An answer framed by the connection's end is complete now; any other is cut short.
    const answer = conn.reader.end();
    if (answer) settle(call, null, answer);
    else settle(call, connectionClosed());
    this.finish(conn, false);
  }

  /** The socket failed or closed: its call (if any) fails, and the next waiting call gets a turn. */
  private lost(conn: Conn, err: Error): void {
    if (!conn.socket.destroyed) conn.socket.destroy();
    if (!conn.closed) this.open--;
    conn.closed = true;
    const i = this.idle.indexOf(conn);
    if (i >= 0) this.idle.splice(i, 1);
    const call = conn.call;
    if (!call) return;
    settle(call, err);
    conn.call = null;
    conn.reader = null;
    this.next();
  }

  private timeOut(call: Call, timeoutMs: number): void {
    settle(call, new Error(`timed out after ${timeoutMs} ms`));
    const i = this.waiting.indexOf(call);
    if (i >= 0) this.waiting.splice(i, 1);
    if (call.conn?.call === call) this.finish(call.conn, false);
  }

  /** The call is over (answered, failed or timed out): its connection goes back, or is closed. */
  private finish(conn: Conn, reuse: boolean, keepAlive?: string): void {
    conn.call = null;
    conn.reader = null;
    if (reuse && !conn.socket.destroyed) {
      conn.idleUntil = performance.now() + idleMs(keepAlive);
      // An idle connection does not keep the process alive (as node:http's agent does it).
      conn.socket.unref();
      this.idle.push(conn);
    } else this.drop(conn);
    this.next();
  }

  private next(): void {
    const call = this.waiting.shift();
    if (call) this.start(call);
  }

  private drop(conn: Conn): void {
    const i = this.idle.indexOf(conn);
    if (i >= 0) this.idle.splice(i, 1);
    if (!conn.socket.destroyed) conn.socket.destroy();
  }
}

function settle(call: Call, err: Error | null, answer?: Answer): void {
  if (call.done) return;
  call.done = true;
  if (call.timer) clearTimeout(call.timer);
  if (err) call.reject(err);
  else call.resolve(answer!);
}

function headerLine(name: string, value: string): string {
  // As node:http refuses them: a line break in a value would start a header of its own.
  if (!HEADER_NAME.test(name) || !HEADER_VALUE.test(value))
    throw new TypeError(`invalid HTTP header: ${JSON.stringify(name)}`);
  return `${name}: ${value}\r\n`;
}

function idleMs(keepAlive: string | undefined): number {
  const hint = keepAlive ? /(?:^|[\s,;])timeout=(\d{1,6})/i.exec(keepAlive) : null;
  return hint ? Math.min(IDLE_MS, Number(hint[1]) * 1000 - 1000) : IDLE_MS;
}

function connectionClosed(): Error {
  return Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
}
