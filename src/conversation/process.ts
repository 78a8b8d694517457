// Runs one accepted webhook event end to end: de-duplicate, handle, send. Never throws: every failure
// is logged with the webhookEventId, so no event is lost silently.
import { pseudonym } from '../log/mask.ts';
import { chatOf, type LineEvent } from '../line/events.ts';
import { text } from '../line/messages.ts';
import { renderAnswer } from '../words.ts';
import { handleEvent, type HandlerDeps } from './handler.ts';
import type { ReplyTarget, Sender } from '../line/port.ts';
import type { Logger } from '../log/logger.ts';

/** What this module reports about each event it ran (src/server/metrics.ts counts them). */
export interface EventObserver {
  /** Another delivery of this event was answered already (here or on another machine). */
  duplicate(): void;
  /** The handler's note (risk, brand, limited …) and how long deciding the answer took. */
  handled(note: Record<string, string | number | boolean>, seconds: number): void;
  /** The handler threw; the person got the apology. */
  failed(): void;
}

/** LINE redelivers for a while and a reply token lives 20 minutes at most: a day covers both. */
export const EVENT_TTL_MS = 24 * 60 * 60_000;

export interface ProcessorDeps extends HandlerDeps {
  sender: Sender;
  /** Work still going after this long in a 1:1 chat shows LINE's loading indicator. */
  loadingAfterMs: number;
  /** Metrics (src/server/metrics.ts): duplicates, outcomes, processing time, failures. */
  observer?: EventObserver;
  /**
   * True for an event already claimed when it was written to the durable backlog (src/server/
   * consumer.ts): claiming it again here would skip it as a duplicate when it is resumed after a crash.
   */
  claimed?: (event: LineEvent) => boolean;
}

export type EventProcessor = (event: LineEvent) => Promise<void>;

export function createEventProcessor(deps: ProcessorDeps): EventProcessor {
  return async (event) => {
    const started = performance.now();
    const chat = event.source ? chatOf(event.source) : null;
    // The event's facts on each of its log lines. Most events write one line (the last): the child
    // logger, which copies and masks these facts, is made only when something else is logged.
    const facts = {
      eventId: event.webhookEventId,
      type: event.type === 'other' ? event.lineType : event.type,
      chat: chat ? `${chat.type}:${pseudonym(chat.id)}` : undefined,
      redelivery: event.deliveryContext.isRedelivery || undefined,
    };
    const events = new EventLog(deps.log, facts);
    let loading: NodeJS.Timeout | undefined;
    let sendTo: ReplyTarget | null = null;
    let sent = false;
    const replyToken = 'replyToken' in event ? event.replyToken : undefined;
    const canSend = event.mode === 'active' && replyToken !== undefined && chat !== null;
    // Known before the claim: when the store cannot be reached, the person still gets the apology.
    if (canSend) sendTo = { eventId: event.webhookEventId, replyToken, chat };
    try {
      // Atomic: of two deliveries of one event, whether redelivered or duplicated on the way, exactly
      // one gets past here. isRedelivery alone is no reason to skip: the first delivery may never
      // have arrived.
      if (!deps.claimed?.(event) && !(await deps.store.claimEvent(event.webhookEventId, EVENT_TTL_MS))) {
        deps.observer?.duplicate();
        events.logger().info('duplicate event skipped');
        return;
      }
      if (canSend && chat.type === 'user') {
        const show = () => void deps.sender.showLoading(chat.id);
        if (deps.loadingAfterMs <= 0) show();
        else loading = setTimeout(show, deps.loadingAfterMs);
      }
      const outcome = await handleEvent(event, new EventHandlerDeps(deps, events));
      if (outcome.saving) {
        // The answer's store writes and the sender's own note before a reply go out together: one
        // round trip to the store, not two in a row.
        const replying = outcome.messages.length > 0 && sendTo !== null;
        await Promise.all([outcome.saving, replying ? deps.sender.prepare?.(sendTo!) : undefined]);
      }
      clearTimeout(loading);
      // Only the note is kept past the reply call: the cards are the sender's until it returns.
      const { note, messages } = outcome;
      deps.observer?.handled(note, (performance.now() - started) / 1000);
      let delivery = 'none';
      if (messages.length && sendTo) {
        sent = true;
        delivery = await deps.sender.reply(sendTo, messages);
      } else if (messages.length) {
        // Standby mode: another channel owns the conversation and LINE asks us not to speak.
        events.logger().info({ mode: event.mode }, 'answer not sent: channel is not active');
      }
      const ms = Math.round(performance.now() - started);
      const line = { ...note, delivery, ms };
      const msg = delivery === 'failed' ? 'event answer lost' : 'event handled';
      // The same line the child would write: its facts first, then the note's.
      const child = events.made;
      if (delivery === 'failed') (child ?? deps.log).error(child ? line : { ...facts, ...line }, msg);
      else (child ?? deps.log).info(child ? line : { ...facts, ...line }, msg);
    } catch (err) {
      clearTimeout(loading);
      deps.observer?.failed();
      events.logger().error({ err }, 'event failed');
      // The person is still waiting: say something went wrong rather than stay silent. In a group
      // the bot says nothing it was not asked for, so only 1:1 chats get this.
      if (sendTo && !sent && sendTo.chat.type === 'user') {
        const delivery = await deps.sender.reply(sendTo, [
          text(renderAnswer(deps.copy.answers.internal_error), deps.copy),
        ]);
        events.logger().info({ delivery }, 'apology sent');
      }
    }
  };
}

/** The event's logger, a child with its facts, made on first use (most events log one line only). */
class EventLog {
  made: Logger | null = null;
  private readonly root: Logger;
  private readonly facts: Record<string, unknown>;

  constructor(root: Logger, facts: Record<string, unknown>) {
    this.root = root;
    this.facts = facts;
  }

  logger(): Logger {
    return (this.made ??= this.root.child(this.facts));
  }
}

/** The handler's deps with the event's logger, made on the handler's first log line (it seldom logs). */
class EventHandlerDeps implements HandlerDeps {
  readonly detector: HandlerDeps['detector'];
  readonly store: HandlerDeps['store'];
  readonly copy: HandlerDeps['copy'];
  readonly now: HandlerDeps['now'];
  readonly rateLimits: HandlerDeps['rateLimits'];
  readonly media: HandlerDeps['media'];
  private readonly events: EventLog;

  constructor(deps: ProcessorDeps, events: EventLog) {
    this.detector = deps.detector;
    this.store = deps.store;
    this.copy = deps.copy;
    this.now = deps.now;
    this.rateLimits = deps.rateLimits;
    this.media = deps.media;
    this.events = events;
  }

  get log(): Logger {
    return this.events.logger();
  }
}
