// LINE's message-object limits (research notes §4) plus our own stricter altText rule. Builders keep
// to them by construction; this check proves it in tests and guards every send at run time.
import type { messagingApi } from '@line/bot-sdk';

export const LIMITS = {
  messagesPerReply: 5,
  textUnits: 5000, // UTF-16 code units
  altTextOurs: 400, // LINE allows 1500; a notification line this long is already unreadable
  bubbleBytes: 30_000, // "30 KB"; counted as bytes of JSON, the stricter reading
  quickReplyItems: 13,
  quickReplyLabel: 20,
  postbackData: 300,
  postbackDisplayText: 300,
} as const;

type Message = messagingApi.Message;

/**
 * Problems with a reply, each naming where it is; empty when LINE will accept it. `json`: the messages
 * as JSON.stringify wrote them for the request, when the caller has it: a bubble is then within its
 * size if the whole JSON is, with no walk counting bytes (a card is ~5 KB, the limit 30 KB).
 */
export function checkMessages(messages: Message[], json?: string): string[] {
  const problems: string[] = [];
  // Every bubble's size and text components read from the JSON: no walk over the cards' objects.
  const known = json !== undefined && jsonBytesWithin(json, LIMITS.bubbleBytes) && textsFilled(json);
  if (messages.length < 1 || messages.length > LIMITS.messagesPerReply)
    problems.push(`messages: ${messages.length} (1–${LIMITS.messagesPerReply})`);
  messages.forEach((m, i) => {
    const at = `messages[${i}]`;
    if (m.type === 'text') {
      const t = (m as messagingApi.TextMessage).text;
      if (t.length === 0 || t.length > LIMITS.textUnits) problems.push(`${at}.text: ${t.length} units`);
    } else if (m.type === 'flex') {
      const f = m as messagingApi.FlexMessage;
      if (f.altText.length === 0 || f.altText.length > LIMITS.altTextOurs)
        problems.push(`${at}.altText: ${f.altText.length} chars`);
      const { empty, maxBytes } = known ? FINE : checkFlexTexts(f.contents, `${at}.contents`);
      // Serialised only when the bound from the walk could be over the limit (never for our cards).
      const bytes = maxBytes > LIMITS.bubbleBytes ? Buffer.byteLength(JSON.stringify(f.contents), 'utf8') : 0;
      if (bytes > LIMITS.bubbleBytes) problems.push(`${at}.contents: ${bytes} bytes`);
      problems.push(...empty);
    }
    const items = m.quickReply?.items ?? [];
    if (items.length > LIMITS.quickReplyItems) problems.push(`${at}.quickReply: ${items.length} items`);
    items.forEach((item, j) => {
      const a = item.action as { label?: string; data?: string; displayText?: string; text?: string };
      const where = `${at}.quickReply.items[${j}].action`;
      if (!a.label || a.label.length > LIMITS.quickReplyLabel) problems.push(`${where}.label: "${a.label}"`);
      if (a.data !== undefined && a.data.length > LIMITS.postbackData)
        problems.push(`${where}.data too long`);
      if (a.displayText !== undefined && a.displayText.length > LIMITS.postbackDisplayText)
        problems.push(`${where}.displayText too long`);
    });
  });
  return problems;
}

/**
 * Flex text components must not be empty (LINE rejects "text": ""), and an upper bound of the bubble's
 * size as JSON, worked out on the same walk: a card is serialised once, for the request, not also here.
 * Runs on every card sent, so the walk keeps no path: the paths of empty texts are spelled out by a
 * second walk, only for a card that has one.
 */
function checkFlexTexts(node: unknown, path: string): { empty: string[]; maxBytes: number } {
  const scan: Scan = { maxBytes: 0, empty: false };
  scanNode(node, scan);
  return { empty: scan.empty ? emptyTexts(node, path) : [], maxBytes: scan.maxBytes };
}

interface Scan {
  maxBytes: number;
  empty: boolean;
}

function scanNode(n: unknown, s: Scan): void {
  if (!n || typeof n !== 'object') {
    s.maxBytes += jsonBytesAtMost(n);
    return;
  }
  s.maxBytes += 2; // brackets
  if (Array.isArray(n)) {
    for (const c of n as unknown[]) {
      s.maxBytes += 1; // comma
      scanNode(c, s);
    }
    return;
  }
  const o = n as Record<string, unknown>;
  if (o.type === 'text' && (typeof o.text !== 'string' || o.text.length === 0)) s.empty = true;
  for (const k in o) {
    s.maxBytes += jsonBytesAtMost(k) + 2; // colon, comma
    scanNode(o[k], s);
  }
}

/** The JSON's UTF-8 size is at most max: a UTF-16 unit takes at most 3 bytes, counted only past that. */
function jsonBytesWithin(json: string, max: number): boolean {
  return json.length * 3 <= max || Buffer.byteLength(json, 'utf8') <= max;
}

const FINE = { empty: [] as string[], maxBytes: 0 };

/**
 * An object of type "text" whose next key is not a non-empty string "text". Every such object is
 * written with `"type":"text"` (a quote inside a string is escaped), and what follows that is its own
 * next key; the builders write the text right after the type, so other orders only get the walk, as
 * does a false match (a key ending in an escaped quote and "type"). One pass; a loop of indexOf over
 * the two-byte JSON took twice as long.
 */
const TEXT_NOT_NEXT = /"type":"text"(?!,"text":"[^"])/;

/** Every object of type "text" in the JSON has a non-empty string "text". */
function textsFilled(json: string): boolean {
  return !TEXT_NOT_NEXT.test(json);
}

/** Where the empty text components are, e.g. messages[0].contents.body.contents[2]. */
function emptyTexts(node: unknown, path: string): string[] {
  const empty: string[] = [];
  const walk = (n: unknown, at: string) => {
    if (!n || typeof n !== 'object') return;
    const o = n as { type?: string; text?: unknown };
    if (o.type === 'text' && (typeof o.text !== 'string' || o.text.length === 0))
      empty.push(`${at}: empty text`);
    if (Array.isArray(n)) n.forEach((c, i) => walk(c, `${at}[${i}]`));
    else for (const k in o) walk((o as Record<string, unknown>)[k], `${at}.${k}`);
  };
  walk(node, path);
  return empty;
}

/**
 * At least as many UTF-8 bytes as JSON.stringify writes for a leaf: a string's code unit takes at
 * most 6 (an escape like \u001f; a character 3, a surrogate pair 4 for two units).
 */
function jsonBytesAtMost(v: unknown): number {
  if (typeof v === 'string') return 2 + 6 * v.length;
  if (typeof v === 'number') return 24;
  return 5; // true, false, null; undefined is left out
}

/** Cuts a string to at most `max` UTF-16 units without splitting a surrogate pair, marking the cut. */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  let cut = max - 1;
  if (/[\uD800-\uDBFF]/.test(s[cut - 1] ?? '')) cut -= 1;
  return s.slice(0, cut) + '…';
}
