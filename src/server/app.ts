// The HTTP server as a function of its configuration and dependencies, so tests start the real thing on
// port 0 with a memory store and a stand-in LINE API.
import { createHash, timingSafeEqual } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import type { Detector } from '../detector/index.ts';
import type { Logger } from '../log/logger.ts';
import type { Store } from '../store/store.ts';
import type { Copy } from '../words.ts';
import { loadCopy } from '../rules/replies.ts';
import type { SimulatorLimits } from '../simulator/plugin.ts';
import { lineWebhook } from '../../webhooks/line.ts';
import { createMetrics, metricsText, type Metrics } from './metrics.ts';
import type { MediaDeps } from '../media/media.ts';
import type { EventOptions, EventRuntime } from './events.ts';
import { STUCK_EVENT_MS, type EventThreads } from './event-threads.ts';
import { backlogKey, DEDUPE_MS, seal } from './backlog.ts';
import { createConsumer, type Consumer } from './consumer.ts';
import { randomUUID } from 'node:crypto';

export interface AppDeps {
  /**
   * May still be loading: /readyz says 503 until it is ready, and early events wait for it. With
   * `events`, only the simulator page uses it (and it may be left out when the page is off).
   */
  detector?: Promise<Detector>;
  /** Events handled in threads of their own (event-threads.ts): this thread only acknowledges webhooks. */
  events?: EventThreads;
  store: Store;
  logger: Logger;
  copy?: Copy;
  now?: () => number;
  /** Shared with a METRICS_PORT listener (main.ts); otherwise the app makes its own. */
  metrics?: Metrics;
  /**
   * Reading pictures and files: the content source, the OCR pool and the limits. Otherwise the app
   * downloads from LINE's content API and makes an OCR pool (options.ocr), closed with the app.
   */
  media?: MediaDeps;
}

export interface AppOptions extends EventOptions {
  /** Webhook body limit in bytes; LINE batches stay far below it. */
  bodyLimit?: number;
  /** Events processed at once (by each event thread, or by this thread without them). */
  concurrency?: number;
  /** Events in the backlog at most; beyond it the webhook answers 503 and LINE may redeliver. */
  maxPending?: number;
  /** /readyz answers 503 once an event that could be answered now has waited longer than this. */
  readyMaxWaitMs?: number;
  /** On close: answer events for at most this long, then leave the rest in the backlog. */
  drainMs?: number;
  /** Whole request, and silence on a connection, at most (ms). */
  requestTimeoutMs?: number;
  connectionTimeoutMs?: number;
  /** The backlog consumer's lease owner, lease and idle poll (consumer.ts), when events are answered here. */
  owner?: string;
  leaseMs?: number;
  pollMs?: number;
  /** Bounds of the simulator page's endpoint (src/simulator/plugin.ts), when it is on. */
  simulator?: Partial<SimulatorLimits>;
}

export const DEFAULT_BODY_LIMIT = 1024 * 1024;
/** LINE's webhook bodies arrive in milliseconds; the simulator's 8 MB upload on a LAN in well under this. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;
export const DEFAULT_CONNECTION_TIMEOUT_MS = 30_000;
/** Events per thread at once: enough to overlap LINE API calls and OCR waits. */
export const DEFAULT_CONCURRENCY = 32;
/** Fly's kill_timeout is 30 s: 20 s of answering, then the store is closed and the process exits. */
export const DEFAULT_DRAIN_MS = 20_000;

export async function buildApp(
  config: Config,
  deps: AppDeps,
  options: AppOptions = {},
): Promise<FastifyInstance> {
  const log = deps.logger;
  const copy = deps.copy ?? loadCopy();
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    // Our own lines say what matters (one per event, every refusal); Fastify's two per request would
    // only repeat them at 500 requests a second.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // A request must arrive whole within this time and a connection may sit silent for at most the
    // other: a client trickling a body byte by byte is cut off instead of holding a socket (fly's
    // hard_limit is 500 per Machine). Node checks every connectionsCheckingInterval.
    requestTimeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    connectionTimeout: options.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS,
    http: {
      headersTimeout: Math.min(5000, options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS),
      connectionsCheckingInterval: 1000,
    },
  });

  const metrics = deps.metrics ?? createMetrics();
  app.addHook('onResponse', async (req, reply) => {
    if (req.routeOptions.url === '/webhooks/line')
      metrics.webhook(reply.statusCode, reply.elapsedTime / 1000);
  });
  // Counts and timings, no personal data (see metrics.ts). Not public: the figures are of no use to
  // anyone outside, and a scrape costs CPU that the webhook needs. With METRICS_TOKEN set, a caller
  // sends "Authorization: Bearer <token>"; without it only this machine (loopback) may read it. Fly's
  // own Prometheus scrapes METRICS_PORT instead, which is not routed from the internet (main.ts).
  app.get('/metrics', async (req, reply) => {
    const token = config.metrics.token;
    if (token ? !bearerMatches(req.headers.authorization, token) : !isLoopback(req.socket.remoteAddress))
      return reply.code(token ? 401 : 403).send({
        error: token ? 'unauthorized' : 'forbidden',
        message: token
          ? 'send Authorization: Bearer <METRICS_TOKEN>'
          : '/metrics answers loopback callers only; set METRICS_TOKEN or METRICS_PORT',
      });
    const text = await metricsText(metrics, deps.events ? await deps.events.metrics() : []);
    return reply.type(metrics.registry.contentType).send(text);
  });

  // Every acknowledged event is written to the backlog first (backlog.ts), then taken from there by the
  // event threads, or without them by a consumer in this thread.
  const sealKey = config.line ? backlogKey(config.line.channelSecret) : null;
  let doneHere = 0;
  const consumer: Consumer | null =
    sealKey && !deps.events
      ? createConsumer({
          backlog: deps.store.backlog,
          key: sealKey,
          owner: options.owner ?? `${randomUUID().slice(0, 8)}/app/`,
          concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
          leaseMs: options.leaseMs,
          pollMs: options.pollMs,
          log,
          onTaken: (seconds) => metrics.queueWait(seconds),
          onDone: () => doneHere++,
        })
      : null;

  // Handled here, or in event threads; the simulator page always handles its events here. Loaded only
  // when needed: with event threads, this thread never holds the detector, OCR or LINE client code.
  const runtime: EventRuntime | null =
    !deps.events || config.simulator
      ? (await import('./events.ts')).createEventRuntime(
          config,
          {
            ...deps,
            detector: deps.detector ?? (await import('../detector/load.ts')).loadDetector(),
            copy,
            metrics,
            consumer: consumer ?? undefined,
          },
          options,
        )
      : null;
  const answering = sealKey !== null && (deps.events !== undefined || !!runtime?.process);
  if (consumer && runtime?.process) consumer.start(runtime.process);
  const wake = () => (deps.events ? deps.events.wake() : consumer?.wake());
  const running = () => (deps.events ? deps.events.running() : (consumer?.running ?? 0));
  const done = () => (deps.events ? deps.events.done() : doneHere);

  // Events in the backlog, for the full check on every request: the store's count (read every 5 s and
  // at each /readyz) plus what this server wrote since, less what its consumers finished since.
  let enqueued = 0;
  let counted = { count: 0, enqueued: 0, done: 0 };
  const countBacklog = async () => {
    const at = { enqueued, done: done() };
    const s = await deps.store.backlog.stats();
    counted = { count: s.count, ...at };
    return s;
  };
  const pending = () => Math.max(0, counted.count + enqueued - counted.enqueued - (done() - counted.done));
  const counting = setInterval(
    () => void countBacklog().catch((err: unknown) => log.warn({ err }, 'event backlog: count failed')),
    5000,
  ).unref();
  void countBacklog().catch(() => undefined);
  const maxPending = options.maxPending ?? 2_000;
  const readyMaxWaitMs = options.readyMaxWaitMs ?? 10_000;

  let ready = false;
  let failed = false;
  Promise.all([deps.events?.ready, runtime?.handlerDeps.detector]).then(
    () => (ready = true),
    () => (failed = true),
  );

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (req, reply) => {
    if (!ready) return reply.code(503).send({ status: failed ? 'failed' : 'starting' });
    let stats;
    try {
      // Reading the backlog proves the store answers (the file is open, or the server reachable).
      stats = await countBacklog();
    } catch (err) {
      req.log.error({ err }, 'store not available');
      return reply.code(503).send({ status: 'store_unavailable' });
    }
    // Not ready when events that could be answered wait too long (too much work, or answering stalled)
    // or a thread makes no progress: fly then stops routing webhooks here.
    const now = Date.now();
    const waitedMs = stats.oldestReadyAt === null ? 0 : now - stats.oldestReadyAt;
    if (waitedMs > readyMaxWaitMs) {
      req.log.warn({ waitedMs, backlog: stats.count }, 'not ready: events wait too long');
      return reply.code(503).send({ status: 'backlog', waitedMs, backlog: stats.count });
    }
    const since = consumer?.oldestRunningSince() ?? null;
    const stuck =
      deps.events?.stuck(now) ??
      (since !== null && now - since > STUCK_EVENT_MS ? `one event has run for ${now - since} ms` : null);
    if (stuck) {
      req.log.warn({ reason: stuck }, 'not ready: event answering is stuck');
      return reply.code(503).send({ status: 'stuck', reason: stuck });
    }
    return { status: 'ready' };
  });

  // A reply token lives about a minute: beyond ~2,000 waiting events (5–15 s of work on one machine)
  // answering late would fail anyway, so a full backlog asks LINE to redeliver (503) instead.
  metrics.watchWebhookQueue(() => {
    const r = running();
    return { waiting: Math.max(0, pending() - r), running: r };
  });
  // GET / and POST /simulator/events, only when enabled (config.simulator: never by default in production).
  if (config.simulator && runtime) {
    const { simulator } = await import('../simulator/plugin.ts');
    await app.register(simulator, {
      deps: runtime.handlerDeps,
      limits: options.simulator,
      hosts: config.simulatorHosts,
    });
  }

  await app.register(lineWebhook, {
    channelSecret: answering ? config.line!.channelSecret : null,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    // One transaction (SQLite) or one script (Redis) for the whole body, before the 200: what LINE is
    // told was received is on disk. Duplicates (same webhookEventId within a day) are not written again.
    async accept(events) {
      if (!answering || pending() + events.length > maxPending) return false;
      const fresh = await deps.store.backlog.enqueue(
        events.map((e) => seal(sealKey!, e)),
        DEDUPE_MS,
      );
      fresh.forEach((isNew, i) => {
        const event = events[i]!;
        if (isNew) {
          enqueued++;
          metrics.accepted(event);
        } else {
          metrics.duplicate();
          log.info({ eventId: event.webhookEventId }, 'duplicate event skipped');
        }
      });
      if (fresh.some(Boolean)) wake();
      return true;
    },
    onInvalid: () => metrics.invalid(),
    full: () => pending() >= maxPending,
  });

  // Runs after the server stopped taking requests: events are answered for up to drainMs; whatever is
  // left stays in the backlog and the next start (or another machine) answers it.
  app.addHook('onClose', async () => {
    clearInterval(counting);
    await consumer?.stop(Date.now() + (options.drainMs ?? DEFAULT_DRAIN_MS));
    await runtime?.close();
  });
  return app;
}

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

/** Compares hashes, so neither the token's length nor its content leaks through timing. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1] ?? '';
  const h = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(h(given), h(token));
}
