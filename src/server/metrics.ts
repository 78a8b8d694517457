// Prometheus metrics (prom-client), served at GET /metrics (see app.ts for who may read it). Labels
// only ever take values from small fixed sets — event and message types LINE documents, verdict risks,
// brand ids from rules/brands.yaml, delivery outcomes, HTTP statuses — never a user, group or message
// id, never text or a link, so a label cannot carry personal data and the number of series is bounded.
import {
  AggregatorRegistry,
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  Registry,
  type MetricObjectWithValues,
  type MetricValue,
} from 'prom-client';
import type { EventObserver } from '../conversation/process.ts';
import type { Delivery, Sender } from '../line/port.ts';
import type { LineEvent } from '../line/events.ts';

const EVENT_TYPES = new Set(['message', 'postback', 'follow', 'unfollow', 'join', 'leave', 'unsend']);
const MESSAGE_TYPES = new Set(['text', 'image', 'video', 'audio', 'file', 'location', 'sticker']);
const RISKS = new Set(['high', 'medium', 'low', 'unknown']);
/** Brand ids are rule ids (lowercase words); anything else is not one and is not used as a label. */
const BRAND_ID = /^[a-z0-9_-]{1,40}$/;
const STATUSES = new Set([200, 400, 401, 413, 415, 500, 503]);

/** Waiting and running jobs of a work queue. */
export interface QueueProbe {
  (): { waiting: number; running: number };
}

export interface Metrics extends EventObserver {
  readonly registry: Registry;
  /** A finished request to POST /webhooks/line: status and time to the response (the ack). */
  webhook(status: number, seconds: number): void;
  /** An event taken for processing, by type. */
  accepted(event: LineEvent): void;
  /** An event of the batch that failed validation. */
  invalid(): void;
  /** Time an event waited in the webhook queue before its turn. */
  queueWait(seconds: number): void;
  /** The webhook queue, read at each scrape. */
  watchWebhookQueue(probe: QueueProbe): void;
  /** The OCR worker pool's queue (src/media/ocr-pool.ts), read at each scrape. */
  watchOcrQueue(probe: QueueProbe): void;
  /** The sender with reply timing and outcomes counted. */
  instrument(sender: Sender): Sender;
}

const SECONDS_FAST = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const SECONDS_SLOW = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** A registry's figures as data, to cross from an event thread to the server's /metrics. */
export type MetricsData = MetricObjectWithValues<MetricValue<string>>[];

/** process: false in an event thread (the process figures are the server thread's to report). */
export function createMetrics(o: { process?: boolean } = {}): Metrics {
  const registry = new Registry();
  // Process figures: CPU, resident memory, heap, event-loop lag, GC.
  if (o.process !== false) collectDefaultMetrics({ register: registry });
  const m = instruments([registry]);
  return {
    registry,
    webhook(status, seconds) {
      m.requests.inc({ status: STATUSES.has(status) ? String(status) : 'other' });
      m.ack.observe(seconds);
    },
    accepted(event) {
      const type = event.type === 'other' ? 'other' : EVENT_TYPES.has(event.type) ? event.type : 'other';
      const mt = event.type === 'message' ? event.message.type : '';
      m.events.inc({ type, message: event.type !== 'message' ? '' : MESSAGE_TYPES.has(mt) ? mt : 'other' });
    },
    invalid: () => m.invalid.inc(),
    duplicate: () => m.duplicates.inc(),
    failed: () => m.failures.inc(),
    handled(note, seconds) {
      m.processing.observe(seconds);
      if (typeof note.risk === 'string' && RISKS.has(note.risk)) {
        const brand = typeof note.brand === 'string' && BRAND_ID.test(note.brand) ? note.brand : 'none';
        m.verdicts.inc({ risk: note.risk, brand });
      }
      if (note.limited === 'user' || note.limited === 'group') m.limited.inc({ scope: note.limited });
    },
    queueWait: (seconds) => m.wait.observe(seconds),
    watchWebhookQueue: m.webhookQueue,
    watchOcrQueue: m.ocrQueue,
    instrument(sender) {
      return {
        async reply(target, messages) {
          const t = performance.now();
          const delivery: Delivery = await sender.reply(target, messages);
          m.replyTime.observe((performance.now() - t) / 1000);
          m.replies.inc({ delivery });
          if (delivery === 'failed') m.replyFailures.inc();
          return delivery;
        },
        showLoading: (userId) => sender.showLoading(userId),
        prepare: sender.prepare && ((target) => sender.prepare!(target)),
      };
    },
  };
}

/** Every series this server reports: its name, what it counts, its labels or buckets. */
function instruments(registers: Registry[]) {
  const counter = (name: string, help: string, labelNames: string[] = []) =>
    new Counter({ name, help, labelNames, registers });
  const histogram = (name: string, help: string, buckets: number[]) =>
    new Histogram({ name, help, buckets, registers });
  return {
    requests: counter(
      'sagicheck_webhook_requests_total',
      'Requests to POST /webhooks/line by HTTP status (503: busy or not configured, LINE may redeliver).',
      ['status'],
    ),
    ack: histogram(
      'sagicheck_webhook_ack_seconds',
      'POST /webhooks/line: request received to response sent (LINE gives up after 2 s).',
      SECONDS_FAST,
    ),
    events: counter(
      'sagicheck_events_total',
      'Webhook events taken for processing, by event type and message type.',
      ['type', 'message'],
    ),
    invalid: counter(
      'sagicheck_events_invalid_total',
      'Webhook events dropped because they did not match what LINE documents (logged with their id).',
    ),
    duplicates: counter(
      'sagicheck_events_duplicate_total',
      'Deliveries of an event that was already answered (redelivery, or a second machine).',
    ),
    failures: counter(
      'sagicheck_events_failed_total',
      'Events whose handling failed (store unreachable, a bug); the person got the apology.',
    ),
    verdicts: counter(
      'sagicheck_verdicts_total',
      'Verdicts given, by risk and the brand the message claims to be (brand id from rules/brands.yaml, or none).',
      ['risk', 'brand'],
    ),
    limited: counter(
      'sagicheck_rate_limited_total',
      'Checks refused by the rate limit, by scope (user: 1:1 chat, group: group or room).',
      ['scope'],
    ),
    replies: counter(
      'sagicheck_replies_total',
      'Answers sent, by how: replied, pushed (reply token expired) or failed.',
      ['delivery'],
    ),
    replyFailures: counter(
      'sagicheck_reply_failures_total',
      'Answers that could not be delivered (LINE refused or was unreachable after retries).',
    ),
    wait: histogram(
      'sagicheck_event_queue_wait_seconds',
      'Time an acknowledged event waited in the backlog before it was taken.',
      SECONDS_SLOW,
    ),
    processing: histogram(
      'sagicheck_event_processing_seconds',
      'Time from the start of processing to the answer being ready (de-duplication, rate limit, analysis).',
      SECONDS_FAST,
    ),
    replyTime: histogram(
      'sagicheck_reply_seconds',
      'Time to hand an answer to LINE (reply API, retries and push fallback included).',
      SECONDS_SLOW,
    ),
    webhookQueue: queueGauge(
      'sagicheck_webhook_queue_events',
      'Webhook events in the queue: waiting for their turn, or running.',
      registers,
    ),
    ocrQueue: queueGauge(
      'sagicheck_ocr_queue_jobs',
      'Screenshot OCR jobs: waiting for a worker (the queue), or running.',
      registers,
    ),
  };
}

/** A gauge of waiting and running jobs, read from the probe given later at each scrape. */
function queueGauge(name: string, help: string, registers: Registry[]): (probe: QueueProbe) => void {
  let probe: QueueProbe | null = null;
  new Gauge({
    name,
    help,
    labelNames: ['state'],
    registers,
    collect() {
      if (!probe) return;
      const q = probe();
      this.set({ state: 'waiting' }, q.waiting);
      this.set({ state: 'running' }, q.running);
    },
  });
  return (p) => {
    probe = p;
  };
}

/** The exposition text: this thread's figures, added to those of the event threads (same names sum). */
export async function metricsText(metrics: Metrics, others: MetricsData[]): Promise<string> {
  if (others.length === 0) return metrics.registry.metrics();
  const all = [await metrics.registry.getMetricsAsJSON(), ...others] as MetricsData[];
  return AggregatorRegistry.aggregate(all).metrics();
}
