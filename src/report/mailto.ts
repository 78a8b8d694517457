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
  // pass, rather than the whole link encoded again at every step of a search (~50 µs per card).
  const chars = Array.from(text);
  const lengths = chars.map(encodedLength);
  const fixedLength = build(r.to, subject, `${fixed}\n`).length;
  if (fixedLength + lengths.reduce((a, b) => a + b, 0) <= MAX_URI)
    return fitOrCut(r.to, subject, `${fixed}\n${text}`);
  const tail = `…\n${r.cut_note}`;
  const room = MAX_URI - build(r.to, subject, `${fixed}\n${tail}`).length;
  let lo = 0;
  for (let used = 0; lo < chars.length && (used += lengths[lo]!) <= room;) lo++;
  const cut = `${fixed}\n${chars.slice(0, lo).join('')}${tail}`;
  return fitOrCut(r.to, subject, lo > 0 ? cut : withLinks(links).join('\n'));
}

/** How many characters enc() writes for one code point (a character of Array.from). */
function encodedLength(ch: string): number {
  const cp = ch.codePointAt(0)!;
  if (cp === 0x0a || cp === 0x0d) return 6; // a line break is written %0D%0A
  if (cp < 0x80) return UNRESERVED.test(ch) ? 1 : 3;
  if (cp < 0x800) return 6;
  if (cp >= 0xd800 && cp <= 0xdfff) return 9; // a lone surrogate becomes U+FFFD
  return cp < 0x10000 ? 9 : 12;
}

/** What encodeURIComponent leaves as it is. */
const UNRESERVED = /^[A-Za-z0-9\-_.!~*'()]$/;

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
