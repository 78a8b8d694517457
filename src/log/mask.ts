// Personal data never reaches the logs: phone numbers, email addresses, card-like digit runs and links
// are replaced by a tag, message text is dropped by key, and chat ids are logged as a short hash.
// crypto.hash: one call, ~1 µs less than a Hash object for each id hashed (once or twice per event).
import { hash } from 'node:crypto';

// Digits inside longer words (ULIDs, LINE ids) are not numbers anyone can call: the look-arounds keep
// event ids readable in the logs.
const D = '[0-9０-９]';
const EDGE_BEFORE = '(?<![0-9０-９A-Za-z_])';
const EDGE_AFTER = '(?![0-9０-９A-Za-z_])';
const SEP = '[-‐－ー−\\s.()（）]?';

// Each with what it cannot match without (a cheap look first: a log line's strings are mostly ids).
const PATTERNS: [RegExp, string, (s: string) => boolean][] = [
  // A scheme is a few letters: bounded, so a long dotted run with no "://" is not rescanned from each
  // of its word starts.
  [/\b[a-z][a-z0-9+.-]{0,30}:\/\/[^\s"'<>]+/gi, '[url]', (s) => s.includes('://')],
  // The look-behind starts a try only where a run of name characters starts: without it a long run
  // with no @ is rescanned from each of its characters (quadratic: 100,000 letters took 20 s).
  [
    /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+[@＠][\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu,
    '[email]',
    (s) => s.includes('@') || s.includes('＠'),
  ],
  // 13–19 digits, optionally grouped: card numbers.
  [new RegExp(`${EDGE_BEFORE}(?:${D}[-\\s]?){12,18}${D}${EDGE_AFTER}`, 'g'), '[card]', () => true],
  // Phone numbers: Japanese 0X… or international +…, 10–14 digits with optional separators. Requiring
  // the leading 0 or + keeps dates and durations readable.
  [
    new RegExp(`${EDGE_BEFORE}(?:[+＋]${SEP}|[0０])(?:${D}${SEP}){8,12}${D}${EDGE_AFTER}`, 'g'),
    '[phone]',
    () => true,
  ],
];

/** Keys whose value is message content: replaced as a whole, whatever it looks like. */
const CONTENT_KEYS = new Set(['text', 'displayText', 'altText', 'fileName', 'address', 'title']);

/** Every pattern above needs one of these: most log strings (codes, names) have none and skip them all. */
const NEEDED = /[0-9０-９@＠:]/;

export function maskPersonalData(s: string): string {
  if (!NEEDED.test(s)) return s;
  let out = s;
  for (const [re, tag, may] of PATTERNS) if (may(out)) out = out.replace(re, tag);
  return out;
}

/** A copy of a log object with every string masked and content keys dropped. */
export function maskDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskPersonalData(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 6) return '[deep]';
  if (value instanceof Error) {
    const e = value as Error & { status?: unknown; body?: unknown; code?: unknown };
    const out: Record<string, unknown> = {
      type: e.name,
      message: maskPersonalData(e.message),
      stack: e.stack ? maskPersonalData(e.stack) : undefined,
    };
    if (e.status !== undefined) out.status = e.status;
    if (e.code !== undefined) out.code = e.code;
    if (typeof e.body === 'string') out.body = maskPersonalData(e.body.slice(0, 500));
    return out;
  }
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => maskDeep(v, depth + 1));
  const keys = Object.keys(value);
  const masked: unknown[] = new Array(keys.length);
  let changed = !isPlain(value);
  for (let i = 0; i < keys.length; i++) {
    const v = (value as Record<string, unknown>)[keys[i]!];
    const m =
      CONTENT_KEYS.has(keys[i]!) && typeof v === 'string' ? `[${v.length} chars]` : maskDeep(v, depth + 1);
    masked[i] = m;
    if (m !== v) changed = true;
  }
  // A plain object with nothing to mask (a log line's ids, counts and codes, most of the time) is
  // given on as it is: the logger only reads it.
  if (!changed) return value;
  const out: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) out[keys[i]!] = masked[i];
  return out;
}

function isPlain(o: object): boolean {
  const proto = Object.getPrototypeOf(o) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A stable short pseudonym for a user, group or room id: lets logs follow one chat without naming it. */
export function pseudonym(id: string): string {
  return hash('sha256', id, 'base64url').slice(0, 12);
}
