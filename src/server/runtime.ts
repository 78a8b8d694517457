// What answers LINE's events, assembled in one place from the configuration: the store given, the
// detector, the OCR workers, the LINE sender and the metrics. The three ways of running are decided here
// and nowhere else (modeOf): events answered in threads of their own (the server's thread only
// acknowledges webhooks), answered in the server's thread, or not at all (no LINE credentials); the
// simulator page, when on, always answers its events in the server's thread. main.ts, the tests and each
// event thread (event-worker.ts, through answerHere) build from here.
import { randomUUID } from 'node:crypto';
import type { Config } from '../config.ts';
import type { Detector } from '../detector/index.ts';
import type { HandlerDeps } from '../conversation/handler.ts';
import type { Copy } from '../words.ts';
import { loadCopy } from '../rules/replies.ts';
import { backlogKey, type SealKey } from './backlog.ts';
import { createConsumer, type Consumer, type ConsumerOptions } from './consumer.ts';
import type { EventDeps, EventOptions, EventRuntime, EventSources } from './events.ts';
import { startEventThreads, STUCK_EVENT_MS, type EventThreads } from './event-threads.ts';
import { createMetrics, metricsText, type Metrics } from './metrics.ts';

/** Events processed at once (by each event thread, or by this thread without them). */
export const DEFAULT_CONCURRENCY = 32;

export interface Mode {
  /** Event threads that answer LINE's events; 0: none. */
  threads: number;
  /** LINE's events are answered in this thread (credentials set, no event threads). */
  answersHere: boolean;
  /** This thread holds a detector and a handler: without event threads, or for the simulator page. */
  handlesHere: boolean;
}

/**
 * With LINE credentials and EVENT_THREADS ≥ 1, events are answered in threads of their own; a memory:
 * store is not shared between threads, so with it they are answered here.
 */
export function modeOf(config: Config): Mode {
  const threads =
    config.line !== null && config.eventThreads > 0 && config.storeUrl !== 'memory:'
      ? config.eventThreads
      : 0;
  return {
    threads,
    answersHere: config.line !== null && threads === 0,
    handlesHere: threads === 0 || config.simulator,
  };
}

export interface RuntimeDeps extends EventSources {
  /** Loaded by load() when not given (main.ts loads it once the server listens). */
  detector?: Promise<Detector>;
  copy?: Copy;
}

export interface RuntimeOptions extends EventOptions {
  /** Events processed at once, by each event thread or by this thread. */
  concurrency?: number;
  /** Lease owners of this run start with it (consumer.ts); a random one otherwise. */
  ownerPrefix?: string;
  /** The backlog consumer's lease and idle poll (consumer.ts), when events are answered here. */
  leaseMs?: number;
  pollMs?: number;
}

export interface Runtime {
  readonly mode: Mode;
  readonly deps: Required<Pick<RuntimeDeps, 'store' | 'logger'>>;
  readonly metrics: Metrics;
  /** Seals events into the backlog; null without LINE credentials (the webhook then answers 503). */
  readonly sealKey: SealKey | null;
  /** What the simulator page's handler needs; null when this thread handles nothing. */
  readonly handlerDeps: HandlerDeps | null;
  /** Settles once everything that answers is loaded (detector, event threads); rejects if one fails. */
  readonly ready: Promise<unknown>;
  /** Starts loading what was not given (the detector, the guide's rules); resolves once all is ready. */
  load(): Promise<unknown>;
  /** Events were written to the backlog; `waiting`: how many wait to be taken (event threads grow on it). */
  wake(waiting?: number): void;
  /** Events running now, and finished since the start: the backlog's count between two reads. */
  running(): number;
  done(): number;
  /** Why answering makes no progress, or null. */
  stuck(now: number): string | null;
  /** When the oldest event a consumer took ahead and has not started arrived (ms), or null. */
  oldestWaitingSince(): number | null;
  /** GET /metrics: this thread's figures and the event threads'. */
  metricsText(): Promise<string>;
  /** Answers events until `deadline` (ms), then stops the consumer, event threads and OCR workers. */
  close(deadline: number): Promise<void>;
}

export async function startRuntime(
  config: Config,
  deps: RuntimeDeps,
  options: RuntimeOptions = {},
): Promise<Runtime> {
  const mode = modeOf(config);
  const log = deps.logger;
  const metrics = createMetrics();
  const ownerPrefix = options.ownerPrefix ?? `${randomUUID().slice(0, 8)}/`;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const events = mode.threads ? eventThreads(mode.threads, concurrency, ownerPrefix, deps.store, log) : null;
  const detector = deferred(deps.detector, mode.handlesHere);
  let doneHere = 0;
  // Loaded only when used: with event threads, this thread never holds the detector, OCR or LINE client.
  const here = mode.handlesHere
    ? await answerHere(
        config,
        { ...deps, detector: detector.promise!, copy: deps.copy ?? loadCopy(), metrics },
        {
          ...options,
          consume: mode.answersHere,
          owner: `${ownerPrefix}app/`,
          concurrency,
          onDone: () => doneHere++,
        },
      )
    : null;
  const consumer = here?.consumer ?? null;
  if (consumer && here?.events.process) consumer.start(here.events.process);
  const ready = Promise.all([events?.ready, detector.promise]);
  ready.catch(() => undefined); // read by /readyz and load(); not a crash here
  return {
    mode,
    deps: { store: deps.store, logger: log },
    metrics,
    sealKey: config.line && (events || here?.events.process) ? backlogKey(config.line.channelSecret) : null,
    handlerDeps: here?.events.handlerDeps ?? null,
    ready,
    async load() {
      detector.load();
      const guide = mode.threads ? null : import('../guide/load.ts').then((m) => m.loadGuide());
      return Promise.all([ready, guide]);
    },
    wake: (waiting) => (events ? events.wake(waiting) : consumer?.wake()),
    running: () => (events ? events.running() : (consumer?.running ?? 0)),
    done: () => (events ? events.done() : doneHere),
    oldestWaitingSince: () =>
      events ? events.oldestWaitingSince() : (consumer?.oldestWaitingSince() ?? null),
    stuck(now) {
      if (events) return events.stuck(now);
      const since = consumer?.oldestRunningSince() ?? null;
      return since !== null && now - since > STUCK_EVENT_MS
        ? `one event has run for ${now - since} ms`
        : null;
    },
    metricsText: async () => metricsText(metrics, events ? await events.metrics() : []),
    async close(deadline) {
      await consumer?.stop(deadline);
      await here?.events.close();
      await events?.close(deadline);
    },
  };
}

/** The event threads; a stopped one's leases are given back at once, so its events are answered now. */
function eventThreads(
  threads: number,
  concurrency: number,
  ownerPrefix: string,
  store: RuntimeDeps['store'],
  log: RuntimeDeps['logger'],
): EventThreads {
  const release = (owner: string) =>
    store.backlog
      .release(owner)
      .catch((e: unknown) => log.error({ err: e }, 'event backlog: release failed'));
  const events: EventThreads = startEventThreads({
    threads,
    concurrency,
    ownerPrefix,
    onThreadError: (err, owner) => {
      log.error({ err }, 'event thread stopped');
      void release(owner); // to the other threads (or its replacement), not after the lease
    },
    onSpare: (n) => log.info({ threads: n }, 'event thread started: events are waiting'),
    // A spare stopped after a quiet spell: what it had taken and not started goes back too.
    onRetired: (owner) => {
      log.info({ threads: events.count() }, 'event thread stopped: quiet again');
      void release(owner);
    },
  });
  return events;
}

/** The detector given, or one loaded by load() (main.ts: after the server listens); none if unused. */
function deferred(given: Promise<Detector> | undefined, needed: boolean) {
  if (given || !needed) return { promise: given, load: () => undefined };
  let settle!: { resolve: (d: Detector) => void; reject: (err: unknown) => void };
  const promise = new Promise<Detector>((resolve, reject) => (settle = { resolve, reject }));
  let started = false;
  const load = () => {
    if (started) return;
    started = true;
    import('../detector/load.ts').then((m) => m.loadDetector()).then(settle.resolve, settle.reject);
  };
  return { promise, load };
}

export interface Answering {
  /** Takes events from the backlog for the processor; null when this thread answers none of LINE's. */
  consumer: Consumer | null;
  events: EventRuntime;
}

/**
 * The event processor and, with `consume`, the backlog's consumer that feeds it: built by the server's
 * thread (without event threads, or for the simulator page) and by every event thread.
 */
export async function answerHere(
  config: Config,
  deps: Omit<EventDeps, 'consumer'>,
  o: EventOptions &
    Pick<ConsumerOptions, 'owner' | 'concurrency' | 'leaseMs' | 'pollMs' | 'onDone' | 'startsPerTurn'> & {
      consume: boolean;
    },
): Promise<Answering> {
  const consumer = o.consume
    ? createConsumer({
        backlog: deps.store.backlog,
        key: backlogKey(config.line!.channelSecret),
        owner: o.owner,
        concurrency: o.concurrency,
        leaseMs: o.leaseMs,
        pollMs: o.pollMs,
        log: deps.logger,
        onTaken: (seconds) => deps.metrics.queueWait(seconds),
        onDone: o.onDone,
        startsPerTurn: o.startsPerTurn,
      })
    : null;
  const { createEventRuntime } = await import('./events.ts');
  const events = createEventRuntime(config, { ...deps, consumer: consumer ?? undefined }, o);
  return { consumer, events };
}
