// The local simulator page (issue 6): GET / serves a chat page in LINE's look, and POST
// /simulator/events is its one conversation endpoint. Each request becomes a real LINE webhook event
// (./events.ts, read by the webhook's own parser) for one simulator user, and goes through the same
// event processor and handler as LINE's events, with the LINE sender on an API that collects instead
// of calling LINE, and the uploaded bytes as the content source. The answer is the list of message
// objects the bot would have sent to LINE's reply API: the page renders exactly those.
//
// Off unless config.simulator (src/config.ts): it needs no login, so production never has it by default.
import { readFileSync } from 'node:fs';
import { loadRichMenu, richMenuSvg, simulatorMenu } from '../richmenu/definition.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { HandlerDeps } from '../conversation/handler.ts';
import type { Logger } from '../log/logger.ts';
import { createEventProcessor } from '../conversation/process.ts';
import type { LineApi } from '../line/client.ts';
import type { Message } from '../line/messages.ts';
import { createLineSender } from '../line/sender.ts';
import { memoryContentSource, type Content } from '../media/content.ts';
import { createWorkQueue } from '../conversation/queue.ts';
import { buildEvent, requestSchema, SIMULATOR_USER, type BuiltEvent } from './events.ts';

export interface SimulatorLimits {
  /** Largest screenshot or file the page may upload. */
  uploadBytes: number;
  /** Requests to the endpoint per minute, all callers together (one conversation anyway). */
  requestsPerMinute: number;
  /** Requests waiting for their turn; the conversation's events run one at a time, in order. */
  maxPending: number;
}

export const SIMULATOR_LIMITS: SimulatorLimits = {
  uploadBytes: 8 * 1024 * 1024,
  requestsPerMinute: 120,
  maxPending: 4,
};

export interface SimulatorOptions {
  /** The very dependencies the LINE webhook's processor gets (src/server/app.ts). */
  deps: HandlerDeps;
  limits?: Partial<SimulatorLimits>;
  /** Host names answered besides localhost, 127.0.0.1 and [::1] (config.simulatorHosts). */
  hosts?: string[];
}

export const EVENTS_PATH = '/simulator/events';

const PUBLIC = new URL('./public/', import.meta.url);
const ASSETS: Record<string, string> = {
  'app.js': 'text/javascript; charset=utf-8',
  'flex.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
  'avatar.svg': 'image/svg+xml',
};

/** Nothing but this origin's own files; Flex images may come from https like on LINE. */
const HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data: https:; " +
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

const MESSAGES: Record<string, string> = {
  invalid_request: 'expected {"type": "text" | "image" | "file" | "postback" | "follow" | "unfollow", …}',
  invalid_json: 'the body is not valid JSON',
  unsupported_media_type: 'send the request as application/json',
  body_too_large: 'the body is larger than the simulator accepts',
  upload_too_large: 'the file is larger than the simulator accepts',
  cross_origin: 'requests from other sites are refused',
  host_not_allowed: 'the simulator answers on localhost only; add this host name to SIMULATOR_HOSTS',
  rate_limited: 'too many requests; try again in a minute',
  busy: 'too many requests are waiting; try again shortly',
  not_found: 'no such file',
  internal_error: 'internal error',
};

export async function simulator(app: FastifyInstance, opts: SimulatorOptions): Promise<void> {
  const limits = { ...SIMULATOR_LIMITS, ...opts.limits };
  const deps = opts.deps;
  const log = deps.log.child({ via: 'simulator' });
  const schema = requestSchema();
  const { page, assets } = pageAndAssets(limits.uploadBytes);
  guardScope(app, opts.hosts ?? []);

  app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send(page));
  app.get<{ Params: { asset: string } }>('/simulator/:asset', async (req, reply) => {
    const asset = assets.get(req.params.asset);
    if (!asset) return refuse(reply, 404, 'not_found');
    return reply.type(asset.type).send(asset.body);
  });

  // One conversation: its events run one at a time and in order, as LINE's events of one chat do.
  const queue = createWorkQueue({
    concurrency: 1,
    maxPending: limits.maxPending,
    onError: (err) => log.error({ err }, 'simulator event failed'),
  });
  app.addHook('onClose', async () => queue.drain());
  let windowStart = 0;
  let inWindow = 0;

  app.post(
    EVENTS_PATH,
    {
      bodyLimit: Math.ceil(limits.uploadBytes / 3) * 4 + 16 * 1024,
      // Refused before the body is read: a refused upload costs no memory.
      onRequest: async (req, reply) => {
        if (crossSite(req)) return refuse(reply, 403, 'cross_origin');
        const now = Date.now();
        if (now - windowStart >= 60_000) [windowStart, inWindow] = [now, 0];
        if (++inWindow > limits.requestsPerMinute) return refuse(reply, 429, 'rate_limited');
        if (queue.room <= 0) return refuse(reply, 503, 'busy');
      },
    },
    async (req: FastifyRequest, reply: FastifyReply) => {
      const parsed = schema.safeParse(req.body);
      if (!parsed.success) {
        // Paths and messages only, never the values: they may be message text.
        const issue = parsed.error.issues[0]!;
        const where = issue.path.join('.') || '(body)';
        return reply.code(400).send({ error: 'invalid_request', message: `${where}: ${issue.message}` });
      }
      const built = buildEvent(parsed.data, deps.now());
      if (built.upload && built.upload.bytes.length > limits.uploadBytes)
        return refuse(reply, 413, 'upload_too_large');

      const { promise, resolve, reject } = Promise.withResolvers<Message[]>();
      if (!queue.push(SIMULATOR_USER, () => run(deps, log, built).then(resolve, reject)))
        return refuse(reply, 503, 'busy');
      return { messages: await promise };
    },
  );
}

/** The page (with the upload limit written in) and its files, read once. */
function pageAndAssets(uploadBytes: number) {
  const page = readFileSync(new URL('index.html', PUBLIC), 'utf8').replace(
    '__UPLOAD_BYTES__',
    String(uploadBytes),
  );
  const assets = new Map(
    Object.entries(ASSETS).map(([name, type]) => [name, { type, body: readFileSync(new URL(name, PUBLIC)) }]),
  );
  // The rich menu LINE shows under the chat, from the same definition as `npm run richmenu`.
  const menu = loadRichMenu();
  assets.set('richmenu.svg', { type: 'image/svg+xml', body: Buffer.from(richMenuSvg(menu)) });
  assets.set('richmenu.json', {
    type: 'application/json; charset=utf-8',
    body: Buffer.from(JSON.stringify(simulatorMenu(menu))),
  });
  return { page, assets };
}

/** Known host names only, JSON only, the page's headers on every answer, errors without details. */
function guardScope(app: FastifyInstance, extraHosts: string[]): void {
  // DNS rebinding: a web site can point its own name at 127.0.0.1 and then read this page as "same
  // origin". The Host header still carries that name, so only known names are answered.
  const hosts = new Set(['localhost', '127.0.0.1', '[::1]', ...extraHosts]);
  app.addHook('onRequest', async (req, reply) => {
    if (!hosts.has(hostName(req.headers.host))) return refuse(reply, 403, 'host_not_allowed');
  });
  // This scope only: JSON is the one body the endpoint takes (a cross-site form cannot send it).
  app.removeContentTypeParser('text/plain');
  app.addHook('onSend', async (_req, reply) => {
    reply.headers(HEADERS);
  });
  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) req.log.error({ err }, 'simulator request failed');
    const error =
      status === 413
        ? 'body_too_large'
        : status === 415
          ? 'unsupported_media_type'
          : status === 400
            ? 'invalid_json'
            : status === 500
              ? 'internal_error'
              : 'invalid_request';
    return reply.code(status).send({ error, message: MESSAGES[error] });
  });
}

/** The webhook's path from here on: processor (de-duplication, handler, apology) and LINE sender. */
async function run(deps: HandlerDeps, log: Logger, built: BuiltEvent): Promise<Message[]> {
  const sent: Message[] = [];
  const api: LineApi = {
    async reply(_replyToken, messages) {
      sent.push(...messages);
    },
    async push(_to, messages) {
      sent.push(...messages);
    },
    async showLoading() {},
  };
  const uploads = new Map<string, Content>();
  if (built.upload)
    uploads.set(built.upload.messageId, {
      bytes: built.upload.bytes,
      contentType: built.upload.contentType,
    });
  const processEvent = createEventProcessor({
    ...deps,
    log,
    media: deps.media && { ...deps.media, content: memoryContentSource(uploads) },
    sender: createLineSender(api, log),
    loadingAfterMs: 0,
  });
  await processEvent(built.event);
  return sent;
}

/** The Host header's name without the port, lower case ("" when missing). */
function hostName(host: string | undefined): string {
  const h = (host ?? '').trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  return h.split(':')[0]!;
}

/** A browser says where a request comes from; only the page itself may post. */
function crossSite(req: FastifyRequest): boolean {
  if (req.headers['sec-fetch-site'] === 'cross-site') return true;
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  return URL.parse(origin)?.host !== req.headers.host;
}

function refuse(reply: FastifyReply, status: number, error: string) {
  reply.log.warn({ status, code: error }, 'simulator request refused');
  return reply.code(status).send({ error, message: MESSAGES[error] });
}
