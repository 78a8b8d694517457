// The HTTP server as a function of its configuration and dependencies, so tests start the real thing on
// port 0 with a memory store and a stand-in LINE API.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import type { Detector } from '../detector/index.ts';
import type { Logger } from '../log/logger.ts';
import type { Store } from '../store/store.ts';
import { loadCopy, type Copy } from '../conversation/copy.ts';
import { createEventProcessor } from '../conversation/process.ts';
import type { Sender } from '../conversation/sender.ts';
import { chatOf } from '../line/events.ts';
import { createLineApi, type LineApi, type LineApiOptions } from '../line/client.ts';
import { createLineSender } from '../line/sender.ts';
import { lineWebhook } from '../../webhooks/line.ts';
import { createWorkQueue } from './queue.ts';

export interface AppDeps {
  /** May still be loading: /readyz says 503 until it is ready, and early events wait for it. */
  detector: Promise<Detector>;
  store: Store;
  logger: Logger;
  copy?: Copy;
  /** Replaces the LINE client (otherwise built from config); the sender wraps it either way. */
  lineApi?: LineApi;
  /** Replaces the sender altogether (the simulator page collects answers instead of sending them). */
  sender?: Sender;
  now?: () => number;
}

export interface AppOptions {
  /** Webhook body limit in bytes; LINE batches stay far below it. */
  bodyLimit?: number;
  /** Events processed at once. */
  concurrency?: number;
  /** Events waiting at most; beyond it the webhook answers 503 and LINE may redeliver. */
  maxPending?: number;
  loadingAfterMs?: number;
  lineRetry?: Pick<LineApiOptions, 'attempts' | 'baseDelayMs' | 'maxDelayMs' | 'timeoutMs'>;
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

  let ready = false;
  let failed = false;
  deps.detector.then(
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

  const line = config.line;
  const api =
    deps.lineApi ??
    (line
      ? createLineApi({
          channelAccessToken: line.channelAccessToken,
          apiBaseUrl: config.lineApiBaseUrl,
          dataApiBaseUrl: config.lineDataApiBaseUrl,
          ...options.lineRetry,
        })
      : null);
  const sender = deps.sender ?? (api ? createLineSender(api, log) : null);

  const queue = createWorkQueue({
    concurrency: options.concurrency ?? 32,
    maxPending: options.maxPending ?? 10_000,
    onError: (err) => log.error({ err }, 'event task failed'),
  });
  const processEvent = sender
    ? createEventProcessor({
        detector: deps.detector,
        store: deps.store,
        copy,
        now: deps.now ?? Date.now,
        log,
        sender,
        loadingAfterMs: options.loadingAfterMs ?? 500,
      })
    : null;

  await app.register(lineWebhook, {
    channelSecret: processEvent ? (line?.channelSecret ?? null) : null,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    accept(events) {
      if (!processEvent || queue.room < events.length) return false;
      for (const event of events) {
        // Events of one chat stay in order; events without a chat only need their own turn.
        const key = event.source ? chatOf(event.source).id : event.webhookEventId;
        queue.push(key, () => processEvent(event));
      }
      return true;
    },
  });

  // Runs after the server stopped taking requests: every accepted event is still answered.
  app.addHook('onClose', async () => {
    await queue.drain();
  });
  return app;
}
