// The HTML part of a mail as the reader sees it: text with line breaks where blocks end, and every link
// with the text shown for it and where it really goes. A link whose text shows one address while its
// href goes to another is the trick the detector's link_text_mismatch sign is about. Tolerant of broken
// HTML; only linear regexes, and the input is capped, so no HTML makes it slow.

export interface HtmlLink {
  /** What the reader sees (the link's text, or an image's alt text). */
  text: string;
  href: string;
}

export interface HtmlText {
  text: string;
  links: HtmlLink[];
}

const MAX_HTML = 500_000;
const MAX_LINKS = 100;

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

export function htmlToText(html: string): HtmlText {
  let s = html.slice(0, MAX_HTML);
  s = s
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(head|style|script|title|template)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '');
  const links: HtmlLink[] = [];
  // Links first: each becomes the text a reader would copy — its text, and the real address after it
  // unless the text itself shows an address (then only the real one, so a shown address is never
  // mistaken for a link it is not).
  s = s.replace(/<a\b([^>]*)>([\s\S]*?)<\/a\s*>/gi, (_, attrs: string, inner: string) => {
    const href = decodeEntities(
      /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i
        .exec(attrs)
        ?.slice(1)
        .find((x) => x !== undefined) ?? '',
    ).trim();
    const alt = /<img\b[^>]*\balt\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(inner);
    const shown =
      clean(decodeEntities(inner.replace(/<[^>]*>/g, ' '))) ||
      clean(decodeEntities(alt?.[1] ?? alt?.[2] ?? ''));
    if (!/^https?:\/\//i.test(href)) return ` ${shown} `;
    if (links.length < MAX_LINKS) links.push({ text: shown, href });
    return showsHost(shown) ? ` ${href} ` : ` ${shown} ${href} `;
  });
  s = s
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|tr|li|h[1-6]|table|blockquote|section|article|header|footer)\s*>/gi, '\n')
    .replace(/<(p|div|tr|li|h[1-6]|table|blockquote|hr)\b[^>]*>/gi, '\n')
    .replace(/<\/t[dh]\s*>/gi, ' ')
    .replace(/<[^>]*>/g, '');
  const text = decodeEntities(s)
    .split('\n')
    .map(clean)
    .filter((line, i, all) => line !== '' || (i > 0 && all[i - 1] !== ''))
    .join('\n')
    .trim();
  return { text, links };
}

function clean(s: string): string {
  return s.replace(/[ \t\u00a0\u3000]+/g, ' ').trim();
}
