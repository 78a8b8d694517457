// The hand-written JSON poster of the LINE client (src/line/http-post.ts, src/line/http-response.ts)
// against a raw TCP server that answers exactly the bytes each test gives: lengths, chunks, interim
// answers, answers cut into single bytes, closed connections, silence. Which connection carried which
// request is counted, so keep-alive is checked too.
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createJsonPoster, type JsonPoster } from '../../src/line/http-post.ts';

type Reply = (request: string, socket: Socket) => void;

interface Raw {
  url: string;
  /** The requests in arrival order, as text, and the connection (1, 2 …) each came on. */
  requests: { text: string; conn: number }[];
  close(): Promise<void>;
}

/** Answers each complete request (head + Content-Length body) with the next reply in the list. */
async function rawServer(replies: Reply[]): Promise<Raw> {
  const requests: Raw['requests'] = [];
  const sockets = new Set<Socket>();
  let conns = 0;
  const server: Server = createServer((socket) => {
    const conn = ++conns;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let buf = Buffer.alloc(0);
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const length = Number(/content-length: (\d+)/i.exec(buf.toString('latin1', 0, end))?.[1] ?? 0);
        if (buf.length < end + 4 + length) return;
        const text = buf.toString('utf8', 0, end + 4 + length);
        buf = buf.subarray(end + 4 + length);
        requests.push({ text, conn });
        replies.shift()?.(text, socket);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

const send = (bytes: string) => (_: string, s: Socket) => s.write(bytes);
const ok = (body = '{}', extra = '') =>
  send(
    `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n${extra}\r\n${body}`,
  );
/** Writes the bytes one at a time, each in its own write. */
const trickle = (bytes: string) => (_: string, s: Socket) => {
  let i = 0;
  const t = setInterval(() => (i < bytes.length ? s.write(bytes[i++]!) : clearInterval(t)), 1);
};

describe('JSON poster', () => {
  let raw: Raw;
  let poster: JsonPoster;
  afterEach(async () => {
    poster?.close();
    await raw?.close();
  });
  const start = async (replies: Reply[], maxSockets?: number) => {
    raw = await rawServer(replies);
    poster = createJsonPoster(raw.url, [['authorization', 'Bearer t']], maxSockets);
  };

  it('writes one request with the fixed headers and the body’s length in bytes, and keeps the connection', async () => {
    await start([ok(), ok()]);
    const json = JSON.stringify({ text: 'こんにちは' });
    expect((await poster.post('/v2/bot/message/reply', json, 1000)).status).toBe(200);
    await poster.post('/v2/bot/message/push', '{}', 1000, { 'x-line-retry-key': 'k-1' });
    const [first, second] = raw.requests;
    const port = new URL(raw.url).port;
    expect(first!.text).toBe(
      `POST /v2/bot/message/reply HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nauthorization: Bearer t\r\n` +
        `content-length: ${Buffer.byteLength(json)}\r\nConnection: keep-alive\r\n\r\n${json}`,
    );
    expect(second!.text).toContain('\r\nx-line-retry-key: k-1\r\n');
    expect(second!.conn).toBe(first!.conn);
  });

  it('counts the body in UTF-8 bytes whatever its characters: emoji, a lone surrogate, escapes', async () => {
    await start([ok()]);
    const json = `{"t":"😀危\\u0001a","u":"\ud800"}`;
    await poster.post('/v2/bot/message/reply', json, 1000);
    const [req] = raw.requests;
    const bytes = Buffer.from(json, 'utf8');
    expect(req!.text).toContain(`content-length: ${bytes.length}\r\n`);
    expect(req!.text.endsWith(`\r\n\r\n${bytes.toString('utf8')}`)).toBe(true);
  });

  it('writes a body given in pieces as the same bytes as the whole', async () => {
    await start([ok(), ok()]);
    const json = JSON.stringify({ replyToken: 'rt', messages: [{ type: 'text', text: '詐欺😀' }] });
    await poster.post('/p', json, 1000);
    const at = json.indexOf('[');
    await poster.post('/p', [json.slice(0, at), json.slice(at, -1), '}'], 1000);
    const [whole, pieces] = raw.requests;
    expect(pieces!.text).toBe(whole!.text);
  });

  it('writes pieces given as UTF-8 bytes as they are, among text pieces', async () => {
    await start([ok(), ok()]);
    const json = JSON.stringify({ replyToken: 'rt', messages: [{ type: 'text', text: '詐欺😀' }] });
    await poster.post('/p', json, 1000);
    const at = json.indexOf('[');
    await poster.post('/p', [json.slice(0, at), Buffer.from(json.slice(at, -1)), '}'], 1000);
    const [whole, bytes] = raw.requests;
    expect(bytes!.text).toBe(whole!.text);
  });

  it('reads an error answer in chunks: status, headers and body', async () => {
    const body = '{"message":"Invalid reply token"}';
    await start([
      send(
        'HTTP/1.1 400 Bad Request\r\ntransfer-encoding: chunked\r\nretry-after: 3\r\nx-a: 1\r\nx-a: 2\r\n\r\n' +
          `5;ext=1\r\n${body.slice(0, 5)}\r\n${(body.length - 5).toString(16)}\r\n${body.slice(5)}\r\n0\r\nx-trailer: t\r\n\r\n`,
      ),
      ok(),
    ]);
    const a = await poster.post('/p', '{}', 1000);
    expect(a).toMatchObject({ status: 400, statusText: 'Bad Request', body });
    expect(a.headers['retry-after']).toBe('3');
    expect(a.headers['x-a']).toBe('1, 2');
    expect((await poster.post('/p', '{}', 1000)).status).toBe(200);
    expect(raw.requests[1]!.conn).toBe(raw.requests[0]!.conn); // read to its end: the connection goes on
  });

  it('reads an answer that arrives one byte at a time, after an interim 100 Continue', async () => {
    await start([
      trickle(
        'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 503 Busy\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n',
      ),
      ok(),
    ]);
    expect(await poster.post('/p', '{}', 2000)).toMatchObject({
      status: 503,
      statusText: 'Busy',
      body: 'abc',
    });
    expect((await poster.post('/p', '{}', 1000)).status).toBe(200);
    expect(raw.requests[1]!.conn).toBe(raw.requests[0]!.conn);
  });

  it('takes an answer framed by the connection’s end, and opens a new connection after it', async () => {
    await start([
      (_, s) => s.end('HTTP/1.1 500 Oops\r\n\r\nsomething broke'),
      ok('{}', 'connection: close\r\n'),
      ok(),
    ]);
    expect(await poster.post('/p', '{}', 1000)).toMatchObject({ status: 500, body: 'something broke' });
    expect((await poster.post('/p', '{}', 1000)).status).toBe(200);
    expect((await poster.post('/p', '{}', 1000)).status).toBe(200);
    // The first connection ended, the second asked to close: three connections.
    expect(raw.requests.map((r) => r.conn)).toEqual([1, 2, 3]);
  });

  it('fails a call whose connection closes before the answer is complete', async () => {
    await start([(_, s) => s.end('HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc'), ok()]);
    await expect(poster.post('/p', '{}', 1000)).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect((await poster.post('/p', '{}', 1000)).status).toBe(200);
  });

  it('fails what is not HTTP, and a call nobody answers after its timeout; neither connection is used again', async () => {
    await start([send('SSH-2.0-OpenSSH\r\n\r\n'), () => {}, ok()]);
    await expect(poster.post('/p', '{}', 1000)).rejects.toThrow(/status line/);
    await expect(poster.post('/p', '{}', 100)).rejects.toThrow('timed out after 100 ms');
    expect((await poster.post('/p', '{}', 1000)).status).toBe(200);
    expect(raw.requests.map((r) => r.conn)).toEqual([1, 2, 3]);
  });

  it('holds calls beyond its connections until one is free, in order', async () => {
    await start([ok('1'), ok('2'), ok('3')], 1);
    const answers = await Promise.all([1, 2, 3].map(() => poster.post('/p', '{}', 1000)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(raw.requests.map((r) => r.conn)).toEqual([1, 1, 1]);
  });

  it('does not use a connection again past the server’s keep-alive hint less a second', async () => {
    await start([ok('{}', 'keep-alive: timeout=1\r\n'), ok()]);
    await poster.post('/p', '{}', 1000);
    await poster.post('/p', '{}', 1000);
    expect(raw.requests.map((r) => r.conn)).toEqual([1, 2]);
  });

  it('refuses a header value that would start a header of its own', async () => {
    await start([]);
    await expect(poster.post('/p', '{}', 1000, { 'x-line-retry-key': 'a\r\nx-evil: 1' })).rejects.toThrow(
      TypeError,
    );
    expect(raw.requests).toEqual([]);
  });
});
