// Look-alike checks for host names: confusable letters (аmazon with a Cyrillic а), ASCII tricks
// (amaz0n, arnazon) and small spelling changes (amazom). Applied to hosts and brand keywords only,
// never to Japanese body text, where カ/力 and ト/卜 are "confusable" but perfectly normal.

export interface Skeletons {
  confusables: Map<string, string>;
  /** Longest first, so "rn" is tried before "r". */
  ascii: [string, string][];
}

export function makeSkeletons(confusables: Record<string, string>, ascii: Record<string, string>): Skeletons {
  return {
    confusables: new Map(Object.entries(confusables)),
    ascii: Object.entries(ascii).sort((a, b) => b[0].length - a[0].length),
  };
}

/** Replaces letters from other scripts with the Latin letter they imitate. */
export function unconfuse(s: string, sk: Skeletons): string {
  let out = '';
  for (const ch of s)
    out += sk.confusables.get(ch) ?? sk.confusables.get(ch.toLowerCase()) ?? ch.toLowerCase();
  return out;
}

/** The "skeleton" of an ASCII string: digits and letter pairs that read alike collapse to one form. */
export function asciiSkeleton(s: string, sk: Skeletons): string {
  let out = '';
  let i = 0;
  outer: while (i < s.length) {
    for (const [from, to] of sk.ascii) {
      if (s.startsWith(from, i)) {
        out += to;
        i += from.length;
        continue outer;
      }
    }
    out += s[i];
    i++;
  }
  return out;
}

/** Optimal-string-alignment distance (Damerau-Levenshtein with adjacent swaps), capped at `max` + 1. */
export function osaDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    let rowMin = Infinity;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(
        d[(i - 1) * cols + j]! + 1,
        d[i * cols + j - 1]! + 1,
        d[(i - 1) * cols + j - 1]! + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, d[(i - 2) * cols + j - 2]! + 1);
      d[i * cols + j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
  }
  return d[rows * cols - 1]!;
}

/** Which scripts the letters of a string belong to (Latin, Cyrillic, Greek, …), digits and marks ignored. */
export function scriptsOf(s: string): Set<string> {
  const scripts = new Set<string>();
  for (const ch of s) {
    if (/\p{Script=Latin}/u.test(ch)) scripts.add('Latin');
    else if (/\p{Script=Cyrillic}/u.test(ch)) scripts.add('Cyrillic');
    else if (/\p{Script=Greek}/u.test(ch)) scripts.add('Greek');
    else if (/\p{Script=Armenian}/u.test(ch)) scripts.add('Armenian');
    else if (/\p{L}/u.test(ch)) scripts.add('Other');
  }
  return scripts;
}
