// A real HTTP server on 127.0.0.1 standing in for the LINE Messaging API (api.line.me and
// api-data.line.me at once: the SDK keeps only the origin of its baseURL, so paths are served at the
// root). Records every call and can be told to answer the next calls to a path with an error.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
  at: number;
  /** performance.now() when the call arrived: for latency figures measured in the same process. */
  hr: number;
}

export interface ScriptedAnswer {
  status: number;
  body?: unknown;
  /** Wait this long before answering (a slow LINE). */
  delayMs?: number;
}

export interface FakeLine {
  url: string;
  calls: RecordedCall[];
  /** Calls to one path kind: 'reply' | 'push' | 'loading' | 'content' | 'profile'. */
  callsTo(kind: Kind): RecordedCall[];
  /** The next calls of this kind get these answers, in order; then normal answers again. */
  script(kind: Kind, ...answers: ScriptedAnswer[]): void;
  /** Every answer of this kind waits this long (0: none). */
  setDelay(kind: Kind, ms: number): void;
  /** Content bytes served for a message id (application/octet-stream unless serveContent says). */
  content: Map<string, Buffer>;
  /** Rich menus made through the stand-in (id → object), and the default one. */
  richMenus: Map<string, { name: string; image: number | null }>;
  defaultRichMenu: { id: string | null };
  /**
   * Content for a message id with its Content-Type, or an error status (404 expired, 410 unsent), or
   * served slowly (delayMs before the headers).
   */
  serveContent(
    id: string,
    c: { bytes?: Buffer; contentType?: string; status?: number; delayMs?: number },
  ): void;
  reset(): void;
  close(): Promise<void>;
}

type Kind =
  | 'reply'
  | 'push'
  | 'loading'
  | 'content'
  | 'profile'
  | 'richmenuCreate'
  | 'richmenuImage'
  | 'richmenuSetDefault'
  | 'richmenuGetDefault'
  | 'richmenuList'
  | 'richmenuDelete'
  | 'validateReply';

const ROUTES: [Kind, string, RegExp][] = [
  ['reply', 'POST', /^\/v2\/bot\/message\/reply$/],
  ['push', 'POST', /^\/v2\/bot\/message\/push$/],
  ['loading', 'POST', /^\/v2\/bot\/chat\/loading\/start$/],
  ['content', 'GET', /^\/v2\/bot\/message\/([^/]+)\/content$/],
  ['profile', 'GET', /^\/v2\/bot\/profile\/([^/]+)$/],
  // Rich menus (npm run richmenu): kept in `richMenus`; the picture upload is on the data API.
  ['richmenuCreate', 'POST', /^\/v2\/bot\/richmenu$/],
  ['richmenuImage', 'POST', /^\/v2\/bot\/richmenu\/([^/]+)\/content$/],
  ['richmenuSetDefault', 'POST', /^\/v2\/bot\/user\/all\/richmenu\/([^/]+)$/],
  ['richmenuGetDefault', 'GET', /^\/v2\/bot\/user\/all\/richmenu$/],
  ['richmenuList', 'GET', /^\/v2\/bot\/richmenu\/list$/],
  ['richmenuDelete', 'DELETE', /^\/v2\/bot\/richmenu\/([^/]+)$/],
  ['validateReply', 'POST', /^\/v2\/bot\/message\/validate\/reply$/],
];

export const INVALID_REPLY_TOKEN: ScriptedAnswer = { status: 400, body: { message: 'Invalid reply token' } };

export async function startFakeLine(): Promise<FakeLine> {
  const calls: RecordedCall[] = [];
  const scripts = new Map<Kind, ScriptedAnswer[]>();
  const delays = new Map<Kind, number>();
  const content = new Map<string, Buffer>();
  const contentMeta = new Map<string, { contentType?: string; status?: number; delayMs?: number }>();
  const acceptedRetryKeys = new Set<string>();
  const richMenus = new Map<string, { name: string; image: number | null }>();
  const defaultRichMenu: { id: string | null } = { id: null };
  let richMenuSeq = 0;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const route = ROUTES.find(([, method, re]) => method === req.method && re.test(path));
      const bytes = Buffer.concat(chunks);
      const raw = bytes.toString('utf8');
      let body: unknown = raw;
      try {
        body = raw ? JSON.parse(raw) : null;
      } catch {
        /* recorded as the raw string */
      }
      calls.push({
        method: req.method ?? '',
        path,
        headers: req.headers,
        body,
        at: Date.now(),
        hr: performance.now(),
      });
      const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        const out = Buffer.isBuffer(payload) ? payload : Buffer.from(JSON.stringify(payload));
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(out);
      };
      if (!route) return send(404, { message: 'Not found' });
      const [kind, , re] = route;
      if (req.headers.authorization !== 'Bearer test-access-token')
        return send(401, { message: 'Authentication failed' });
      const scripted = scripts.get(kind)?.shift();
      const meta = kind === 'content' ? contentMeta.get(re.exec(path)![1]!) : undefined;
      const delay = scripted?.delayMs ?? meta?.delayMs ?? delays.get(kind) ?? 0;
      setTimeout(() => {
        if (scripted) return send(scripted.status, scripted.body ?? {});
        switch (kind) {
          case 'reply':
            return send(200, { sentMessages: [] });
          case 'push': {
            // Like LINE: a retry key already accepted answers 409 with the accepted request's id.
            const key = req.headers['x-line-retry-key'];
            if (typeof key === 'string') {
              if (acceptedRetryKeys.has(key))
                return send(
                  409,
                  { message: 'The retry key is already accepted' },
                  {
                    'x-line-accepted-request-id': 'accepted',
                  },
                );
              acceptedRetryKeys.add(key);
            }
            return send(200, { sentMessages: [] });
          }
          case 'loading':
            return send(202, {});
          case 'content': {
            const id = re.exec(path)![1]!;
            const bytes = content.get(id);
            if (meta?.status === 410) return send(410, { message: 'Gone' });
            if (meta?.status && meta.status !== 200) return send(meta.status, { message: 'error' });
            if (!bytes) return send(404, { message: 'Not found' });
            res.writeHead(200, {
              'content-type': meta?.contentType ?? 'application/octet-stream',
              'content-length': String(bytes.length),
            });
            return res.end(bytes);
          }
          case 'profile': {
            const id = re.exec(path)![1]!;
            return send(200, { userId: id, displayName: 'テスト', language: 'ja' });
          }
          case 'richmenuCreate': {
            const id = `richmenu-${String(++richMenuSeq).padStart(32, '0')}`;
            richMenus.set(id, { name: (body as { name?: string } | null)?.name ?? '', image: null });
            return send(200, { richMenuId: id });
          }
          case 'richmenuImage': {
            const menu = richMenus.get(re.exec(path)![1]!);
            if (!menu) return send(404, { message: 'Not found' });
            menu.image = bytes.length;
            return send(200, {});
          }
          case 'richmenuSetDefault': {
            const id = re.exec(path)![1]!;
            if (!richMenus.get(id)?.image)
              return send(400, { message: 'must upload richmenu image before applying it to user' });
            defaultRichMenu.id = id;
            return send(200, {});
          }
          case 'richmenuGetDefault':
            if (!defaultRichMenu.id) return send(404, { message: 'no default richmenu' });
            return send(200, { richMenuId: defaultRichMenu.id });
          case 'richmenuList':
            return send(200, {
              richmenus: [...richMenus].map(([richMenuId, m]) => ({ richMenuId, name: m.name })),
            });
          case 'validateReply':
            return send(200, {});
          case 'richmenuDelete': {
            const id = re.exec(path)![1]!;
            if (!richMenus.delete(id)) return send(404, { message: 'Not found' });
            if (defaultRichMenu.id === id) defaultRichMenu.id = null;
            return send(200, {});
          }
        }
      }, delay);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    content,
    richMenus,
    defaultRichMenu,
    serveContent: (id, c) => {
      if (c.bytes) content.set(id, c.bytes);
      contentMeta.set(id, { contentType: c.contentType, status: c.status, delayMs: c.delayMs });
    },
    callsTo: (kind) => {
      const [, method, re] = ROUTES.find(([k]) => k === kind)!;
      return calls.filter((c) => c.method === method && re.test(c.path));
    },
    script: (kind, ...answers) => scripts.set(kind, [...(scripts.get(kind) ?? []), ...answers]),
    setDelay: (kind, ms) => delays.set(kind, ms),
    reset: () => {
      calls.length = 0;
      scripts.clear();
      delays.clear();
      content.clear();
      contentMeta.clear();
      richMenus.clear();
      defaultRichMenu.id = null;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
