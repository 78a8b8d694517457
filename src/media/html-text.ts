// The HTML part of a mail as the reader sees it: text with line breaks where blocks end, and every link
// with the text shown for it and where it really goes. A link whose text shows one address while its
// href goes to another is the trick the detector's link_text_mismatch sign is about. Tolerant of broken
// HTML. A scanner, not regexes over the whole document: its time grows with the length of the input and
// no faster, whatever the HTML (`<[^>]*>` and lazy `[\s\S]*?<\/a>` restart at every "<" of a broken
// document: 500 KB took 407 s). The input is cut first, too.

export interface HtmlLink {
  /** What the reader sees (the link's text, or an image's alt text). */
  text: string;
  href: string;
}

export interface HtmlText {
  text: string;
  links: HtmlLink[];
}

/** HTML read at most (characters): the mail's text is cut to 20,000 afterwards anyway. */
export const MAX_HTML = 300_000;
const MAX_LINKS = 100;
/** A link's visible text kept at most: an address is short, and this is what showsHost reads. */
const MAX_SHOWN = 500;

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  yen: '¥',
  copy: '©',
  reg: '®',
  hellip: '…',
  ndash: '–',
  mdash: '—',
  laquo: '«',
  raquo: '»',
};

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

/** A link's visible text shows a host (an address, not words like 「こちら」). */
export function showsHost(text: string): boolean {
  return /(?:https?:\/\/|www\.)\S|(?:^|[\s(（「])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?:[/\s)）」]|$)/i.test(
    text,
  );
}

/** Elements whose content is never shown. */
const HIDDEN = new Set(['head', 'style', 'script', 'title', 'template']);
/** Their start and their end both end a line. */
const BLOCK = ['p', 'div', 'tr', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'blockquote'];
/** Closing tags that end a line. */
const BLOCK_END = new Set([...BLOCK, 'section', 'article', 'header', 'footer']);
/** Opening tags that end the line before them (<hr> has no closing tag). */
const BLOCK_START = new Set([...BLOCK, 'hr']);

interface Tag {
  /** Where "<" is and the index after ">". */
  start: number;
  end: number;
  /** Lower case; '' for "<!…", "< x>" and the like. */
  name: string;
  closing: boolean;
}

/**
 * Walks an HTML string tag by tag. A tag runs from "<" to the next ">"; a "<" with no ">" after it, and
 * everything after it, is text. `lower` is the string with A–Z lower-cased (same length).
 */
class Scanner {
  readonly s: string;
  readonly lower: string;
  /** For each name: from this index on there is no closing tag of it (searches only move forward). */
  private noCloser = new Map<string, number>();
  constructor(s: string) {
    this.s = s;
    this.lower = s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
  }

  /** The next tag at or after `from`, or null. */
  next(from: number): Tag | null {
    const start = this.s.indexOf('<', from);
    if (start < 0) return null;
    const gt = this.s.indexOf('>', start + 1);
    if (gt < 0) return null;
    let i = start + 1;
    const closing = this.s[i] === '/';
    if (closing) i++;
    let j = i;
    while (j < gt && isWordChar(this.lower.charCodeAt(j))) j++;
    return { start, end: gt + 1, name: this.lower.slice(i, j), closing };
  }

  /** The closing tag `</name\s*>` first found at or after `from`: [its start, the index after it]. */
  closer(name: string, from: number): [number, number] | null {
    const none = this.noCloser.get(name);
    if (none !== undefined && none <= from) return null;
    const needle = `</${name}`;
    for (let at = this.lower.indexOf(needle, from); at >= 0; at = this.lower.indexOf(needle, at + 1)) {
      let k = at + needle.length;
      while (k < this.s.length && isSpace(this.s.charCodeAt(k))) k++;
      if (this.s[k] === '>') return [at, k + 1];
    }
    this.noCloser.set(name, from);
    return null;
  }
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

function isSpace(c: number): boolean {
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0xa0 ||
    c === 0x3000 ||
    c === 0xfeff ||
    c === 0x2028 ||
    c === 0x2029
  );
}

export function htmlToText(html: string): HtmlText {
  const sc = new Scanner(html.slice(0, MAX_HTML));
  const s = sc.s;
  const out: string[] = [];
  const links: HtmlLink[] = [];
  let pos = 0;
  for (let tag = sc.next(pos); tag; tag = sc.next(pos)) {
    out.push(s.slice(pos, tag.start));
    pos = tag.end;
    if (s.startsWith('<!--', tag.start)) {
      // A comment ends at "-->"; one that never ends hides the rest, as in a browser.
      const end = s.indexOf('-->', tag.start + 4);
      pos = end < 0 ? s.length : end + 3;
      continue;
    }
    if (!tag.closing && HIDDEN.has(tag.name)) {
      const close = sc.closer(tag.name, tag.end);
      if (close) pos = close[1];
      continue;
    }
    if (!tag.closing && tag.name === 'a') {
      const close = sc.closer('a', tag.end);
      if (!close) continue; // no end: the tag goes, its text stays
      out.push(linkText(s.slice(tag.start + 2, tag.end - 1), s.slice(tag.end, close[0]), links));
      pos = close[1];
      continue;
    }
    out.push(tagText(s, tag));
  }
  out.push(s.slice(pos));
  const text = decodeEntities(out.join(''))
    .split('\n')
    .map(clean)
    .filter((line, i, all) => line !== '' || (i > 0 && all[i - 1] !== ''))
    .join('\n')
    .trim();
  return { text, links };
}

/** What a tag leaves in the text: a line break after a block, a space between table cells. */
function tagText(s: string, tag: Tag): string {
  if (tag.name === 'br') return '\n';
  if (tag.closing && (tag.name === 'td' || tag.name === 'th')) return ' ';
  if (tag.closing ? BLOCK_END.has(tag.name) : BLOCK_START.has(tag.name)) return '\n';
  return '';
}

/**
 * A link becomes the text a reader would copy — its text, and the real address after it unless the text
 * itself shows an address (then only the real one, so a shown address is never mistaken for a link it
 * is not).
 */
function linkText(attrs: string, inner: string, links: HtmlLink[]): string {
  const href = decodeEntities(attribute(attrs, 'href') ?? '').trim();
  const sc = new Scanner(inner);
  let visible = '';
  let alt: string | null = null;
  let pos = 0;
  for (let tag = sc.next(pos); tag; tag = sc.next(pos)) {
    visible += inner.slice(pos, tag.start) + ' ';
    if (alt === null && !tag.closing && tag.name === 'img')
      alt = attribute(inner.slice(tag.start + 4, tag.end - 1), 'alt');
    pos = tag.end;
    if (visible.length > MAX_SHOWN * 4) break;
  }
  if (visible.length <= MAX_SHOWN * 4) visible += inner.slice(pos);
  const shown = (
    clean(decodeEntities(visible.slice(0, MAX_SHOWN * 4))) || clean(decodeEntities(alt ?? ''))
  ).slice(0, MAX_SHOWN);
  if (!/^https?:\/\//i.test(href)) return ` ${shown} `;
  if (links.length < MAX_LINKS) links.push({ text: shown, href });
  return showsHost(shown) ? ` ${href} ` : ` ${shown} ${href} `;
}

/**
 * The value of one attribute inside a tag (the part after its name): name="v", name='v' or name=v.
 * Null when absent.
 */
export function attribute(attrs: string, wanted: string): string | null {
  const n = attrs.length;
  let i = 0;
  while (i < n) {
    while (i < n && (isSpace(attrs.charCodeAt(i)) || attrs[i] === '/')) i++;
    const nameStart = i;
    while (i < n && !isSpace(attrs.charCodeAt(i)) && attrs[i] !== '=' && attrs[i] !== '/' && attrs[i] !== '>')
      i++;
    const name = attrs.slice(nameStart, i).toLowerCase();
    if (i === nameStart) {
      i++;
      continue;
    }
    let k = i;
    while (k < n && isSpace(attrs.charCodeAt(k))) k++;
    if (attrs[k] !== '=') {
      if (name === wanted) return '';
      continue;
    }
    k++;
    while (k < n && isSpace(attrs.charCodeAt(k))) k++;
    let value: string;
    const q = attrs[k];
    if (q === '"' || q === "'") {
      const end = attrs.indexOf(q, k + 1);
      value = attrs.slice(k + 1, end < 0 ? n : end);
      i = end < 0 ? n : end + 1;
    } else {
      let e = k;
      while (e < n && !isSpace(attrs.charCodeAt(e)) && attrs[e] !== '>') e++;
      value = attrs.slice(k, e);
      i = e;
    }
    if (name === wanted) return value;
  }
  return null;
}

function clean(s: string): string {
  return s.replace(/[ \t\u00a0\u3000]+/g, ' ').trim();
}
