// Finds links, email addresses, phone numbers and pasted mail headers in normalised text.
// Works on ASCII runs and anchored patterns only, so input size never causes regex blow-ups.
import { parse as parseDomain } from 'tldts';
import { sortSmall } from './small-sort.ts';
import { asciiSet, beforeAny, inSet } from './split-runs.ts';

export interface FoundUrl {
  /** The link as written (after refanging and line joining). */
  raw: string;
  url: URL;
  /** The link was written without a scheme (amazon-co-jp.xyz/login). */
  schemeless: boolean;
  /** The link continued on the next line and was joined. */
  joined: boolean;
  /** A bare domain name in the text ("Amazon.co.jpをご利用…"): no scheme, no www, no path. */
  bare?: boolean;
}

/** A link the source hid (https://~, https://●●●): never analysed as a URL. */
export interface MaskedLink {
  raw: string;
  /** The readable end of the host, if any (e.g. "duckdns.org" in http://○○○○.duckdns.org). */
  visibleHost: string | null;
}

export interface FoundEmail {
  address: string;
  domain: string;
}

export interface FoundPhone {
  raw: string;
  /** Digits only, with +81 turned into a leading 0. */
  digits: string;
  international: boolean;
  /** Some digits were hidden by the source (050xxxxxxxx). */
  masked: boolean;
}

export interface MailAddress {
  name: string;
  address: string | null;
  domain: string | null;
}

export interface MailHeaders {
  from?: MailAddress;
  replyTo?: MailAddress;
  returnPath?: MailAddress;
  to?: MailAddress;
  subject?: string;
  messageIdDomain?: string;
  auth?: { spf?: string; dkim?: string; dmarc?: string };
}

export interface Extracted {
  urls: FoundUrl[];
  masked: MaskedLink[];
  emails: FoundEmail[];
  phones: FoundPhone[];
  headers: MailHeaders | null;
  /** Text with links and addresses blanked out, for the language analysis. */
  prose: string;
  /** More links were present than we analyse. */
  tooManyLinks: boolean;
}

const LIMITS = { urls: 100, emails: 50, phones: 50 };
/** Characters that may appear in a written link (printable ASCII) plus the marks sources use to hide parts. */
const URL_CHAR = /[\x21-\x7e●○〇◯◎■□×…]/;
const MASK_CHAR = /[~*●○〇◯◎■□×…]|\.{3,}|^x{3,}$|^[^\p{L}\p{N}_-]+$/iu;
// Look-behinds here and below start a run only where it starts: linear time on any text (issue 15).
const TRAILING_PUNCT = /(?<![.,;:!?'"`>])[.,;:!?'"`>]+$/;
const SCHEME = /(?<![a-z0-9])(h?ttps?|ftp):\/\//gi;
const CONTINUES = /[-._/?=&%#~:+]$/;
/** A scheme followed directly by the marks a source used to hide the link: "http:〇〇〇(URL)". */
const MASKED_SCHEME = /(?<![a-z])h?ttps?:\/{0,2}[〇○●◯*~…]+(?:\(URL\))?/gi;

/** Extensions that make "readme.md" or "main.py" look like a domain. */
const FILE_LIKE_TLD = new Set([
  'md',
  'py',
  'sh',
  'js',
  'ts',
  'zip',
  'mov',
  'exe',
  'json',
  'txt',
  'yml',
  'css',
  'rb',
]);

/**
 * Header lines that hold no link the reader would follow: relay host names, and sender/recipient lines whose
 * display names ("Amazon.co.jp <info@…>") would otherwise read as links. parseHeaders reads them instead.
 */
const HIDDEN_HEADER =
  /^[ \t>]*(?:authentication-results|received|arc-[a-z-]+|dkim-signature|x-[a-z-]+|message-id|from|sender|to|cc|reply-to|return-path|差出人|送信者|送信元|宛先|返信先|cc)[ \t]*:/i;
/** Longest link we read; anything longer is cut (nothing real is longer, and it keeps parsing cheap). */
const MAX_URL = 2048;

export function extract(original: string): Extracted {
  const sheet = new Sheet(original);
  hideHeaders(sheet);
  const text = sheet.text();
  const blank: Blank = (start, end) => sheet.blank(start, end);
  const urls: FoundUrl[] = [];
  const masked: MaskedLink[] = [];
  let tooManyLinks = false;

  // 1. Links with a scheme. They may continue on the next line (screenshots, quoted mail).
  let consumed = 0;
  // (exec loops here and below: matchAll builds a copy of the pattern per call.)
  SCHEME.lastIndex = 0;
  for (let m = SCHEME.exec(text); m; m = SCHEME.exec(text)) {
    const start = m.index;
    if (start < consumed) continue; // inside a link already read (a redirect parameter, or links run together)
    let end = hostEnd(text, start + m[0].length);
    while (end < text.length && end - start < MAX_URL && URL_CHAR.test(text[end]!)) end++;
    let raw = text.slice(start, end);
    let joined = false;
    // Join a continuation line: "https://example.com/lo\ngin" or "> https://a.example/x-\n> y".
    for (let hops = 0; hops < 3; hops++) {
      const next = continuation(text, end);
      if (!next || !shouldJoin(raw, next.token)) break;
      raw += next.token;
      end = next.end;
      joined = true;
    }
    raw = trimUrl(raw.replace(/^h?ttp/i, (s) => (s.toLowerCase().startsWith('h') ? s : 'h' + s)));
    blank(start, end);
    consumed = end;
    const parsed = parseUrl(raw);
    if (parsed === 'masked') masked.push({ raw, visibleHost: visibleHostOf(raw) });
    else if (parsed && urls.length < LIMITS.urls) urls.push({ raw, url: parsed, schemeless: false, joined });
    else if (parsed) tooManyLinks = true;
  }

  // A scheme followed directly by the marks a source used to hide the link: "http:〇〇〇(URL)".
  const unmasked = sheet.text();
  MASKED_SCHEME.lastIndex = 0;
  for (let m = MASKED_SCHEME.exec(unmasked); m; m = MASKED_SCHEME.exec(unmasked)) {
    masked.push({ raw: m[0], visibleHost: null });
    blank(m.index, m.index + m[0].length);
  }

  // 2. Email addresses (before scheme-less links, so "user@amazon.co.jp" is not read as a link).
  const emails = findEmails(sheet.text(), blank);

  // 3. Links without a scheme: a run of ASCII that starts with a valid host name.
  if (schemelessLinks(sheet.text(), blank, urls)) tooManyLinks = true;

  // 4. Phone numbers, Japanese and international.
  const phones = findPhones(sheet.text(), blank);

  return {
    urls,
    masked,
    emails,
    phones,
    headers: parseHeaders(original),
    prose: sheet.text(),
    tooManyLinks,
  };
}

/** Links without a scheme in the text being read (pass 3 of extract), added to `urls`; says whether there
 * were more than LIMITS.urls. */
function schemelessLinks(rest: string, blank: Blank, urls: FoundUrl[]): boolean {
  let tooManyLinks = false;
  // Each run of printable ASCII (/[\x21-\x7e]+/g), found by code unit: no match array per run.
  for (let from = 0, to = 0; from < rest.length; from = to) {
    if (!isPrintableAscii(rest.charCodeAt(from))) {
      to = from + 1;
      continue;
    }
    let dot = false;
    for (to = from; to < rest.length && isPrintableAscii(rest.charCodeAt(to)); to++)
      if (rest.charCodeAt(to) === 0x2e) dot = true;
    // A host name has a dot (the pattern below needs one): runs of digits or words are no link.
    if (!dot) continue;
    const token = trimUrl(rest.slice(from, to).replace(/^[^a-z0-9]+/i, ''));
    const hostMatch = /^((?:[a-z0-9-]+\.)+[a-z][a-z0-9-]*)(:\d{1,5})?(?:[/?#]|$)/i.exec(token);
    if (!hostMatch) continue;
    const host = hostMatch[1]!.toLowerCase();
    const info = parseDomain(host);
    if (!info.domain || !info.isIcann || !info.publicSuffix) continue;
    const hasPath = token.length > hostMatch[0].length || /[/?#]$/.test(hostMatch[0]);
    if (FILE_LIKE_TLD.has(info.publicSuffix) && !hasPath && !host.startsWith('www.')) continue;
    const parsed = parseUrl('http://' + token);
    if (!parsed || parsed === 'masked') continue;
    const bare = !hasPath && !host.startsWith('www.');
    // A bare name stays in the prose: "【Amazon.co.jp】" is how a message names its sender.
    if (!bare) blank(from, to);
    if (urls.length < LIMITS.urls)
      urls.push({ raw: token, url: parsed, schemeless: true, joined: false, bare });
    else tooManyLinks = true;
  }
  return tooManyLinks;
}

function isPrintableAscii(code: number): boolean {
  return code >= 0x21 && code <= 0x7e;
}

/**
 * The text being read, with the parts each pass has taken blanked out (every character but a line break
 * becomes a space, so offsets stay valid). Blanks are collected and applied in one pass when the text is
 * next read: cheaper than an array of one-character strings joined after every pass.
 */
class Sheet {
  private current: string;
  /** Ranges [start, end) not yet applied. */
  private pending: number[] = [];

  constructor(text: string) {
    this.current = text;
  }

  blank(start: number, end: number): void {
    start = Math.max(0, start);
    end = Math.min(end, this.current.length);
    if (start < end) this.pending.push(start, end);
  }

  text(): string {
    if (this.pending.length === 0) return this.current;
    const ranges = this.pending;
    this.pending = [];
    const order: number[] = [];
    for (let k = 0; k < ranges.length; k += 2) order.push(k);
    sortSmall(order, (a, b) => ranges[a]! - ranges[b]!);
    let out = '';
    let at = 0;
    for (let o = 0; o < order.length; o++) {
      const k = order[o]!;
      const start = Math.max(at, ranges[k]!);
      const end = ranges[k + 1]!;
      if (end <= start) continue;
      out += this.current.slice(at, start) + this.current.slice(start, end).replace(NOT_NEWLINE, ' ');
      at = end;
    }
    this.current = out + this.current.slice(at);
    return this.current;
  }
}

const NOT_NEWLINE = /[^\n]/g;

/** Where a link's host ends: its path, query or fragment. */
const URL_PATH_START = inSet('/?#');

/** Hides those header lines (and their folded continuations) from link extraction. */
function hideHeaders(sheet: Sheet): void {
  const text = sheet.text();
  // A header line has a colon (HIDDEN_HEADER), and a folded line follows one.
  if (!text.includes(':')) return;
  let offset = 0;
  let inTrace = false;
  for (const line of text.split('\n')) {
    inTrace = HIDDEN_HEADER.test(line) || (inTrace && /^[ \t]+\S/.test(line));
    if (inTrace) sheet.blank(offset, offset + line.length);
    offset += line.length + 1;
  }
}

/** Blanks out characters of the text being read (so later passes do not read them again). */
type Blank = (start: number, end: number) => void;

/** Email addresses in the text (pass 2 of extract). */
function findEmails(text: string, blank: Blank): FoundEmail[] {
  const emails: FoundEmail[] = [];
  const emailRe = /(?<![a-z0-9._%+*-])([a-z0-9._%+*-]{1,64})@([a-z0-9-]+(?:\.[a-z0-9-]+)+)/gi;
  for (let m = emailRe.exec(text); m; m = emailRe.exec(text)) {
    const domain = m[2]!.toLowerCase().replace(/(?<!\.)\.+$/, '');
    const address = `${m[1]}@${domain}`;
    blank(m.index, m.index + m[0].length);
    if (!parseDomain(domain).isIcann && !parseDomain(domain).domain) continue;
    if (emails.length < LIMITS.emails && !emails.some((e) => e.address === address))
      emails.push({ address, domain });
  }
  return emails;
}

/** Phone numbers, Japanese and international (pass 4 of extract). Dash-like characters vary a lot in forwarded text. */
function findPhones(phoneText: string, blank: Blank): FoundPhone[] {
  const phones: FoundPhone[] = [];
  const phoneRe =
    /(?<![\dA-Za-z+])(\+\d{1,3}[ \-‐−–ー(]{0,2}(?:\(0\))?(?:[\d]{1,4}[ \-‐−–ー)(]{0,2}){2,5}\d{0,4}|0\d{1,4}[-‐−–ー()（） ]{0,2}[\dxX×*]{1,4}[-‐−–ー()（） ]{0,2}[\dxX×*]{2,5})(?![\d])/g;
  for (let m = phoneRe.exec(phoneText); m; m = phoneRe.exec(phoneText)) {
    const raw = m[1]!.trim();
    const isIntl = raw.startsWith('+');
    const maskedDigits = /[xX×*]/.test(raw);
    let digits = raw.replace(/[^\dxX×*]/g, '').replace(/[X×*]/g, 'x');
    if (isIntl && digits.startsWith('81')) digits = '0' + digits.slice(2).replace(/^0/, '');
    const count = digits.length;
    if (isIntl ? count < 8 || count > 15 : count < 10 || count > 11) continue;
    if (!isIntl && /^0[1-9]\d{0,3}$/.test(raw)) continue;
    if (phones.length < LIMITS.phones && !phones.some((p) => p.digits === digits))
      phones.push({ raw, digits, international: isIntl && !raw.startsWith('+81'), masked: maskedDigits });
    blank(m.index, m.index + m[0].length);
  }
  return phones;
}

/**
 * Where the host of a link starting at `i` ends, when it is written in Japanese or another script
 * (https://例え.jp/, https://аmazon.co.jp/ with a Cyrillic а). For ASCII hosts, and for ASCII hosts glued to
 * Japanese text (https://www.amazon.co.jpでご確認), returns `i` and the ASCII scan decides.
 */
function hostEnd(text: string, i: number): number {
  let j = i;
  while (j < text.length && j - i < 253 && !endsHost(text.charCodeAt(j))) j++;
  const host = text.slice(i, j);
  const firstWide = host.search(/[^\x00-\x7f]/);
  if (firstWide < 0) return i;
  const asciiPart = host.slice(0, firstWide).replace(/^.*@/, '').replace(/:\d*$/, '');
  if (asciiPart.includes('.') && parseDomain(asciiPart).isIcann) return i;
  const lastDot = host.lastIndexOf('.');
  if (lastDot < 0) return i;
  const tld = /^(?:[a-z]{2,63}|[\p{L}\p{M}]{2,30})/iu.exec(host.slice(lastDot + 1));
  return tld ? i + lastDot + 1 + tld[0].length : i;
}

/** White space (JavaScript's \s) or a mark that ends a host written in any script: the complement of
 * /[^\s/?#<>"'「」【】『』（）、。，]/u, read by code unit instead of a pattern run per character. */
function endsHost(code: number): boolean {
  if (code < 0x80) return HOST_END_ASCII[code] === 1;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff ||
    HOST_END_WIDE.includes(code)
  );
}

const HOST_END_ASCII = asciiSet('\t\n\v\f\r /?#<>"\'');
const HOST_END_WIDE = Array.from('「」【】『』（）、。，', (ch) => ch.charCodeAt(0));

/** The token on the next line, if the line is a single ASCII token (quote marks allowed before it). */
function continuation(text: string, end: number): { token: string; end: number } | null {
  let i = end;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  if (text[i] !== '\n') return null;
  i++;
  while (i < text.length && (text[i] === ' ' || text[i] === '>' || text[i] === '\t')) i++;
  let j = i;
  while (j < text.length && URL_CHAR.test(text[j]!)) j++;
  if (j === i) return null;
  let k = j;
  while (k < text.length && (text[k] === ' ' || text[k] === '\t')) k++;
  if (k < text.length && text[k] !== '\n') return null; // more words follow: an ordinary line
  return { token: text.slice(i, j), end: j };
}

function shouldJoin(raw: string, next: string): boolean {
  if (/^[a-z]+:\/\//i.test(next)) return false;
  if (CONTINUES.test(raw) || /^[/?&=#.-]/.test(next)) return true;
  const afterScheme = raw.replace(/^[a-z]+:\/\//i, '');
  const hostPart = beforeAny(afterScheme, URL_PATH_START);
  // Cut inside the host: the first part has no valid public suffix yet.
  if (!afterScheme.includes('/') && !parseDomain(hostPart).isIcann) return true;
  // Cut inside a path or query: joining cannot change the host.
  return afterScheme.includes('/') && !/[.]\w{2,4}$/.test(afterScheme) && !next.includes('.');
}

function trimUrl(raw: string): string {
  // Until nothing changes: trailing punctuation, opening brackets, empty pairs "()", and closing brackets
  // that were not opened inside the link ("(https://a.example/x)") — in any order: "x.com()(".
  for (let prev = ''; prev !== raw;) {
    prev = raw;
    raw = raw
      .replace(TRAILING_PUNCT, '')
      .replace(/(?<![([{])[([{]+$/, '')
      .replace(/(?<!\(\)|\[\]|\{\})(?:\(\)|\[\]|\{\})+$/, '');
    for (let b = 0; b < BRACKETS.length; b += 2) {
      const open = BRACKETS[b]!;
      const close = BRACKETS[b + 1]!;
      if (raw.endsWith(close) && count(raw, open) < count(raw, close)) raw = raw.slice(0, -1);
    }
  }
  return raw;
}

/** Opening and closing brackets, in pairs. */
const BRACKETS = ['(', ')', '[', ']', '{', '}'];

/** Occurrences of a one-unit string. */
function count(s: string, ch: string): number {
  const code = ch.charCodeAt(0);
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === code) n++;
  return n;
}

/** Parses a link; 'masked' when the source hid the host, null when it is not a link at all. */
function parseUrl(raw: string): URL | 'masked' | null {
  const hostPart = beforeAny(raw.replace(/^[a-z]+:\/\//i, ''), URL_PATH_START);
  const hostOnly = hostPart.replace(/^.*@/, '').replace(/:\d*$/, '');
  const labels = hostOnly.split('.');
  // "xxxx" stands for a hidden label, but .xxx is a real top-level domain and xxx.com a real site.
  if (
    hostOnly === '' ||
    labels.some(
      (l, i) => MASK_CHAR.test(l) && !(/^x{3}$/i.test(l) || (i === labels.length - 1 && /^x+$/i.test(l))),
    )
  )
    return 'masked';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return /[~*●○〇]/.test(raw) ? 'masked' : null;
  }
  if (!/^(https?|ftp):$/.test(url.protocol) || url.hostname === '') return null;
  const host = url.hostname;
  if ((!host.includes('.') && !host.startsWith('[')) || host.length > 253) return null;
  return url;
}

function visibleHostOf(raw: string): string | null {
  const hostPart = beforeAny(raw.replace(/^[a-z]+:\/\//i, ''), URL_PATH_START);
  const labels = hostPart.toLowerCase().split('.');
  const tail: string[] = [];
  for (let i = labels.length - 1; i >= 0 && /^[a-z0-9-]+$/.test(labels[i]!); i--) tail.unshift(labels[i]!);
  if (tail.length < 2) return null;
  const host = tail.join('.');
  return parseDomain(host, { allowPrivateDomains: true }).publicSuffix ? host : null;
}

// Mail headers as pasted from English and Japanese mail clients.
const HEADER_NAMES: Record<string, keyof MailHeaders | 'auth'> = {
  from: 'from',
  差出人: 'from',
  送信者: 'from',
  送信元: 'from',
  sender: 'from',
  'reply-to': 'replyTo',
  返信先: 'replyTo',
  'return-path': 'returnPath',
  subject: 'subject',
  件名: 'subject',
  to: 'to',
  宛先: 'to',
  'authentication-results': 'auth',
  'message-id': 'messageIdDomain',
};
const HEADER_LINE = /^[ \t>]*([A-Za-z-]{2,24}|差出人|送信者|送信元|返信先|件名|宛先)[ \t]*:[ \t]*(.*)$/;

function parseHeaders(text: string): MailHeaders | null {
  if (!text.includes(':')) return null; // every header line has one (HEADER_LINE)
  const headers: MailHeaders = {};
  let found = 0;
  const lines = text.split('\n', 400);
  for (let i = 0; i < lines.length; i++) {
    const m = HEADER_LINE.exec(lines[i]!);
    if (!m) continue;
    const key = HEADER_NAMES[m[1]!.toLowerCase()];
    if (!key) continue;
    let value = m[2]!.trim();
    // Folded header lines start with white space.
    while (i + 1 < lines.length && /^[ \t]+\S/.test(lines[i + 1]!) && !HEADER_LINE.test(lines[i + 1]!))
      value += ' ' + lines[++i]!.trim();
    found++;
    if (key === 'subject') headers.subject ??= value;
    else if (key === 'auth') headers.auth = parseAuthResults(value, headers.auth);
    else if (key === 'messageIdDomain') {
      const d = /@([a-z0-9.-]+)>?/i.exec(value)?.[1];
      if (d) headers.messageIdDomain = d.toLowerCase();
    } else if (key === 'from' || key === 'replyTo' || key === 'returnPath' || key === 'to')
      headers[key] ??= parseAddress(value);
  }
  return found > 0 && (headers.from || headers.subject || headers.auth || headers.replyTo) ? headers : null;
}

function parseAuthResults(value: string, prev: MailHeaders['auth']): NonNullable<MailHeaders['auth']> {
  const auth = { ...prev };
  for (const m of value.matchAll(/\b(spf|dkim|dmarc)=([a-z]+)/gi)) {
    const key = m[1]!.toLowerCase() as 'spf' | 'dkim' | 'dmarc';
    auth[key] ??= m[2]!.toLowerCase();
  }
  return auth;
}

export function parseAddress(value: string): MailAddress {
  // Exactly one "@": "x@y.com@" is not an address (the verdict's emails must be real addresses).
  const m = /^(.*?)[<[(]\s*([^<>[\]()\s@]+@[^<>[\]()\s@]+)\s*[>\])]\s*$/.exec(value);
  const bare = /^\s*([^\s<>@]+@[^\s<>@]+)\s*$/.exec(value);
  const address = (m?.[2] ?? bare?.[1] ?? null)?.toLowerCase() ?? null;
  const name = (m ? m[1]! : bare ? '' : value).trim().replace(/^"(.*)"$/, '$1');
  const domain = address ? (address.split('@')[1] ?? null) : null;
  return { name, address, domain };
}
