// Everything that answers an accepted event: the LINE sender, reading pictures and files, the handler
// and the processor around it. Built through runtime.ts (answerHere), in the server's thread or in an
// event thread (event-worker.ts).
import type { Config } from '../config.ts';
import type { Detector } from '../detector/index.ts';
import type { Logger } from '../log/logger.ts';
import type { Store } from '../store/store.ts';
import type { Copy } from '../words.ts';
import { createEventProcessor, type EventProcessor } from '../conversation/process.ts';
import type { HandlerDeps } from '../conversation/handler.ts';
import { createLineApi, type LineApiOptions } from '../line/client.ts';
import { createLineSender } from '../line/sender.ts';
import { memoryContentSource } from '../media/content.ts';
import { lineContentSource } from '../line/content.ts';
import { MEDIA_LIMITS, type MediaDeps } from '../media/media.ts';
import { createOcrPool, type OcrPoolOptions } from '../media/ocr-pool.ts';
import type { Metrics } from './metrics.ts';
import type { Consumer } from './consumer.ts';

/** What answering takes from outside: given by main.ts, an event thread or a test. */
export interface EventSources {
  store: Store;
  logger: Logger;
  now?: () => number;
  /** Reading pictures and files; otherwise LINE's content API and an OCR pool of our own. */
  media?: MediaDeps;
}

export interface EventDeps extends EventSources {
  /** May still be loading: early events wait for it. */
  detector: Promise<Detector>;
  copy: Copy;
  metrics: Metrics;
  /** The durable backlog's consumer that feeds this processor (consumer.ts). */
  consumer?: Pick<Consumer, 'claimed' | 'wrapSender'>;
}

export interface EventOptions {
  loadingAfterMs?: number;
  lineRetry?: Pick<LineApiOptions, 'attempts' | 'baseDelayMs' | 'maxDelayMs' | 'timeoutMs'>;
  ocr?: OcrPoolOptions;
  /** Start and warm the OCR workers once the detector is ready (the server does; tests do not). */
  warmOcr?: boolean;
}

export interface EventRuntime {
  /** What the handler needs, also used by the simulator page. */
  handlerDeps: HandlerDeps;
  /** Null without LINE credentials (and no sender given): nothing can be answered. */
  process: EventProcessor | null;
  /** Stops the OCR workers it started. */
  close(): Promise<void>;
}

export function createEventRuntime(
  config: Config,
  deps: EventDeps,
  options: EventOptions = {},
): EventRuntime {
  const { logger: log, metrics } = deps;
  const line = config.line;
  const api = line
    ? createLineApi({
        channelAccessToken: line.channelAccessToken,
        apiBaseUrl: config.lineApiBaseUrl,
        ...options.lineRetry,
      })
    : null;
  const lineSender = api ? createLineSender(api, log) : null;
  const baseSender = lineSender && deps.consumer ? deps.consumer.wrapSender(lineSender) : lineSender;
  const sender = baseSender ? metrics.instrument(baseSender) : null;

  // Workers start with the first picture, or once the detector is ready with warmOcr.
  const ownPool = deps.media ? null : createOcrPool(options.ocr);
  const media: MediaDeps = deps.media ?? {
    content: line
      ? lineContentSource({
          channelAccessToken: line.channelAccessToken,
          dataApiBaseUrl: config.lineDataApiBaseUrl,
        })
      : memoryContentSource(new Map()),
    ocr: ownPool!,
    limits: MEDIA_LIMITS,
  };
  metrics.watchOcrQueue(() => {
    const s = media.ocr.stats();
    return { waiting: s.queued, running: s.running };
  });
  if (options.warmOcr)
    // After the dictionary load, so a cold start still answers its first webhook in time; then the
    // first picture does not wait ~3 s for workers to start and warm up.
    deps.detector.then(
      () =>
        media.ocr.warm().then(
          () => log.info('OCR workers ready'),
          (err: unknown) => log.error({ err }, 'OCR workers failed to start'),
        ),
      () => undefined,
    );
  const handlerDeps: HandlerDeps = {
    detector: deps.detector,
    store: deps.store,
    copy: deps.copy,
    now: deps.now ?? Date.now,
    log,
    rateLimits: config.rateLimits,
    media,
  };
  const processEvent = sender
    ? createEventProcessor({
        ...handlerDeps,
        sender,
        loadingAfterMs: options.loadingAfterMs ?? 500,
        observer: metrics,
        claimed: deps.consumer?.claimed,
      })
    : null;
  return { handlerDeps, process: processEvent, close: async () => void (await ownPool?.close()) };
}
