// The HTTP server as a function of its configuration and dependencies, so tests start the real thing on
// port 0 with a memory store and a stand-in LINE API.
import { createHash, timingSafeEqual } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import type { Detector } from '../detector/index.ts';
import type { Logger } from '../log/logger.ts';
import type { Store } from '../store/store.ts';
import { loadCopy, type Copy } from '../conversation/copy.ts';
import type { SimulatorLimits } from '../simulator/plugin.ts';
import type { Sender } from '../conversation/sender.ts';
import { chatOf } from '../line/events.ts';
import type { LineApi } from '../line/client.ts';
import { lineWebhook } from '../../webhooks/line.ts';
import { createMetrics, metricsText, type Metrics } from './metrics.ts';
import type { MediaDeps } from '../media/media.ts';
import { createWorkQueue } from './queue.ts';
import type { EventOptions, EventRuntime } from './events.ts';
import type { EventThreads } from './event-threads.ts';

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
  /** Replaces the LINE client (otherwise built from config); the sender wraps it either way. */
  lineApi?: LineApi;
  /** Replaces the sender altogether (the simulator page has its own: src/simulator/plugin.ts). */
  sender?: Sender;
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
  /** Events processed at once. */
  concurrency?: number;
  /** Events waiting at most; beyond it the webhook answers 503 and LINE may redeliver. */
  maxPending?: number;
  /** Bounds of the simulator page's endpoint (src/simulator/plugin.ts), when it is on. */
  simulator?: Partial<SimulatorLimits>;
}

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

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
          },
          options,
        )
      : null;
  const processEvent = deps.events ? (config.line ? deps.events.process : null) : runtime!.process;

  let ready = false;
  let failed = false;
  Promise.all([deps.events?.ready, runtime?.handlerDeps.detector]).then(
    () => (ready = true),
    () => (failed = true),
  );

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (req, reply) => {
    if (!ready) return reply.code(503).send({ status: failed ? 'failed' : 'starting' });
    try {
      // A read through the store proves it answers (the file is open, or the server reachable).
      await deps.store.get('readyz', 'probe');
      return { status: 'ready' };
    } catch (err) {
      req.log.error({ err }, 'store not available');
      return reply.code(503).send({ status: 'store_unavailable' });
    }
  });

  const queue = createWorkQueue({
    concurrency: options.concurrency ?? 32,
    // A reply token lives about a minute: beyond ~2,000 waiting events (5–15 s of work on one machine)
    // answering late would fail anyway, so a full queue asks LINE to redeliver (503) instead.
    maxPending: options.maxPending ?? 2_000,
    onError: (err) => log.error({ err }, 'event task failed'),
  });
  metrics.watchWebhookQueue(() => ({ waiting: queue.pending - queue.running, running: queue.running }));
  // GET / and POST /simulator/events, only when enabled (config.simulator: never by default in production).
  if (config.simulator && runtime) {
    const { simulator } = await import('../simulator/plugin.ts');
    await app.register(simulator, { deps: runtime.handlerDeps, limits: options.simulator });
  }

  await app.register(lineWebhook, {
    channelSecret: processEvent ? (config.line?.channelSecret ?? null) : null,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    accept(events) {
      if (!processEvent || queue.room < events.length) return false;
      for (const event of events) {
        // Events of one chat stay in order; events without a chat only need their own turn.
        const key = event.source ? chatOf(event.source).id : event.webhookEventId;
        const queued = performance.now();
        metrics.accepted(event);
        queue.push(key, () => {
          metrics.queueWait((performance.now() - queued) / 1000);
          return processEvent(event);
        });
      }
      return true;
    },
    onInvalid: () => metrics.invalid(),
    full: () => queue.room <= 0,
  });

  // Runs after the server stopped taking requests: every accepted event is still answered.
  app.addHook('onClose', async () => {
    await queue.drain();
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
