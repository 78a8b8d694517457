// Look-alike checks for host names: confusable letters (аmazon with a Cyrillic а) and ASCII tricks
// (amaz0n, arnazon); small spelling changes (amazom) are links.ts's typoOf. Applied to hosts and brand keywords only,
// never to Japanese body text, where カ/力 and ト/卜 are "confusable" but perfectly normal.

export interface Skeletons {
  confusables: Map<string, string>;
  /** Longest first, so "rn" is tried before "r". */
  ascii: [string, string][];
  /** Per ASCII code, 1 when unconfuse leaves the letter as it is (most: the fast path). */
  plainAscii: Uint8Array;
  /** `ascii` by the first code unit of what is replaced, in the same order. */
  asciiByFirst: Map<number, [string, string][]>;
}

export function makeSkeletons(confusables: Record<string, string>, ascii: Record<string, string>): Skeletons {
  const sk = {
    confusables: new Map(Object.entries(confusables)),
    ascii: Object.entries(ascii).sort((a, b) => b[0].length - a[0].length),
    plainAscii: new Uint8Array(0x80),
    asciiByFirst: new Map<number, [string, string][]>(),
  };
  for (let code = 0; code < 0x80; code++) {
    const ch = String.fromCharCode(code);
    sk.plainAscii[code] = Number(unconfuseOne(ch, sk) === ch);
  }
  for (const pair of sk.ascii) {
    const first = pair[0].charCodeAt(0);
    const list = sk.asciiByFirst.get(first) ?? [];
    list.push(pair);
    sk.asciiByFirst.set(first, list);
  }
  return sk;
}

/** Replaces letters from other scripts with the Latin letter they imitate. */
export function unconfuse(s: string, sk: Skeletons): string {
  // ASCII letters that stay as they are, before the first that changes: most words are all of those, and
  // are returned as they are instead of being built again letter by letter.
  let i = 0;
  for (; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code >= 0x80 || sk.plainAscii[code] === 0) break;
  }
  if (i === s.length) return s;
  let out = s.slice(0, i);
  for (const ch of s.slice(i)) out += unconfuseOne(ch, sk);
  return out;
}

function unconfuseOne(ch: string, sk: Pick<Skeletons, 'confusables'>): string {
  return sk.confusables.get(ch) ?? sk.confusables.get(ch.toLowerCase()) ?? ch.toLowerCase();
}

/** The "skeleton" of an ASCII string: digits and letter pairs that read alike collapse to one form. */
export function asciiSkeleton(s: string, sk: Skeletons): string {
  // Built only from the first replacement on (a string with none is returned as it is); at each place the
  // replacements that start with its code unit are tried, in the order of sk.ascii.
  let out = '';
  let copied = 0;
  let i = 0;
  outer: while (i < s.length) {
    const candidates = sk.asciiByFirst.get(s.charCodeAt(i));
    if (candidates)
      for (let k = 0; k < candidates.length; k++) {
        const from = candidates[k]![0];
        if (s.startsWith(from, i)) {
          out += s.slice(copied, i) + candidates[k]![1];
          i += from.length;
          copied = i;
          continue outer;
        }
      }
    i++;
  }
  return copied === 0 ? s : out + s.slice(copied);
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
