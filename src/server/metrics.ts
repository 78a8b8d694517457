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
  const registers = [registry];
  // Process figures: CPU, resident memory, heap, event-loop lag, GC.
  if (o.process !== false) collectDefaultMetrics({ register: registry });

  const requests = new Counter({
    name: 'sagicheck_webhook_requests_total',
    help: 'Requests to POST /webhooks/line by HTTP status (503: busy or not configured, LINE may redeliver).',
    labelNames: ['status'],
    registers,
  });
  const ack = new Histogram({
    name: 'sagicheck_webhook_ack_seconds',
    help: 'POST /webhooks/line: request received to response sent (LINE gives up after 2 s).',
    buckets: SECONDS_FAST,
    registers,
  });
  const events = new Counter({
    name: 'sagicheck_events_total',
    help: 'Webhook events taken for processing, by event type and message type.',
    labelNames: ['type', 'message'],
    registers,
  });
  const invalid = new Counter({
    name: 'sagicheck_events_invalid_total',
    help: 'Webhook events dropped because they did not match what LINE documents (logged with their id).',
    registers,
  });
  const duplicates = new Counter({
    name: 'sagicheck_events_duplicate_total',
    help: 'Deliveries of an event that was already answered (redelivery, or a second machine).',
    registers,
  });
  const failures = new Counter({
    name: 'sagicheck_events_failed_total',
    help: 'Events whose handling failed (store unreachable, a bug); the person got the apology.',
    registers,
  });
  const verdicts = new Counter({
    name: 'sagicheck_verdicts_total',
    help: 'Verdicts given, by risk and the brand the message claims to be (brand id from rules/brands.yaml, or none).',
    labelNames: ['risk', 'brand'],
    registers,
  });
  const limited = new Counter({
    name: 'sagicheck_rate_limited_total',
    help: 'Checks refused by the rate limit, by scope (user: 1:1 chat, group: group or room).',
    labelNames: ['scope'],
    registers,
  });
  const replies = new Counter({
    name: 'sagicheck_replies_total',
    help: 'Answers sent, by how: replied, pushed (reply token expired) or failed.',
    labelNames: ['delivery'],
    registers,
  });
  const replyFailures = new Counter({
    name: 'sagicheck_reply_failures_total',
    help: 'Answers that could not be delivered (LINE refused or was unreachable after retries).',
    registers,
  });
  const wait = new Histogram({
    name: 'sagicheck_event_queue_wait_seconds',
    help: 'Time an acknowledged event waited in the backlog before it was taken.',
    buckets: SECONDS_SLOW,
    registers,
  });
  const processing = new Histogram({
    name: 'sagicheck_event_processing_seconds',
    help: 'Time from the start of processing to the answer being ready (de-duplication, rate limit, analysis).',
    buckets: SECONDS_FAST,
    registers,
  });
  const replyTime = new Histogram({
    name: 'sagicheck_reply_seconds',
    help: 'Time to hand an answer to LINE (reply API, retries and push fallback included).',
    buckets: SECONDS_SLOW,
    registers,
  });
  let webhookProbe: QueueProbe | null = null;
  let ocrProbe: QueueProbe | null = null;
  new Gauge({
    name: 'sagicheck_webhook_queue_events',
    help: 'Webhook events in the queue: waiting for their turn, or running.',
    labelNames: ['state'],
    registers,
    collect() {
      if (!webhookProbe) return;
      const q = webhookProbe();
      this.set({ state: 'waiting' }, q.waiting);
      this.set({ state: 'running' }, q.running);
    },
  });
  new Gauge({
    name: 'sagicheck_ocr_queue_jobs',
    help: 'Screenshot OCR jobs: waiting for a worker (the queue), or running.',
    labelNames: ['state'],
    registers,
    collect() {
      if (!ocrProbe) return;
      const q = ocrProbe();
      this.set({ state: 'waiting' }, q.waiting);
      this.set({ state: 'running' }, q.running);
    },
  });

  return {
    registry,
    webhook(status, seconds) {
      requests.inc({ status: STATUSES.has(status) ? String(status) : 'other' });
      ack.observe(seconds);
    },
    accepted(event) {
      const type = event.type === 'other' ? 'other' : EVENT_TYPES.has(event.type) ? event.type : 'other';
      const m = event.type === 'message' ? event.message.type : '';
      events.inc({ type, message: event.type !== 'message' ? '' : MESSAGE_TYPES.has(m) ? m : 'other' });
    },
    invalid: () => invalid.inc(),
    duplicate: () => duplicates.inc(),
    failed: () => failures.inc(),
    handled(note, seconds) {
      processing.observe(seconds);
      if (typeof note.risk === 'string' && RISKS.has(note.risk)) {
        const brand = typeof note.brand === 'string' && BRAND_ID.test(note.brand) ? note.brand : 'none';
        verdicts.inc({ risk: note.risk, brand });
      }
      if (note.limited === 'user' || note.limited === 'group') limited.inc({ scope: note.limited });
    },
    queueWait: (seconds) => wait.observe(seconds),
    watchWebhookQueue(probe) {
      webhookProbe = probe;
    },
    watchOcrQueue(probe) {
      ocrProbe = probe;
    },
    instrument(sender) {
      return {
        async reply(target, messages) {
          const t = performance.now();
          const delivery: Delivery = await sender.reply(target, messages);
          replyTime.observe((performance.now() - t) / 1000);
          replies.inc({ delivery });
          if (delivery === 'failed') replyFailures.inc();
          return delivery;
        },
        showLoading: (userId) => sender.showLoading(userId),
      };
    },
  };
}

/** The exposition text: this thread's figures, added to those of the event threads (same names sum). */
export async function metricsText(metrics: Metrics, others: MetricsData[]): Promise<string> {
  if (others.length === 0) return metrics.registry.metrics();
  const all = [await metrics.registry.getMetricsAsJSON(), ...others] as MetricsData[];
  return AggregatorRegistry.aggregate(all).metrics();
}
