// POST /webhooks/line: the LINE webhook (../shared/CONTRACT.md §4, research notes §1 and §6).
// The signature is checked over the exact raw bytes before anything is parsed, so a forged request is
// a 401 whatever its body; then the body is checked, the events queued, and 200 sent at once: LINE
// counts a webhook as failed after 2 s, and the answers go out through the reply API anyway.
import type { FastifyInstance, FastifyReply, FastifyRequest, onResponseHookHandler } from 'fastify';
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { parseEvent, type LineEvent } from '../src/line/events.ts';
import { lazyChild } from './lazy-logger.ts';

export interface LineWebhookOptions {
  /** null: the webhook is off (no credentials) and answers 503. */
  channelSecret: string | null;
  bodyLimit: number;
  /**
   * Takes a batch of valid events for processing; false when there is no room for all of them, and
   * then none is taken and LINE is told to come back (503).
   */
  accept(events: LineEvent[]): boolean | Promise<boolean>;
  /** Counts an event dropped as malformed (metrics). */
  onInvalid?(): void;
  /** True while the queue has no room at all: requests are then refused before their body is read. */
  full?(): boolean;
  /** Every response of this route, refusals included: its status and seconds to the response (metrics). */
  answered?(status: number, seconds: number): void;
}

const NOT_CONFIGURED = {
  error: 'line_not_configured',
  message: 'The LINE webhook is off: set LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN to turn it on.',
};

export async function lineWebhook(app: FastifyInstance, opts: LineWebhookOptions): Promise<void> {
  const onResponse = answeredHook(opts.answered);
  const secret = opts.channelSecret === null ? null : createSecretKey(opts.channelSecret, 'utf8');
  if (secret === null) {
    // Answered before the body is read: there is nothing to check it against.
    app.post(
      '/webhooks/line',
      { onRequest: async (_req, reply) => reply.code(503).send(NOT_CONFIGURED), onResponse },
      () => {},
    );
    return;
  }

  // Most requests log nothing: their child logger is made only if they do.
  app.setChildLoggerFactory(lazyChild);
  shedWhenFull(app, opts.full);
  const verified = verifyBodies(app, secret, opts.bodyLimit);
  const store = storeEvents(opts.accept);

  // The body is read and its events copied out first (a function of its own), so that nothing of the
  // parsed body stays alive while they are written: the request keeps no reference to it either.
  app.post('/webhooks/line', { onResponse }, (req: FastifyRequest, reply: FastifyReply) => {
    const events = eventsOf(req, reply);
    return events === null ? reply : store(events, req, reply);
  });

  /** The body's valid events, or null once the request is refused. */
  function eventsOf(req: FastifyRequest, reply: FastifyReply): LineEvent[] | null {
    // No body at all never reaches the parser: check the signature of the empty body here.
    if (!verified.has(req)) {
      if (!signatureOk(req, Buffer.alloc(0), secret!)) refuse(reply, 401, 'invalid_signature');
      else refuse(reply, 400, 'invalid_webhook_body');
      return null;
    }
    const raws = webhookEvents(req.body);
    req.body = undefined;
    if (!raws) {
      refuse(reply, 400, 'invalid_webhook_body');
      return null;
    }
    return validEvents(raws, req, opts.onInvalid);
  }
}

/** Every response of the route to `answered`, in the callback form (no promise per request). */
function answeredHook(answered: LineWebhookOptions['answered']): onResponseHookHandler | undefined {
  if (!answered) return undefined;
  return (_req, reply, done) => {
    answered(reply.statusCode, reply.elapsedTime / 1000);
    done();
  };
}

/** Writes a body's valid events and answers: 200 once they are in the store, 503 if they cannot be. */
function storeEvents(accept: LineWebhookOptions['accept']) {
  let unstored = 0;
  let unstoredLoggedAt = 0;
  return async (events: LineEvent[], req: FastifyRequest, reply: FastifyReply) => {
    let accepted = true;
    if (events.length) {
      try {
        accepted = await accept(events);
      } catch (err) {
        // Not written, so not acknowledged: a 503, and LINE redelivers if webhook redelivery is on.
        // Logged once per outage burst (every 5 s at most), not once per request.
        unstored++;
        if (Date.now() - unstoredLoggedAt >= 5000) {
          req.log.error(
            { err, refused: unstored },
            'events could not be written to the store: refusing webhooks',
          );
          unstored = 0;
          unstoredLoggedAt = Date.now();
        }
        return reply.code(503).send({ error: 'store_unavailable', message: MESSAGES.store_unavailable });
      }
    }
    if (!accepted) {
      // Not accepted (LINE redelivers on 503). The first ids identify the batch; a body of thousands of
      // events must not become one enormous log line.
      req.log.warn(
        {
          count: events.length,
          eventIds: events.slice(0, MAX_IDS_LOGGED).map((e) => e.webhookEventId),
        },
        'event queue full: asked LINE to retry',
      );
      return refuse(reply, 503, 'busy');
    }
    // The same bytes as send({}), without serialising an object for each webhook.
    return reply.code(200).type(JSON_TYPE).send('{}');
  };
}

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * Overloaded: a 503 at once, before the body is read, verified and parsed — work that would take the
 * CPU the queued events need. Logged with a count at most every 5 s, not once per request.
 */
function shedWhenFull(app: FastifyInstance, full: (() => boolean) | undefined): void {
  let shed = 0;
  let shedLoggedAt = 0;
  if (!full) return;
  // The callback form: a hook that answers does not call done().
  app.addHook('onRequest', (req, reply, done) => {
    if (!full()) return done();
    shed++;
    if (Date.now() - shedLoggedAt >= 5000) {
      // A warning, once per burst: overload is a state the server handles, not a failure of its own.
      req.log.warn({ refused: shed }, 'event queue full: refusing webhooks, LINE may redeliver');
      shed = 0;
      shedLoggedAt = Date.now();
    }
    reply.code(503).send({ error: 'busy', message: MESSAGES.busy });
  });
}

/** Bodies whose signature matches, parsed as JSON; the requests they came with are remembered. */
function verifyBodies(app: FastifyInstance, secret: KeyObject, bodyLimit: number) {
  const verified = new WeakSet<FastifyRequest>();
  // Only this plugin's scope parses bodies this way; other routes keep Fastify's defaults. Every content
  // type goes through the same check, so no body reaches the handler unverified.
  app.removeAllContentTypeParsers();
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (req, body, done) => {
    const raw = body as Buffer;
    if (!signatureOk(req, raw, secret)) return done(httpError(401, 'invalid_signature'), undefined);
    verified.add(req);
    parseJson(req, raw.toString('utf8'), (err, value) => {
      if (err) done(httpError(400, 'invalid_json'), undefined);
      else done(null, value);
    });
  });

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    if (status >= 500) req.log.error({ err }, 'webhook request failed');
    else req.log.warn({ status, code: err.code ?? err.message }, 'webhook request refused');
    const error = status === 413 ? 'body_too_large' : status < 500 ? err.message : 'internal_error';
    return reply.code(status).send({ error, message: MESSAGES[error] ?? error });
  });
  return verified;
}

type RawEvent = Parameters<typeof parseEvent>[0];

/**
 * The events of a body shaped as LINE sends it ({"destination": string, "events": [{"type": string, …}]}),
 * or null. What src/line/events.ts's WebhookBody schema checks, without copying every event on the
 * thread that acknowledges webhooks: each event is checked in full by parseEvent next.
 */
export function webhookEvents(body: unknown): RawEvent[] | null {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(body) || typeof body.destination !== 'string' || !Array.isArray(body.events)) return null;
  for (const e of body.events as unknown[]) if (!isObject(e) || typeof e.type !== 'string') return null;
  return body.events as RawEvent[];
}

/** The events that match what LINE documents; the others are counted and logged, a few at most. */
function validEvents(
  raws: RawEvent[],
  req: FastifyRequest,
  onInvalid: (() => void) | undefined,
): LineEvent[] {
  const events: LineEvent[] = [];
  let invalid = 0;
  for (const raw of raws) {
    const parsed = parseEvent(raw);
    if (parsed.ok) events.push(parsed.event);
    // A malformed event cannot be answered; it is logged so it is never lost silently. A forged body
    // of thousands of them gets a few lines and a count, not thousands of lines.
    else if (++invalid <= MAX_INVALID_LOGGED) {
      onInvalid?.();
      req.log.error(
        {
          eventId: shortForLog(parsed.eventId),
          type: shortForLog(parsed.type),
          problems: parsed.problems.map((p) => shortForLog(p)),
        },
        'invalid event dropped',
      );
    } else onInvalid?.();
  }
  if (invalid > MAX_INVALID_LOGGED)
    req.log.error({ count: invalid - MAX_INVALID_LOGGED }, 'more invalid events dropped');
  return events;
}

const MAX_INVALID_LOGGED = 5;
/** Base64 of 32 bytes: 43 characters and one "=". */
const SIGNATURE = /^[A-Za-z0-9+/]{43}=$/;
const MAX_IDS_LOGGED = 20;

/** Values from the body are the sender's to choose: never a long one into the logs. */
function shortForLog<T extends string | null>(s: T): T {
  return (s !== null && s.length > 80 ? `${s.slice(0, 80)}…` : s) as T;
}

const MESSAGES: Record<string, string> = {
  invalid_signature: 'x-line-signature is missing or does not match the body',
  invalid_json: 'the body is not valid JSON',
  invalid_webhook_body: 'expected a LINE webhook body: {"destination": string, "events": [...]}',
  body_too_large: 'the body is larger than this webhook accepts',
  busy: 'too many events are waiting; try again shortly',
  store_unavailable: 'the events could not be stored; try again shortly',
};

/** HMAC-SHA256 of the exact bytes, base64, compared in constant time: what @line/bot-sdk's
 * validateSignature does, without loading the whole SDK into the thread that only acknowledges. Only
 * the exact form LINE sends is taken (Buffer.from would also decode spaces, missing padding, the
 * URL-safe alphabet and trailing junk). The secret is a key object made once (its UTF-8 bytes, as
 * createHmac takes a string), not a string converted for each request. */
function signatureOk(req: FastifyRequest, raw: Buffer, secret: KeyObject): boolean {
  const sig = req.headers['x-line-signature'];
  if (typeof sig !== 'string' || !SIGNATURE.test(sig)) return false;
  const expected = createHmac('sha256', secret).update(raw).digest();
  const given = Buffer.from(sig, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function httpError(statusCode: number, code: string): Error & { statusCode: number } {
  return Object.assign(new Error(code), { statusCode });
}

function refuse(reply: FastifyReply, status: number, error: string) {
  reply.log.warn({ status, code: error }, 'webhook request refused');
  return reply.code(status).send({ error, message: MESSAGES[error] });
}
