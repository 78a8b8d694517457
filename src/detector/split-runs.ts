// s.split(/[set]+/) for a set of ASCII characters, without a regular expression: String.prototype.split
// with a pattern builds a new RegExp object on every call (a few thousand instructions each), and the
// link steps split every path and label several times.

/** A set of ASCII characters (a 128-entry table). */
export function asciiSet(chars: string): Uint8Array {
  const set = new Uint8Array(0x80);
  for (let i = 0; i < chars.length; i++) set[chars.charCodeAt(i)] = 1;
  return set;
}

/** The complement of an ASCII set: every code unit not in `chars` (non-ASCII ones included) is in it. */
export function notIn(chars: string): (code: number) => boolean {
  const set = asciiSet(chars);
  return (code) => code >= 0x80 || set[code] === 0;
}

/** In the set: an ASCII code unit listed in `chars`. */
export function inSet(chars: string): (code: number) => boolean {
  const set = asciiSet(chars);
  return (code) => code < 0x80 && set[code] === 1;
}

/**
 * The pieces of s between runs of separators, exactly as s.split(/[separators]+/): empty pieces where s
 * starts or ends with a separator, [''] for ''.
 */
export function splitRuns(s: string, isSeparator: (code: number) => boolean): string[] {
  const pieces: string[] = [];
  let from = 0;
  for (let i = 0; i < s.length;) {
    if (!isSeparator(s.charCodeAt(i))) {
      i++;
      continue;
    }
    pieces.push(s.slice(from, i));
    while (i < s.length && isSeparator(s.charCodeAt(i))) i++;
    from = i;
  }
  pieces.push(s.slice(from));
  return pieces;
}

/** The part of s before its first separator (s.split(/[separators]/)[0]). */
export function beforeAny(s: string, isSeparator: (code: number) => boolean): string {
  for (let i = 0; i < s.length; i++) if (isSeparator(s.charCodeAt(i))) return s.slice(0, i);
  return s;
}
