// The webhook body and the events the bot acts on, checked with zod. Only the fields the bot uses are
// required; unknown fields are dropped, never an error, since LINE adds fields over time.
import { z } from 'zod';

export const WebhookBody = z.object({
  destination: z.string(),
  events: z.array(z.looseObject({ type: z.string() })),
});

/**
 * LINE's ids are 33 characters (user, group, room) and a ULID (event); they become store keys, so an
 * absurdly long one (a forged body) is refused rather than kept for a day.
 */
const Id = z.string().min(1).max(100);
const Source = z.discriminatedUnion('type', [
  z.object({ type: z.literal('user'), userId: Id }),
  z.object({ type: z.literal('group'), groupId: Id, userId: z.string().optional() }),
  z.object({ type: z.literal('room'), roomId: Id, userId: z.string().optional() }),
]);
export type Source = z.infer<typeof Source>;

/** What every event carries; an event type the bot does not act on may come without a source. */
const AnyEvent = z.object({
  type: z.string(),
  mode: z.string().default('active'),
  timestamp: z.number(),
  source: Source.optional(),
  webhookEventId: Id,
  deliveryContext: z.object({ isRedelivery: z.boolean() }).default({ isRedelivery: false }),
});
const Base = AnyEvent.extend({ source: Source });

const Mention = z.object({
  mentionees: z.array(z.object({ index: z.number(), length: z.number(), isSelf: z.boolean().optional() })),
});

const TextContent = z.object({
  id: z.string(),
  type: z.literal('text'),
  text: z.string(),
  mention: Mention.optional(),
});
/** 'line': the bytes are on LINE's content API. 'external': only URLs someone else gave (never fetched). */
const ContentProvider = z.object({
  type: z.string(),
  originalContentUrl: z.string().optional(),
  previewImageUrl: z.string().optional(),
});
const ImageContent = z.object({
  id: z.string(),
  type: z.literal('image'),
  contentProvider: ContentProvider.default({ type: 'line' }),
});
const FileContent = z.object({
  id: z.string(),
  type: z.literal('file'),
  fileName: z.string().default(''),
  fileSize: z.number().optional(),
});
const OtherContent = z.object({ id: z.string(), type: z.string() });

const Replyable = { replyToken: z.string().min(1) };

const MessageEvent = Base.extend({
  type: z.literal('message'),
  ...Replyable,
  message: z.union([TextContent, ImageContent, FileContent, OtherContent]),
});
const PostbackEvent = Base.extend({
  type: z.literal('postback'),
  ...Replyable,
  postback: z.object({ data: z.string() }),
});
const FollowEvent = Base.extend({ type: z.literal('follow'), ...Replyable });
const JoinEvent = Base.extend({ type: z.literal('join'), ...Replyable });
const UnfollowEvent = Base.extend({ type: z.literal('unfollow') });
const LeaveEvent = Base.extend({ type: z.literal('leave') });
const UnsendEvent = Base.extend({ type: z.literal('unsend'), unsend: z.object({ messageId: z.string() }) });
/** Every other type (memberJoined, beacon, …): de-duplicated and logged, not answered. */
type OtherEvent = Omit<z.infer<typeof AnyEvent>, 'type'> & { type: 'other'; lineType: string };

const BY_TYPE = {
  message: MessageEvent,
  postback: PostbackEvent,
  follow: FollowEvent,
  join: JoinEvent,
  unfollow: UnfollowEvent,
  leave: LeaveEvent,
  unsend: UnsendEvent,
} as const;

export type MessageEvent = z.infer<typeof MessageEvent>;
export type TextContent = z.infer<typeof TextContent>;
export type ImageContent = z.infer<typeof ImageContent>;
export type FileContent = z.infer<typeof FileContent>;
export type LineEvent =
  | MessageEvent
  | z.infer<typeof PostbackEvent>
  | z.infer<typeof FollowEvent>
  | z.infer<typeof JoinEvent>
  | z.infer<typeof UnfollowEvent>
  | z.infer<typeof LeaveEvent>
  | z.infer<typeof UnsendEvent>
  | OtherEvent;

export type ParsedEvent =
  { ok: true; event: LineEvent } | { ok: false; eventId: string | null; type: string; problems: string[] };

export function parseEvent(raw: { type: string } & Record<string, unknown>): ParsedEvent {
  const known = Object.hasOwn(BY_TYPE, raw.type);
  const schema: z.ZodType = known ? BY_TYPE[raw.type as keyof typeof BY_TYPE] : AnyEvent;
  const r = schema.safeParse(raw);
  if (r.success) {
    if (known) return { ok: true, event: r.data as LineEvent };
    return {
      ok: true,
      // Logged and counted, so never longer than any type LINE has (a forged one could be megabytes).
      event: { ...(r.data as z.infer<typeof AnyEvent>), type: 'other', lineType: raw.type.slice(0, 64) },
    };
  }
  return {
    ok: false,
    eventId: typeof raw.webhookEventId === 'string' ? raw.webhookEventId : null,
    type: raw.type,
    // Paths and messages only: the values may be message text.
    problems: r.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`),
  };
}

export function isText(m: MessageEvent['message']): m is TextContent {
  return m.type === 'text' && typeof (m as { text?: unknown }).text === 'string';
}

export function isImage(m: MessageEvent['message']): m is ImageContent {
  return m.type === 'image' && 'contentProvider' in m;
}

export function isFile(m: MessageEvent['message']): m is FileContent {
  return m.type === 'file' && 'fileName' in m;
}

/** The chat an event happened in: where a reply goes and whose records it touches. */
export interface Chat {
  type: 'user' | 'group' | 'room';
  id: string;
}

export function chatOf(source: Source): Chat {
  if (source.type === 'user') return { type: 'user', id: source.userId };
  if (source.type === 'group') return { type: 'group', id: source.groupId };
  return { type: 'room', id: source.roomId };
}
