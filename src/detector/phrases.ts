// The phrase matcher: finds compiled word lists in a text on dictionary forms (kuromoji) and as written.
// compilePhrases builds an index once at start-up; findPhrases runs per message. The detector's lexicon
// and remediation's intents (rules/intents.yaml) both use it, so every list matches words the same way.
import type { Token, Tokenizer } from './tokenizer.ts';
import { FirstUnitIndex } from './first-unit-index.ts';

const CASE_PARTICLES = new Set(['を', 'が', 'の', 'に', 'へ']);

export interface PhraseMatch {
  group: number;
  evidence: string;
  /** Where the evidence is in the text (UTF-16 offsets, end exclusive). */
  start: number;
  end: number;
}

/** Phrases compiled for matching on dictionary forms and as written (see compilePhrases). */
export interface PhraseIndex {
  trie: TrieNode;
  /** Phrases as written (lower case), by their first code unit. */
  raw: FirstUnitIndex<RawPhrase>;
  sameAs: Map<string, string>;
  /** matchKey results by surface, then base form and part of speech: most words recur from message to
   * message. Bounded (see keyOf). */
  keys: Map<string, CachedKey[]>;
  keyCount: number;
}

interface RawPhrase {
  text: string;
  group: number;
  /** Starts with an ASCII letter, so it must stand as a word. */
  word: boolean;
}

type MatchKey = { base: string; surface: string };
/** A word's match key, and whether any phrase starts with it (the trie's root has a child for it). */
type CachedKey = { base: string; pos: string; key: MatchKey | null; starts: boolean };
const MAX_CACHED_KEYS = 50_000;

/** matchKey through the index's cache (keyed without building a string per token); emptied when full. */
function keyOf(index: PhraseIndex, t: Token): CachedKey {
  let list = index.keys.get(t.surface);
  if (list) for (const e of list) if (e.base === t.base && e.pos === t.pos) return e;
  if (index.keyCount >= MAX_CACHED_KEYS) {
    index.keys.clear();
    index.keyCount = 0;
    list = undefined;
  }
  const key = matchKey(t, index.sameAs);
  const root = index.trie.next;
  const starts = key !== null && (root.has(key.base) || root.has(key.surface));
  if (!list) index.keys.set(t.surface, (list = []));
  const entry = { base: t.base, pos: t.pos, key, starts };
  list.push(entry);
  index.keyCount++;
  return entry;
}

interface TrieNode {
  next: Map<string, TrieNode>;
  groups: number[];
}

/** The form of a token used for matching: dictionary form, lower case, numbers as <num>, same_as applied. */
export function matchKey(t: Token, sameAs: Map<string, string>): { base: string; surface: string } | null {
  const surface = t.surface.toLowerCase();
  if (surface.trim() === '') return null;
  // Honorific prefixes (ご確認, お支払い) are skipped so that phrases match with or without them.
  if (t.pos === '接頭詞' && (surface === 'お' || surface === 'ご' || surface === '御')) return null;
  // Case particles too (カード情報を更新 = カード情報の更新 = カード情報更新); は, も, より… carry meaning and stay.
  if (t.pos === '助詞' && CASE_PARTICLES.has(surface)) return null;
  if (/^\d+$/.test(surface)) return { base: '<num>', surface: '<num>' };
  let base = (t.base === '*' ? t.surface : t.base).toLowerCase();
  if (/^[a-z]+$/.test(base)) base = stemEnglish(base);
  base = sameAs.get(base) ?? base;
  return { base, surface: /^[a-z]+$/.test(surface) ? stemEnglish(surface) : surface };
}

/** A deliberately crude English stemmer: enough for suspend/suspended/suspending. */
function stemEnglish(w: string): string {
  if (w.length > 5 && w.endsWith('ing')) return w.slice(0, -3);
  if (w.length > 4 && w.endsWith('ed')) return w.slice(0, -2);
  if (w.length > 4 && w.endsWith('es')) return w.slice(0, -2);
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) return w.slice(0, -1);
  return w;
}

/**
 * Compiles groups of phrases (group i = phrases[i]) for findPhrases. Used for the detector's lexicon
 * and for other word lists (rules/intents.yaml), so every list matches words the same way.
 */
export function compilePhrases(
  phrases: string[][],
  tokenizer: Tokenizer,
  sameAsRecord: Record<string, string> = {},
): PhraseIndex {
  const sameAs = new Map(Object.entries(sameAsRecord));
  const trie: TrieNode = { next: new Map(), groups: [] };
  const raw = new FirstUnitIndex<RawPhrase>();
  phrases.forEach((list, group) => {
    for (const phrase of list) {
      const text = phrase.normalize('NFKC').toLowerCase();
      raw.add(text.charCodeAt(0), { text, group, word: /^[a-z]/.test(text) });
      // Each word of the phrase may be matched by its dictionary form or by its written form.
      let nodes = [trie];
      for (const t of tokenizer.tokenize(text)) {
        const key = matchKey(t, sameAs);
        if (!key) continue;
        const nextNodes: TrieNode[] = [];
        for (const node of nodes) {
          for (const k of new Set([key.base, key.surface])) {
            let child = node.next.get(k);
            if (!child) node.next.set(k, (child = { next: new Map(), groups: [] }));
            nextNodes.push(child);
          }
        }
        nodes = nextNodes;
      }
      for (const node of nodes) if (node !== trie && !node.groups.includes(group)) node.groups.push(group);
    }
  });
  return { trie, raw, sameAs, keys: new Map(), keyCount: 0 };
}

/**
 * Finds compiled phrases in a text (tokens of that same text): on dictionary forms, and as written.
 * A phrase found twice with the same words counts once, unless `every` asks for each occurrence.
 */
export function findPhrases(index: PhraseIndex, text: string, tokens: Token[], every = false): PhraseMatch[] {
  const { trie, raw } = index;
  const found: PhraseMatch[] = [];
  const cached = tokens.map((t) => keyOf(index, t));
  const keys = cached.map((e) => e.key);
  const seen = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    // Most words start no phrase: skip them before building a frontier.
    if (!cached[i]!.starts) continue;
    let frontier: TrieNode[] = [trie];
    for (let j = i; j < tokens.length && frontier.length > 0; j++) {
      const key = keys[j];
      if (!key) continue;
      const next: TrieNode[] = [];
      for (const node of frontier) {
        const byBase = node.next.get(key.base);
        if (byBase) next.push(byBase);
        const bySurface = key.base === key.surface ? undefined : node.next.get(key.surface);
        if (bySurface && bySurface !== byBase && !next.includes(bySurface)) next.push(bySurface);
      }
      for (const node of next) {
        for (const group of node.groups) {
          const last = tokens[j]!;
          // Show the honorific prefix the match skipped: 「お届けできません」, not 「届けできません」.
          const first =
            i > 0 && keys[i - 1] === null && tokens[i - 1]!.pos === '接頭詞' ? tokens[i - 1]! : tokens[i]!;
          const end = last.start + last.surface.length;
          const evidence = text.slice(first.start, end);
          const id = every ? `${group}:${first.start}:${end}` : `${group}:${evidence}`;
          if (!seen.has(id)) {
            seen.add(id);
            found.push({ group, evidence, start: first.start, end });
          }
        }
      }
      frontier = next;
    }
  }
  const lower = text.toLowerCase();
  const at = new Map<RawPhrase, number[]>();
  for (let i = 0; i < lower.length; i++) {
    const bucket = raw.at(lower.charCodeAt(i));
    if (!bucket) continue;
    for (const entry of bucket) {
      if (!lower.startsWith(entry.text, i)) continue;
      const list = at.get(entry);
      if (every || !list) at.set(entry, [...(list ?? []), i]);
    }
  }
  for (const [{ text: phrase, group, word }, starts] of at) {
    for (const start of starts) {
      // ASCII phrases must stand as words: "login" not inside "loginess".
      if (word && start > 0 && isAsciiLower(lower.charCodeAt(start - 1))) continue;
      const end = start + phrase.length;
      const evidence = text.slice(start, end);
      const covered = every
        ? found.some((f) => f.group === group && f.start <= start && end <= f.end)
        : seen.has(`${group}:${evidence}`) ||
          found.some((f) => f.group === group && f.evidence.includes(evidence));
      if (!covered) {
        seen.add(`${group}:${evidence}`);
        found.push({ group, evidence, start, end });
      }
    }
  }
  return found;
}

function isAsciiLower(code: number): boolean {
  return code >= 0x61 && code <= 0x7a;
}
