// Look-alike checks for host names: confusable letters (аmazon with a Cyrillic а) and ASCII tricks
// (amaz0n, arnazon); small spelling changes (amazom) are links.ts's typoOf. Applied to hosts and brand keywords only,
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
