// The HTTP server: its routes, wired to a runtime (runtime.ts) that answers the events, so tests start
// the real thing on port 0 with a memory store and a stand-in LINE API.
import { createHash, timingSafeEqual } from 'node:crypto';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { Config } from '../config.ts';
import type { SimulatorLimits } from '../simulator/plugin.ts';
import { lineWebhook } from '../../webhooks/line.ts';
import { createIntake, type Intake } from './intake.ts';
import type { Runtime } from './runtime.ts';

export interface AppOptions {
  /** Webhook body limit in bytes; LINE batches stay far below it. */
  bodyLimit?: number;
  /** Events in the backlog at most; beyond it the webhook answers 503 and LINE may redeliver. */
  maxPending?: number;
  /** /readyz answers 503 once an event that could be answered now has waited longer than this. */
  readyMaxWaitMs?: number;
  /** On close: answer events for at most this long, then leave the rest in the backlog. */
  drainMs?: number;
  /** Whole request, and silence on a connection, at most (ms). */
  requestTimeoutMs?: number;
  connectionTimeoutMs?: number;
  /** Bounds of the simulator page's endpoint (src/simulator/plugin.ts), when it is on. */
  simulator?: Partial<SimulatorLimits>;
}

export const DEFAULT_BODY_LIMIT = 1024 * 1024;
/** LINE's webhook bodies arrive in milliseconds; the simulator's 8 MB upload on a LAN in well under this. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;
export const DEFAULT_CONNECTION_TIMEOUT_MS = 30_000;
/** Fly's kill_timeout is 30 s: 20 s of answering, then the store is closed and the process exits. */
export const DEFAULT_DRAIN_MS = 20_000;

export async function buildApp(
  config: Config,
  runtime: Runtime,
  options: AppOptions = {},
): Promise<FastifyInstance> {
  const requestTimeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const app = Fastify({
    loggerInstance: runtime.deps.logger as FastifyBaseLogger,
    // Our own lines say what matters (one per event, every refusal); Fastify's two per request would
    // only repeat them at 500 requests a second.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // A request must arrive whole within this time and a connection may sit silent for at most the
    // other: a client trickling a body byte by byte is cut off instead of holding a socket (fly's
    // hard_limit is 500 per Machine). Node checks every connectionsCheckingInterval.
    requestTimeout,
    connectionTimeout: options.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS,
    http: { headersTimeout: Math.min(5000, requestTimeout), connectionsCheckingInterval: 1000 },
  });
  const intake = createIntake(runtime, options.maxPending ?? 2_000);

  app.get('/metrics', metricsRoute(config, runtime));
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', readyRoute(runtime, intake, options.readyMaxWaitMs ?? 10_000));
  // GET / and POST /simulator/events, only when enabled (config.simulator: never by default in production).
  if (config.simulator && runtime.handlerDeps) {
    const { simulator } = await import('../simulator/plugin.ts');
    await app.register(simulator, {
      deps: runtime.handlerDeps,
      limits: options.simulator,
      hosts: config.simulatorHosts,
    });
  }
  await app.register(lineWebhook, {
    channelSecret: runtime.sealKey ? config.line!.channelSecret : null,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    accept: (events) => intake.accept(events),
    onInvalid: () => runtime.metrics.invalid(),
    full: () => intake.full(),
    answered: (status, seconds) => runtime.metrics.webhook(status, seconds),
  });

  // Runs after the server stopped taking requests: events are answered for up to drainMs; whatever is
  // left stays in the backlog and the next start (or another machine) answers it.
  app.addHook('onClose', async () => {
    intake.stop();
    await runtime.close(Date.now() + (options.drainMs ?? DEFAULT_DRAIN_MS));
  });
  return app;
}

/**
 * Counts and timings, no personal data (see metrics.ts). Not public: the figures are of no use to
 * anyone outside, and a scrape costs CPU that the webhook needs. With METRICS_TOKEN set, a caller
 * sends "Authorization: Bearer <token>"; without it only this machine (loopback) may read it. Fly's
 * own Prometheus scrapes METRICS_PORT instead, which is not routed from the internet (main.ts).
 */
function metricsRoute(config: Config, runtime: Runtime) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const token = config.metrics.token;
    if (token ? !bearerMatches(req.headers.authorization, token) : !isLoopback(req.socket.remoteAddress))
      return reply.code(token ? 401 : 403).send({
        error: token ? 'unauthorized' : 'forbidden',
        message: token
          ? 'send Authorization: Bearer <METRICS_TOKEN>'
          : '/metrics answers loopback callers only; set METRICS_TOKEN or METRICS_PORT',
      });
    return reply.type(runtime.metrics.registry.contentType).send(await runtime.metricsText());
  };
}

/** 503 until everything that answers is loaded, while the store does not answer, or answering lags. */
function readyRoute(runtime: Runtime, intake: Intake, readyMaxWaitMs: number) {
  let ready = false;
  let failed = false;
  runtime.ready.then(
    () => (ready = true),
    () => (failed = true),
  );
  return async (req: FastifyRequest, reply: FastifyReply) => {
    if (!ready) return reply.code(503).send({ status: failed ? 'failed' : 'starting' });
    let stats;
    try {
      // Reading the backlog proves the store answers (the file is open, or the server reachable).
      stats = await intake.countBacklog();
    } catch (err) {
      req.log.error({ err }, 'store not available');
      return reply.code(503).send({ status: 'store_unavailable' });
    }
    // Not ready when events that could be answered wait too long (too much work, or answering stalled)
    // or a thread makes no progress: fly then stops routing webhooks here.
    const now = Date.now();
    // Events a consumer took ahead of a free slot wait too (consumer.ts): in its hands, not the store's.
    const oldest = [stats.oldestReadyAt, runtime.oldestWaitingSince()].filter((t) => t !== null);
    const waitedMs = oldest.length ? now - Math.min(...oldest) : 0;
    if (waitedMs > readyMaxWaitMs) {
      req.log.warn({ waitedMs, backlog: stats.count }, 'not ready: events wait too long');
      return reply.code(503).send({ status: 'backlog', waitedMs, backlog: stats.count });
    }
    const stuck = runtime.stuck(now);
    if (stuck) {
      req.log.warn({ reason: stuck }, 'not ready: event answering is stuck');
      return reply.code(503).send({ status: 'stuck', reason: stuck });
    }
    return { status: 'ready' };
  };
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
