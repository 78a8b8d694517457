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
 */
function enc(s: string): string {
  return encodeURIComponent(s.toWellFormed().replace(/\r\n?/g, '\n')).replace(/%0A/g, '%0D%0A');
}

function build(to: string, subject: string, body: string): string {
  return `mailto:${to}?subject=${enc(subject)}&body=${enc(body)}`;
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
  const notes = [
    fill(r.head, { kind }),
    ...(input ? [input.kind === 'sms' ? r.sms_note : r.mail_note] : [r.sms_note, r.mail_note]),
  ];
  if (!input) return fitOrCut(r.to, subject, notes.join('\n'));

  const head: string[] = [...notes];
  if (input.from) head.push(`${r.label_from}：${defangText(oneLine(input.from, HEADER_CHARS))}`);
  if (input.subject) head.push(`${r.label_subject}：${defangText(oneLine(input.subject, HEADER_CHARS))}`);
  let links = (input.links ?? []).slice(0, MAX_LINKS).map((u) => defangText(oneLine(u, LINK_CHARS)));
  const withLinks = (ls: string[]) => (ls.length ? [...head, `${r.label_links}：`, ...ls] : head);
  // Links matter more than the text around them: drop text first, then links, until it fits.
  while (links.length && build(r.to, subject, withLinks(links).join('\n')).length > MAX_URI)
    links = links.slice(0, -1);
  const fixed = [...withLinks(links), `${r.label_text}：`].join('\n');
  const text = defangText(withoutRecipients(input.text.replace(/\r\n?/g, '\n')).trim());
  // The longest beginning of the text that fits (with the cut note if it is not all). Encoding is per
  // code point, so the link's length is the fixed part's plus the sum over the characters kept: one
  // pass over the text's code units, stopping where the room runs out (no array of characters, no
  // test per character: this runs for every text checked).
  const fixedLength = build(r.to, subject, `${fixed}\n`).length;
  if (fixedLength <= MAX_URI && unitsThatFit(text, MAX_URI - fixedLength) === text.length)
    return fitOrCut(r.to, subject, `${fixed}\n${text}`);
  const tail = `…\n${r.cut_note}`;
  const room = MAX_URI - build(r.to, subject, `${fixed}\n${tail}`).length;
  const lo = unitsThatFit(text, room);
  const cut = `${fixed}\n${text.slice(0, lo)}${tail}`;
  return fitOrCut(r.to, subject, lo > 0 ? cut : withLinks(links).join('\n'));
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
    let n: number;
    if (c === 0x0a || c === 0x0d) n = 6;
    else if (c < 0x80) n = UNRESERVED[c] === 1 ? 1 : 3;
    else if (c < 0x800) n = 6;
    else if (c >= 0xd800 && c <= 0xdbff) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        n = 12;
        units = 2;
      } else n = 9;
    } else n = 9; // the rest of the BMP, a lone low surrogate included (U+FFFD)
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
function fitOrCut(to: string, subject: string, body: string): string {
  let out = build(to, subject, body);
  if (out.length <= MAX_URI) return out;
  let lines = body.split('\n');
  while (lines.length > 1 && (out = build(to, subject, lines.join('\n'))).length > MAX_URI)
    lines = lines.slice(0, -1);
  return out.length <= MAX_URI ? out : build(to, subject, '');
}
