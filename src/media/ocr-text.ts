// OCR-aware clean-up of what tesseract read, before the detector sees it. Pure: lines with their
// positions in, text lines out. Three things OCR does to a phone screenshot:
//  - it puts spaces between Japanese characters (「お 荷物 の お 届け」);
//  - a link that the phone wrapped at the edge of the bubble comes out as two lines;
//  - inside links it confuses look-alike characters (0/O, 1/l/I, rn/m).
// The first two are undone. The third is never "corrected": turning arnazon.co.jp into amazon.co.jp
// could make a fake link look official, and the reverse could invent a fake one. Only characters that
// cannot be in a host name at all are mapped (| → l); a host whose reading is ambiguous is reported as
// uncertain (see ambiguousHost) and the link is read again by the English pass (read-screenshot.ts).

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface TextLine {
  text: string;
  box: Box;
  /** Lines of one paragraph (one speech bubble) share this number. */
  para: number;
}

const JA =
  '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}ー々〆〇、。「」『』【】（）〔〕・！？：；…〜￥';
const JA_GAP = new RegExp(`(?<=[${JA}])[ \\u3000]+(?=[${JA}])`, 'gu');
const DIGIT_JA = new RegExp(
  `(?<=[0-9０-９])[ \\u3000]+(?=[${JA}])|(?<=[${JA}])[ \\u3000]+(?=[0-9０-９])`,
  'gu',
);
const JA_CHAR = new RegExp(`[${JA}]`, 'u');

/** 「お 荷物 の お 届け に」 → 「お荷物のお届けに」; spaces between English words stay. */
export function squeezeJapaneseSpaces(line: string): string {
  return line
    .replace(JA_GAP, '')
    .replace(DIGIT_JA, '')
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
}

const URL_START = /(?:h?ttps?:\/\/|www\.)/i;
/** A token that is (the start of) a link: with a scheme, www., or a dotted host with a path. */
const URLISH = /^(?:h?ttps?:\/\/|www\.|[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:[/:?#]|$))/i;
const URL_CHARS = /^[\x21-\x7e]+$/;
/** A link cut after one of these goes on (no link ends with "https://", a dot or a hyphen). */
const CONTINUES = /[-._/?=&%#~:+]$/;

/** Is this word (part of) a link, as OCR reads it? */
export function looksLikeUrl(word: string): boolean {
  const w = word.normalize('NFKC');
  return URL_CHARS.test(w) && (URL_START.test(w) || (URLISH.test(w) && /[a-z]{2,}/i.test(w)));
}

/** Characters that cannot be in a link's host, mapped to what OCR meant; nothing ambiguous. */
export function cleanUrlToken(token: string): string {
  let t = token.normalize('NFKC');
  // "https: //example.com" and "https://example. com/x" : OCR splits links at punctuation.
  t = t.replace(/\s+/g, '');
  t = t.replace(/^h?ttps?;\/\//i, (s) => s.replace(';', ':'));
  // A third slash cannot follow the scheme: 「https:///ww.」 is a www. whose first w was misread.
  t = t.replace(/^(h?ttps?:\/\/)\/(?=ww\.)/i, '$1w');
  // 「：https://…」: the punctuation before a link is no part of it.
  t = t.replace(/^[^a-z0-9]+(?=h?ttps?[:;]\/\/)/i, '');
  const m = /^([a-z]+:\/\/)?([^/?#]*)(.*)$/i.exec(t);
  if (!m) return t;
  const host = m[2]!
    .replace(/\|/g, 'l')
    .replace(/[,，。]/g, '.')
    .replace(/[‐‑–—−]/g, '-');
  return (m[1] ?? '') + host + m[3]!;
}

/**
 * Lines as the person would have read them: Japanese spaces squeezed, link tokens cleaned, and a link
 * the phone wrapped at the right edge of its bubble joined with its continuation on the next line.
 */
export function normalizeOcrLines(lines: TextLine[]): ReadLine[] {
  const out: ReadLine[] = [];
  const rightEdge = new Map<number, number>();
  const leftEdge = new Map<number, number>();
  for (const l of lines) {
    rightEdge.set(l.para, Math.max(rightEdge.get(l.para) ?? 0, l.box.x1));
    leftEdge.set(l.para, Math.min(leftEdge.get(l.para) ?? Infinity, l.box.x0));
  }
  let prev: TextLine | null = null;
  for (const line of lines) {
    const text = cleanLine(line.text);
    if (text === '') continue;
    if (prev && out.length && wrapped(prev, line, rightEdge, leftEdge)) {
      const first = text.split(' ')[0]!;
      out[out.length - 1]!.text += first;
      const rest = text.slice(first.length).trim();
      if (rest) out.push({ text: rest, para: line.para });
    } else out.push({ text, para: line.para });
    prev = { ...line, text };
  }
  return out;
}

/** A cleaned line and the paragraph (speech bubble) it belongs to. */
export interface ReadLine {
  text: string;
  para: number;
}

/**
 * The text the detector judges: the lines of one bubble joined as the sentence they were before the
 * phone wrapped them (「問題があ」+「ります」), bubbles on lines of their own.
 */
export function joinParagraphs(lines: ReadLine[]): string {
  const out: string[] = [];
  let para = -1;
  for (const l of lines) {
    if (l.para !== para || out.length === 0) out.push(l.text);
    else {
      const last = out[out.length - 1]!;
      const glue = /[\x21-\x7e]$/.test(last) && /^[\x21-\x7e]/.test(l.text) ? ' ' : '';
      out[out.length - 1] = last + glue + l.text;
    }
    para = l.para;
  }
  return out.join('\n');
}

function cleanLine(raw: string): string {
  // 「ください。https://…」: the link starts its own word.
  const spaced = squeezeJapaneseSpaces(raw.normalize('NFKC')).replace(
    /(?<=[^\x00-\x7f])(?=h?ttps?:\/\/|www\.)/gi,
    ' ',
  );
  const words = spaced.split(' ');
  return words
    .map((w) => (looksLikeUrl(w) ? cleanUrlToken(w) : w))
    .join(' ')
    .trim();
}

/**
 * Did the phone wrap a link here? The line ends with a link and reaches the right edge of its bubble,
 * and the next line of the same bubble starts at the left edge with link characters.
 */
function wrapped(
  prev: TextLine,
  next: TextLine,
  rightEdge: Map<number, number>,
  leftEdge: Map<number, number>,
): boolean {
  if (prev.para !== next.para) return false;
  const lastWord = prev.text.split(' ').at(-1) ?? '';
  if (!looksLikeUrl(lastWord) && !/^[\x21-\x7e]{8,}$/.test(lastWord)) return false;
  const height = Math.max(8, prev.box.y1 - prev.box.y0);
  // A link cut right after "https://", a dot or a slash goes on; otherwise the line must be full.
  const nearRight = CONTINUES.test(lastWord) || prev.box.x1 >= rightEdge.get(prev.para)! - 2.5 * height;
  const nearLeft = next.box.x0 <= leftEdge.get(next.para)! + 1.5 * height;
  const gap = next.box.y0 - prev.box.y1;
  const firstNext = cleanLine(next.text).split(' ')[0] ?? '';
  return (
    nearRight &&
    nearLeft &&
    gap < 1.5 * height &&
    URL_CHARS.test(firstNext) &&
    !JA_CHAR.test(firstNext) &&
    // A new link starts here, unless the line above ended with the scheme alone ("https://" + "www.…").
    (!URL_START.test(firstNext) || /:\/\/$/.test(lastWord))
  );
}

/** Look-alike characters OCR confuses, as groups: any member may have been read as any other. */
const CONFUSABLE: string[][] = [
  ['0', 'o'],
  ['1', 'l', 'i'],
  ['rn', 'm'],
  ['vv', 'w'],
  ['cl', 'd'],
];

function skeleton(host: string): string {
  let s = host.toLowerCase();
  for (const group of CONFUSABLE) for (const member of group.slice(1)) s = s.split(member).join(group[0]!);
  return s;
}

/** Two readings of a host that differ only in characters OCR confuses (amaz0n / amazon, arnazon / amazon). */
export function confusableReadings(a: string, b: string): boolean {
  return a.toLowerCase() !== b.toLowerCase() && skeleton(a) === skeleton(b);
}

/**
 * A host whose reading rests on characters OCR confuses: an upper-case O, I or L (hosts are written in
 * lower case, so these are more likely misread 0, l or 1), or a digit 0/1 between letters.
 */
export function ambiguousHost(host: string): boolean {
  return /[OIL]/.test(host) || /[a-z][01]|[01][a-z]/i.test(host);
}

/** Characters the two models confuse in links, as groups; the Japanese one reads these shapes better. */
const MERGE_GROUPS = ['0oO', '1lI|!'];

/**
 * The English pass's reading of a link, with the Japanese pass's characters where the two differ only
 * by a look-alike of one group and the Japanese one read a digit or a lower-case letter. Measured on the
 * realistic screenshots: there the English model misreads o as 0 and l as 1 in made-up hosts
 * (「4500bw3nl」 for 450obw3nl, 「116s97fq」 for 1l6s97fq) while the Japanese one reads them right, and
 * the Japanese model's own mistakes in those groups are capitals (「tI3dwx」, 「Irkrj」) or characters no
 * host has (「j!2」), where the English reading is kept. Only readings of the same length are merged,
 * and never so that a part of the host loses its last digit: 「amaz0n」 read as amazon by one model
 * stays amaz0n (a fake made to look like the real name must not become the real name).
 */
export function mergeLinkReadings(jpn: string, eng: string): string {
  const j = cleanUrlToken(jpn);
  if (j.length !== eng.length) return eng;
  let out = '';
  for (let i = 0; i < eng.length; i++) {
    const a = j[i]!;
    const b = eng[i]!;
    const sameGroup = a !== b && MERGE_GROUPS.some((g) => g.includes(a) && g.includes(b));
    out += sameGroup && /[0-9a-z]/.test(a) ? a : b;
  }
  const m = /^((?:[a-z]+:\/\/)?)([^/?#]*)/i.exec(out)!;
  const start = m[1]!.length;
  const merged = m[2]!.split('.');
  const read = eng.slice(start, start + m[2]!.length).split('.');
  if (merged.length !== read.length) return eng;
  const host = merged.map((label, i) => (/[0-9]/.test(read[i]!) && !/[0-9]/.test(label) ? read[i]! : label));
  return out.slice(0, start) + host.join('.') + out.slice(start + m[2]!.length);
}
