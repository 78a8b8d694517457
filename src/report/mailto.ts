// The prefilled report mail: a mailto: link whose subject and body carry what was forwarded, links
// defanged. Built when the verdict is made and sent only in that reply; nothing of it is kept.
// A URI action takes at most 1,000 characters: the documented limit for the SDK version we use (LINE's
// release notes of 2026-10-27 raise it to 10,000; the lower one is kept until that is checked on a
// real channel). The text is cut to fit, with a note.
import { defangText } from '../line/defang.ts';
import { fill } from '../words.ts';
import type { ReportRules } from '../rules/report.ts';

export const MAX_URI = 1000;
const MAX_LINKS = 3;
const LINK_CHARS = 120;
const HEADER_CHARS = 40;

export type ReportKind = 'mail' | 'sms';

export interface ReportInput {
  kind: ReportKind;
  /** The text that was checked (pasted, read from a picture or the body of a mail file). */
  text: string;
  brand?: string | null;
  /** From a mail file: its sender and subject as the reader saw them. */
  from?: string | null;
  subject?: string | null;
  /** The links the detector found, in full (they are defanged here). */
  links?: string[];
}

const KIND_WORD: Record<ReportKind | 'any', string> = { mail: 'メール', sms: 'SMS', any: 'メール・SMS' };

/**
 * mailto: percent-encoding (RFC 6068): UTF-8, line breaks as CRLF. A lone surrogate (a text cut inside
 * an emoji or a 𝚖𝚊𝚝𝚑 letter by whoever forwarded it) becomes U+FFFD: encodeURIComponent throws on it,
 * and the whole answer was the apology instead of the verdict (50 events of the load benchmark).
 * Writes what encodeURIComponent(s.toWellFormed() with CRLF) writes, from the UTF-8 bytes (a Buffer
 * writes a lone surrogate as U+FFFD's bytes), byte by byte into a buffer kept for the next call:
 * encodeURIComponent and the passes around it took ~10 µs of every verdict's answer and three copies
 * of the link; a test compares the two on random texts.
 */
export function enc(s: string): string {
  if (utf8.length < s.length * 3) utf8 = Buffer.allocUnsafeSlow(s.length * 3);
  const n = utf8.write(s, 'utf8');
  if (escaped.length < n * 6) escaped = Buffer.allocUnsafeSlow(n * 6); // a line break: 6 bytes
  let w = 0;
  for (let i = 0; i < n; i++) {
    const b = utf8[i]!;
    if (b < 0x80 && UNRESERVED[b] === 1) escaped[w++] = b;
    else if (b === 0x0d || b === 0x0a) {
      w += CRLF.copy(escaped, w);
      if (b === 0x0d && i + 1 < n && utf8[i + 1] === 0x0a) i++; // CRLF: one line break
    } else {
      escaped[w] = 0x25; // %
      escaped[w + 1] = HEX[b >> 4]!;
      escaped[w + 2] = HEX[b & 15]!;
      w += 3;
    }
  }
  return escaped.toString('latin1', 0, w);
}

// Reused by every call: only the encoded string is new.
let utf8 = Buffer.allocUnsafeSlow(4096);
let escaped = Buffer.allocUnsafeSlow(8192);
/** Upper-case hex digits, as encodeURIComponent writes them. */
const HEX = Buffer.from('0123456789ABCDEF', 'latin1');
const CRLF = Buffer.from('%0D%0A', 'latin1');

/**
 * enc(s).length, counted without encoding: the link is encoded once, when it is known to fit (the
 * subject's and the body's fixed lines were encoded again for every length tried, ~10 µs an answer).
 */
export function encodedLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x0d && s.charCodeAt(i + 1) === 0x0a) continue; // CRLF: one line break
    if (c >= 0xd800 && c <= 0xdbff) {
      const low = s.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        n += 12;
        i++;
        continue;
      }
    }
    n += unitLength(c);
  }
  return n;
}

/** Encoded length of one UTF-16 unit that is not the start of a surrogate pair. */
function unitLength(c: number): number {
  if (c === 0x0a || c === 0x0d) return 6; // %0D%0A
  if (c < 0x80) return UNRESERVED[c] === 1 ? 1 : 3;
  return c < 0x800 ? 6 : 9; // a lone surrogate is U+FFFD's 3 bytes
}

/** Code points, so a cut never splits a surrogate pair. */
function firstChars(s: string, n: number): string {
  return Array.from(s).slice(0, n).join('');
}

function oneLine(s: string, max: number): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return Array.from(flat).length > max ? `${firstChars(flat, max - 1)}…` : flat;
}

/**
 * The report mail for a verdict (input given) or an empty one to fill in (no input: the menu's
 * 「報告する」). Always at most MAX_URI characters.
 */
export function reportMailto(rules: ReportRules, input?: ReportInput): string {
  const r = rules.report_mail;
  const kind = KIND_WORD[input?.kind ?? 'any'];
  const subject = oneLine(
    input?.brand ? fill(r.subject, { brand: input.brand, kind }) : fill(r.subject_no_brand, { kind }),
    40,
  );
  // Everything before the body, encoded once; the body's lengths below are counted, not encoded.
  const start = `mailto:${r.to}?subject=${enc(subject)}&body=`;
  const notes = [
    fill(r.head, { kind }),
    ...(input ? [input.kind === 'sms' ? r.sms_note : r.mail_note] : [r.sms_note, r.mail_note]),
  ];
  if (!input) return fitOrCut(start, notes.join('\n'));

  const head: string[] = [...notes];
  if (input.from) head.push(`${r.label_from}：${defangText(oneLine(input.from, HEADER_CHARS))}`);
  if (input.subject) head.push(`${r.label_subject}：${defangText(oneLine(input.subject, HEADER_CHARS))}`);
  let links = (input.links ?? []).slice(0, MAX_LINKS).map((u) => defangText(oneLine(u, LINK_CHARS)));
  const withLinks = (ls: string[]) => (ls.length ? [...head, `${r.label_links}：`, ...ls] : head);
  // Links matter more than the text around them: drop text first, then links, until it fits.
  while (links.length && start.length + encodedLength(withLinks(links).join('\n')) > MAX_URI)
    links = links.slice(0, -1);
  const fixed = [...withLinks(links), `${r.label_text}：`].join('\n');
  const text = defangText(withoutRecipients(input.text.replace(/\r\n?/g, '\n')).trim());
  // The longest beginning of the text that fits (with the cut note if it is not all). Encoding is per
  // code point, so the link's length is the fixed part's plus the sum over the characters kept: one
  // pass over the text's code units, stopping where the room runs out (no array of characters, no
  // test per character: this runs for every text checked).
  const fixedLength = start.length + encodedLength(`${fixed}\n`);
  if (fixedLength <= MAX_URI && unitsThatFit(text, MAX_URI - fixedLength) === text.length)
    return fitOrCut(start, `${fixed}\n${text}`);
  const tail = `…\n${r.cut_note}`;
  const room = MAX_URI - start.length - encodedLength(`${fixed}\n${tail}`);
  const lo = unitsThatFit(text, room);
  const cut = `${fixed}\n${text.slice(0, lo)}${tail}`;
  return fitOrCut(start, lo > 0 ? cut : withLinks(links).join('\n'));
}

/**
 * How many code units from the start of the text enc() can write in `room` characters, whole code points only:
 * a line break is %0D%0A, an unreserved ASCII character itself, other ASCII %XX, then 2, 3 or 4 UTF-8
 * bytes (a surrogate pair is one 4-byte code point, a lone surrogate U+FFFD's 3 bytes).
 */
function unitsThatFit(text: string, room: number): number {
  let used = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    let units = 1;
    let n = unitLength(c);
    if (c >= 0xd800 && c <= 0xdbff) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        n = 12;
        units = 2;
      }
    }
    if ((used += n) > room) break;
    i += units;
  }
  return i;
}

/** What encodeURIComponent leaves as it is, by ASCII code: 1 for A-Z a-z 0-9 - _ . ! ~ * ' ( ). */
const UNRESERVED = Uint8Array.from({ length: 128 }, (_, c) =>
  /^[A-Za-z0-9\-_.!~*'()]$/.test(String.fromCharCode(c)) ? 1 : 0,
);

/** Pasted header lines naming the recipient are the person's own address: left out. */
function withoutRecipients(text: string): string {
  return text
    .split('\n')
    .filter((l) => !/^\s*(?:to|cc|bcc|delivered-to|宛先|送信先)\s*[:：]/i.test(l))
    .join('\n');
}

/** The last guard: a body that still does not fit (absurd rules) loses lines from the end. */
function fitOrCut(start: string, body: string): string {
  let out = start + enc(body);
  if (out.length <= MAX_URI) return out;
  let lines = body.split('\n');
  while (lines.length > 1 && (out = start + enc(lines.join('\n'))).length > MAX_URI)
    lines = lines.slice(0, -1);
  return out.length <= MAX_URI ? out : start;
}
