// Text clean-up before anything else looks at a message. Forwarded texts arrive with full-width
// letters (ｈｔｔｐｓ：／／), zero-width characters, bidi overrides and "defanged" links (hxxp, [.]).

/** Characters that are invisible but change how text is read or where a URL ends. */
const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF\u00AD\u180E]/g;
/** Bidi controls: an RLO (U+202E) can make "gpj.exe" display as "exe.jpg". */
const BIDI = /[\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

export interface Normalized {
  /** NFKC text with invisible characters removed; all later steps read this. */
  text: string;
  /** The message contained bidi override/isolate controls. */
  hadBidi: boolean;
  /** The message contained zero-width characters (often used to break up words or links). */
  hadZeroWidth: boolean;
  /** The input was cut to `maxChars`. */
  truncated: boolean;
}

export function normalize(raw: string, maxChars: number): Normalized {
  const truncated = raw.length > maxChars;
  let text = truncated ? raw.slice(0, maxChars) : raw;
  const hadBidi = BIDI.test(text);
  const hadZeroWidth = ZERO_WIDTH.test(text);
  BIDI.lastIndex = 0;
  ZERO_WIDTH.lastIndex = 0;
  // (Each pass only where its test found something to remove: the same text without a scan.)
  if (hadBidi) text = text.replace(BIDI, '');
  if (hadZeroWidth) text = text.replace(ZERO_WIDTH, '');
  // Lone surrogates would make normalize() and URL parsing misbehave; replace them.
  text = text.toWellFormed().normalize('NFKC');
  if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
  return { text, hadBidi, hadZeroWidth, truncated };
}

/** Undo the usual ways people "defang" links so they cannot be clicked: hxxp, [.], (.), [dot], [:]. */
export function refang(text: string): string {
  // In the same order, each pass only where the character it needs is there (a scheme's colon, a bracket):
  // most texts skip most of the five scans.
  if (text.includes(':'))
    text = text
      .replace(/\bh(?:xx|\*\*|XX)p(s?)(?=\[?:)/g, 'http$1')
      .replace(/\b(?:fxp|fxxp)(?=\[?:)/g, 'ftp');
  if (OPENING_BRACKET.test(text)) text = text.replace(/\[(?:\.|dot)\]|\((?:\.|dot)\)|\{(?:\.|dot)\}/gi, '.');
  if (text.includes('[')) text = text.replace(/\[:\]/g, ':').replace(/\[\/\]/g, '/');
  return text;
}

const OPENING_BRACKET = /[[({]/;
