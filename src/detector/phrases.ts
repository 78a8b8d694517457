// The phrase matcher: finds compiled word lists in a text on dictionary forms (kuromoji) and as written.
// compilePhrases builds an index once at start-up; findPhrases runs per message. The detector's lexicon
// and remediation's intents (rules/intents.yaml) both use it, so every list matches words the same way.
import type { Token, Tokenizer, WordList } from './tokenizer.ts';
import { FirstUnitIndex } from './first-unit-index.ts';
import { lowerOf } from './lower-case.ts';

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
  /** The match keys that occur in phrases, numbered: a message's words walk the trie on these numbers. */
  vocab: Map<string, number>;
  /** The root's child for each key number, -1 for none (every word of a message is looked up here). */
  rootChild: Int32Array;
  /** Edges below the root: node × vocab.size + key number → child node. */
  edges: Map<number, number>;
  /** The same edges for matching, per node: its children's key numbers (ascending) and child nodes at
   * edgeFrom[node] … edgeFrom[node + 1] (a binary search over a few integers where the Map hashed). */
  edgeFrom: Int32Array;
  edgeKey: Int32Array;
  edgeChild: Int32Array;
  /** Groups of the phrases that end at each node (node 0 is the root). */
  groups: number[][];
  /** Phrases as written (lower case) of two code units or more, by the pairSlot of their first two (a slot
   * shared by a few pairs: its phrases are still compared), so a place of the text tries only the phrases
   * that can start there. */
  rawByPair: FirstUnitIndex<RawPhrase>;
  /** Phrases as written of one code unit, by that unit. */
  rawSingle: FirstUnitIndex<RawPhrase>;
  /** Per phrase as written (RawPhrase.id): the findPhrases call that last found it (see findAsWritten). */
  rawSeen: Int32Array;
  rawCall: number;
  sameAs: Map<string, string>;
  /** matchKey results of known words by dictionary entry: most words recur from message to message. Entry
   * number → 1 + index into knownKeyList (0: not yet worked out); a table read where a Map hashed. */
  knownSlot: Int32Array;
  knownKeyList: CachedKey[];
  /** The same for unknown words, by surface, then base form and part of speech. */
  keys: Map<string, CachedKey[]>;
  /** Entries in both caches (bounded, see keyOf). */
  keyCount: number;
}

interface RawPhrase {
  /** Its place among the phrases as written (the order they are tried in at one place of the text). */
  id: number;
  text: string;
  /** Its second and third code units (NaN past its end), compared before the whole text is. */
  second: number;
  third: number;
  group: number;
  /** Starts with an ASCII letter, so it must stand as a word. */
  word: boolean;
}

/** A word's match key as key numbers, cached by its surface, base form and part of speech. */
interface CachedKey {
  base: string;
  pos: string;
  /** No match key (an honorific prefix, a case particle, blank): phrases step over the word. */
  skip: boolean;
  /** Number of the dictionary form, -1 when no phrase has it. */
  baseId: number;
  /** Number of the written form where it differs from the dictionary form and a phrase has it, else -1. */
  surfaceId: number;
  /** Some phrase starts with this word (the root has a child for it). */
  starts: boolean;
}
const MAX_CACHED_KEYS = 50_000;

/** matchKey through the index's caches (keyed without building a string per token); emptied when full. */
function keyOf(index: PhraseIndex, t: Token): CachedKey {
  // A known word's entry number stands for its surface, base form and part of speech: one integer lookup.
  if (t.known) {
    if (t.entry >= index.knownSlot.length) growSlots(index, t.entry);
    const slot = index.knownSlot[t.entry]!;
    if (slot > 0) return index.knownKeyList[slot - 1]!;
    makeRoom(index);
    const cached = numberedKey(index, t);
    index.knownSlot[t.entry] = index.knownKeyList.push(cached);
    index.keyCount++;
    return cached;
  }
  let list = index.keys.get(t.surface);
  if (list)
    for (let i = 0; i < list.length; i++) {
      const e = list[i]!;
      if (e.base === t.base && e.pos === t.pos) return e;
    }
  if (makeRoom(index)) list = undefined;
  const entry = numberedKey(index, t);
  if (!list) index.keys.set(t.surface, (list = []));
  list.push(entry);
  index.keyCount++;
  return entry;
}

/** Empties the caches when they are full; says whether it did. */
function makeRoom(index: PhraseIndex): boolean {
  if (index.keyCount < MAX_CACHED_KEYS) return false;
  index.keys.clear();
  index.knownSlot.fill(0);
  index.knownKeyList.length = 0;
  index.keyCount = 0;
  return true;
}

/** Makes knownSlot hold `entry` (doubling; IPADIC's ~392k entries make at most 2 MB). */
function growSlots(index: PhraseIndex, entry: number): void {
  let size = Math.max(1024, index.knownSlot.length);
  while (size <= entry) size *= 2;
  const grown = new Int32Array(size);
  grown.set(index.knownSlot);
  index.knownSlot = grown;
}

function numberedKey(index: PhraseIndex, t: Token): CachedKey {
  const key = matchKey(t, index.sameAs);
  const { vocab, rootChild } = index;
  const baseId = key ? (vocab.get(key.base) ?? -1) : -1;
  const writtenId = key ? (vocab.get(key.surface) ?? -1) : -1;
  return {
    base: t.base,
    pos: t.pos,
    skip: key === null,
    baseId,
    surfaceId: key && key.surface !== key.base ? writtenId : -1,
    starts: (baseId >= 0 && rootChild[baseId]! >= 0) || (writtenId >= 0 && rootChild[writtenId]! >= 0),
  };
}

/** The trie as compilePhrases builds it from the phrases, before it is numbered for matching. */
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
  const rawByPair = new FirstUnitIndex<RawPhrase>();
  const rawSingle = new FirstUnitIndex<RawPhrase>();
  let rawCount = 0;
  phrases.forEach((list, group) => {
    for (const phrase of list) {
      const text = phrase.normalize('NFKC').toLowerCase();
      const entry = {
        id: rawCount++,
        text,
        second: text.charCodeAt(1),
        third: text.charCodeAt(2),
        group,
        word: /^[a-z]/.test(text),
      };
      if (text.length === 1) rawSingle.add(text.charCodeAt(0), entry);
      else rawByPair.add(pairSlot(text.charCodeAt(0), text.charCodeAt(1)), entry);
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
  return {
    ...numberTrie(trie),
    rawByPair,
    rawSingle,
    rawSeen: new Int32Array(rawCount),
    rawCall: 0,
    sameAs,
    knownSlot: new Int32Array(0),
    knownKeyList: [],
    keys: new Map(),
    keyCount: 0,
  };
}

/** A slot for two code units in rawByPair (shared by some pairs). */
function pairSlot(first: number, second: number): number {
  return ((first << 7) ^ second) & 0xffff;
}

/** The trie with its keys and nodes numbered, so that a message's words are matched on integers. */
function numberTrie(
  trie: TrieNode,
): Pick<PhraseIndex, 'vocab' | 'rootChild' | 'edges' | 'edgeFrom' | 'edgeKey' | 'edgeChild' | 'groups'> {
  const vocab = new Map<string, number>();
  const nodes = [trie]; // breadth first: a parent before its children
  for (let n = 0; n < nodes.length; n++) {
    for (const [key, child] of nodes[n]!.next) {
      if (!vocab.has(key)) vocab.set(key, vocab.size);
      nodes.push(child);
    }
  }
  const number = new Map(nodes.map((node, n) => [node, n]));
  const rootChild = new Int32Array(vocab.size).fill(-1);
  const edges = new Map<number, number>();
  nodes.forEach((node, n) => {
    for (const [key, child] of node.next) {
      if (n === 0) rootChild[vocab.get(key)!] = number.get(child)!;
      else edges.set(n * vocab.size + vocab.get(key)!, number.get(child)!);
    }
  });
  const edgeFrom = new Int32Array(nodes.length + 1);
  const edgeKey = new Int32Array(edges.size);
  const edgeChild = new Int32Array(edges.size);
  // edges' keys in ascending order are by node, then by key number.
  const sorted = [...edges].sort((a, b) => a[0] - b[0]);
  sorted.forEach(([edge, child], k) => {
    const node = Math.floor(edge / vocab.size);
    edgeKey[k] = edge - node * vocab.size;
    edgeChild[k] = child;
    edgeFrom[node + 1] = k + 1;
  });
  for (let n = 1; n <= nodes.length; n++) edgeFrom[n] = Math.max(edgeFrom[n]!, edgeFrom[n - 1]!);
  return {
    vocab,
    rootChild,
    edges,
    edgeFrom,
    edgeKey,
    edgeChild,
    groups: nodes.map((node) => node.groups),
  };
}

/** The child of a trie node by key number, or -1. */
function childOf(index: PhraseIndex, node: number, key: number): number {
  if (key < 0) return -1;
  if (node === 0) return index.rootChild[key]!;
  const { edgeKey } = index;
  let lo = index.edgeFrom[node]!;
  let hi = index.edgeFrom[node + 1]! - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const k = edgeKey[mid]!;
    if (k === key) return index.edgeChild[mid]!;
    if (k < key) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * Finds compiled phrases in a text (its tokens, or its tokenizer's word list): on dictionary forms, and as
 * written. A phrase found twice with the same words counts once, unless `every` asks for each occurrence.
 */
export function findPhrases(
  index: PhraseIndex,
  text: string,
  tokens: Token[] | WordList,
  every = false,
): PhraseMatch[] {
  const found: PhraseMatch[] = [];
  const seen = new Set<string>();
  const count = Array.isArray(tokens) ? readTokens(index, tokens) : readWordList(index, tokens);
  findByWords(index, text, count, every, found, seen);
  findAsWritten(index, text, every, found);
  return found;
}

// Scratch reused by every call (findPhrases is synchronous): the words' keys and places, and the trie
// nodes reached so far and next while a phrase is followed (typed arrays with a count: a JS array emptied
// by `length = 0` drops its storage and allocates it again on the next push).
const wordKeys: CachedKey[] = [];
let wordStart = new Int32Array(256);
let wordEnd = new Int32Array(256);
let frontier = new Int32Array(64);
let reached = new Int32Array(64);

function roomForWords(count: number): void {
  if (wordStart.length >= count) return;
  wordStart = new Int32Array(2 * count);
  wordEnd = new Int32Array(2 * count);
}

/** The scratch filled from tokens; returns their number. */
function readTokens(index: PhraseIndex, tokens: Token[]): number {
  roomForWords(tokens.length);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    wordKeys[i] = keyOf(index, t);
    wordStart[i] = t.start;
    wordEnd[i] = t.start + t.surface.length;
  }
  return tokens.length;
}

/** The scratch filled from a word list: a known word's cached key is found by its entry number alone, so
 * no token is built for it. */
function readWordList(index: PhraseIndex, words: WordList): number {
  roomForWords(words.count);
  const { entry, start, end } = words;
  for (let i = 0; i < words.count; i++) {
    const e = entry[i]!;
    const known = words.known(i);
    const slot = known && e < index.knownSlot.length ? index.knownSlot[e]! : 0;
    wordKeys[i] =
      slot > 0
        ? index.knownKeyList[slot - 1]!
        : ((known ? undefined : cachedUnknown(index, words, i)) ?? keyOf(index, words.token(i)));
    wordStart[i] = start[i]!;
    wordEnd[i] = end[i]!;
  }
  return words.count;
}

/** keyOf's cached key of an unknown word, found without building its token, or undefined. */
function cachedUnknown(index: PhraseIndex, words: WordList, i: number): CachedKey | undefined {
  const surface = words.text.slice(words.start[i]!, words.end[i]!);
  const list = index.keys.get(surface);
  if (!list) return undefined;
  const pos = words.pos(i);
  const base = words.base(i, surface);
  for (let k = 0; k < list.length; k++) if (list[k]!.base === base && list[k]!.pos === pos) return list[k];
  return undefined;
}

/** Phrases on the words' dictionary or written forms, by walking the trie from each word that starts one. */
function findByWords(
  index: PhraseIndex,
  text: string,
  count: number,
  every: boolean,
  found: PhraseMatch[],
  seen: Set<string>,
): void {
  const keys = wordKeys;
  // The nodes reached at one step are distinct (each has one parent), so never more than there are nodes.
  if (frontier.length < index.groups.length) {
    frontier = new Int32Array(index.groups.length);
    reached = new Int32Array(index.groups.length);
  }
  for (let i = 0; i < count; i++) {
    // Most words start no phrase: skip them before building a frontier.
    if (!keys[i]!.starts) continue;
    frontier[0] = 0;
    let size = 1;
    for (let j = i; j < count && size > 0; j++) {
      const key = keys[j]!;
      if (key.skip) continue;
      size = step(index, key, size);
      for (let f = 0; f < size; f++) {
        const groups = index.groups[frontier[f]!]!;
        for (let g = 0; g < groups.length; g++) {
          const group = groups[g]!;
          // Show the honorific prefix the match skipped: 「お届けできません」, not 「届けできません」.
          const start =
            i > 0 && keys[i - 1]!.skip && keys[i - 1]!.pos === '接頭詞' ? wordStart[i - 1]! : wordStart[i]!;
          const end = wordEnd[j]!;
          const evidence = text.slice(start, end);
          const id = every ? `${group}:${start}:${end}` : `${group}:${evidence}`;
          if (!seen.has(id)) {
            seen.add(id);
            found.push({ group, evidence, start, end });
          }
        }
      }
    }
  }
}

/** Moves the frontier's `size` nodes on by one word (its dictionary form, then its written form). */
function step(index: PhraseIndex, key: CachedKey, size: number): number {
  let n = 0;
  for (let f = 0; f < size; f++) {
    const node = frontier[f]!;
    const byBase = childOf(index, node, key.baseId);
    if (byBase >= 0) reached[n++] = byBase;
    const bySurface = childOf(index, node, key.surfaceId);
    if (bySurface >= 0 && bySurface !== byBase && !includes(reached, n, bySurface)) reached[n++] = bySurface;
  }
  const last = frontier;
  frontier = reached;
  reached = last;
  return n;
}

function includes(nodes: Int32Array, size: number, node: number): boolean {
  for (let k = 0; k < size; k++) if (nodes[k] === node) return true;
  return false;
}

/** Phrases as written (lower case), where the words did not already find them. */
function findAsWritten(index: PhraseIndex, text: string, every: boolean, found: PhraseMatch[]): void {
  const lower = lowerOf(text);
  scanWritten(index, lower, every);
  // Each phrase in the order it was first found, at each place it was found (every) or at the first.
  for (let h = 0; h < hitCount; h++) {
    if (hitFirst[h] === 0) continue;
    const { text: phrase, group, word } = hitPhrase[h]!;
    for (let k = h; k !== -1; k = hitNext[k]!) {
      const start = hitAt[k]!;
      // ASCII phrases must stand as words: "login" not inside "loginess".
      if (word && start > 0 && isAsciiLower(lower.charCodeAt(start - 1))) continue;
      const end = start + phrase.length;
      const evidence = text.slice(start, end);
      // (Without `every`, what the words found is in `found` with its evidence: a phrase whose words were
      // found, or that is part of a longer one found, is covered.)
      const covered = every ? coversPlace(found, group, start, end) : coversText(found, group, evidence);
      if (!covered) found.push({ group, evidence, start, end });
    }
  }
}

// The phrases as written found by scanWritten, in the order found: the phrase, where, the next place of
// the same phrase (-1: none), and whether it is the phrase's first (scratch reused by every call).
let hitCount = 0;
const hitPhrase: RawPhrase[] = [];
let hitAt = new Int32Array(64);
let hitNext = new Int32Array(64);
let hitFirst = new Uint8Array(64);
/** Per phrase (by id), its last hit in this call. */
let lastHit = new Int32Array(0);

/** Finds the phrases as written at each place of the lower-case text: each phrase's first place, or every
 * place (every); the phrases of one place in the order they were compiled. */
function scanWritten(index: PhraseIndex, lower: string, every: boolean): void {
  hitCount = 0;
  if (++index.rawCall >= 0x3fffffff) {
    index.rawSeen.fill(0);
    index.rawCall = 1;
  }
  if (lastHit.length < index.rawSeen.length) lastHit = new Int32Array(index.rawSeen.length);
  const call = index.rawCall;
  for (let i = 0; i < lower.length; i++) {
    const first = lower.charCodeAt(i);
    const pairs =
      i + 1 < lower.length ? index.rawByPair.at(pairSlot(first, lower.charCodeAt(i + 1))) : undefined;
    const singles = index.rawSingle.at(first);
    if (!pairs && !singles) continue;
    // Both lists in compile order (indexed: a for…of started at every place allocated an iterator).
    const np = pairs ? pairs.length : 0;
    const ns = singles ? singles.length : 0;
    for (let p = 0, q = 0; p < np || q < ns;) {
      const entry = q >= ns || (p < np && pairs![p]!.id < singles![q]!.id) ? pairs![p++]! : singles![q++]!;
      // (The pair's slot is shared: compare the second and third units before the whole phrase. Past the
      // phrase's end they are NaN, unequal to anything, and not compared.)
      if (entry.text.length > 1 && lower.charCodeAt(i + 1) !== entry.second) continue;
      if (entry.text.length > 2 && lower.charCodeAt(i + 2) !== entry.third) continue;
      if (!lower.startsWith(entry.text, i)) continue;
      const firstTime = index.rawSeen[entry.id] !== call;
      if (!firstTime && !every) continue;
      if (hitCount === hitAt.length) growHits();
      const h = hitCount++;
      hitPhrase[h] = entry;
      hitAt[h] = i;
      hitNext[h] = -1;
      hitFirst[h] = firstTime ? 1 : 0;
      if (firstTime) index.rawSeen[entry.id] = call;
      else hitNext[lastHit[entry.id]!] = h;
      lastHit[entry.id] = h;
    }
  }
}

function growHits(): void {
  const size = 2 * hitAt.length;
  const at = new Int32Array(size);
  const next = new Int32Array(size);
  const first = new Uint8Array(size);
  at.set(hitAt);
  next.set(hitNext);
  first.set(hitFirst);
  [hitAt, hitNext, hitFirst] = [at, next, first];
}

/** A match of the group spans start…end. */
function coversPlace(found: PhraseMatch[], group: number, start: number, end: number): boolean {
  for (let i = 0; i < found.length; i++) {
    const f = found[i]!;
    if (f.group === group && f.start <= start && end <= f.end) return true;
  }
  return false;
}

/** A match of the group shows this evidence or a longer one that contains it. */
function coversText(found: PhraseMatch[], group: number, evidence: string): boolean {
  for (let i = 0; i < found.length; i++) {
    const f = found[i]!;
    if (f.group === group && f.evidence.includes(evidence)) return true;
  }
  return false;
}

function isAsciiLower(code: number): boolean {
  return code >= 0x61 && code <= 0x7a;
}
