// What makes a brand's host keyword a name rather than a common word. Several keywords are a few letters plus an
// ordinary word (msonline = ms + online, mistore = mi + store, icloud = i + cloud, smart-ex = smart + ex): the
// few letters are the name. A look-alike that changes them is another word (etymonline, musicstore, studysmarter,
// audi for au-id), and the whole keyword glued behind other letters is often only its word with the letter
// before it (huaweicloud, sonymobile), not the brand.

export interface KeywordCore {
  /** Letters a look-alike must keep as written (in skeleton form): "mso", "mis", "ic", "ex"; '' for none. */
  core: string;
  /** The short letters in front of the common word (i of icloud), or '' when the name is no such pair. */
  stem: string;
}

const cache = new WeakMap<ReadonlySet<string>, Map<string, KeywordCore>>();

/**
 * Splits a host keyword (as written in brands.yaml, hyphens kept) against the common words of host names:
 * a last hyphen part of one or two letters (smart-ex, au-id) is the core; otherwise one to three letters before a
 * common word of four letters or more are the stem, and the core is the stem with that word's first letter.
 */
export function keywordCore(text: string, words: ReadonlySet<string>): KeywordCore {
  let memo = cache.get(words);
  if (!memo) cache.set(words, (memo = new Map()));
  const known = memo.get(text);
  if (known) return known;
  const parts = text.split('-');
  let found: KeywordCore = { core: '', stem: '' };
  if (parts.length > 1) {
    const last = parts[parts.length - 1]!;
    if (last.length > 0 && last.length <= 2) found = { core: last, stem: '' };
  } else {
    for (let i = 1; i <= 3 && text.length - i >= 4; i++)
      if (words.has(text.slice(i))) {
        found = { core: text.slice(0, i + 1), stem: text.slice(0, i) };
        break;
      }
  }
  memo.set(text, found);
  return found;
}

/**
 * May the keyword found at `at` inside the host part `p` count as the brand's name? Only when the letters before
 * it are none, a number or a common label (my-, myicloud): after other letters, the stem ends the word before
 * (hicloud, forticloud, sonymobile).
 */
export function standsAsName(p: string, at: number, stem: string, labels: ReadonlySet<string>): boolean {
  if (at <= 0 || !stem) return true;
  let from = at;
  while (from > 0 && p[from - 1]! >= 'a' && p[from - 1]! <= 'z') from--;
  return from === at || labels.has(p.slice(from, at));
}
