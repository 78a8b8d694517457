// Japanese morphological analysis with kuromoji 0.1.2's IPADIC dictionary, loaded lean.
//
// Why not kuromoji's own builder: on Node 24 it takes ~0.9 s and leaves ~356 MB RSS after GC. It keeps
// the dictionary files' zero padding (tid.dat is 10 MB for 3.9 MB of data, unk*.dat 22 MB for 2 KB), a
// 36 MB buffer of feature strings of which we need three fields, and a 326k-key object of arrays for
// tid_map; its lattice builder also re-encodes the rest of the sentence to UTF-8 at every character.
// Here the same files are read into compact typed arrays (~20 MB) and the same lattice and Viterbi
// search run over them. test/tokenizer.test.ts checks the output against stock kuromoji.
//
// Dictionary formats (see kuromoji/src/dict/*.js and kuromoji/src/loader/DictionaryLoader.js):
//   base.dat, check.dat  double-array trie (Int32) over UTF-8 bytes; a word's bytes plus a 0 byte lead
//                        to a leaf whose base is -(id + 1)
//   tid_map.dat          Int32: count, then count × (id, n, n × byte offset into tid.dat)
//   tid.dat              10-byte entries: Int16 left id, right id, word cost, Int32 offset into tid_pos
//   tid_pos.dat          NUL-terminated "surface,pos,pos1,pos2,pos3,ctype,cform,base,reading,pron"
//   cc.dat               Int16: forward size, backward size, then costs[right id][left id]
//   unk*.dat             the same for unknown words, keyed by character class; unk_char.dat maps each
//                        UTF-16 code unit to a class; unk_invoke.dat lists the classes
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { CONTEXT_SAMPLE } from './context-sample.ts';

export interface Token {
  /** As in the text. */
  surface: string;
  /** Basic (dictionary) form, or the surface when kuromoji has none ('*', e.g. unknown words). */
  base: string;
  /** Part of speech, e.g. '名詞', '動詞', '助動詞'. */
  pos: string;
  /** pos_detail_1, e.g. 'サ変接続', '固有名詞'. */
  posDetail: string;
  /** UTF-16 offset in the input string. */
  start: number;
  /** The word is in the dictionary (kuromoji's word_type 'KNOWN'). */
  known: boolean;
  /** The dictionary entry's number: among known words, the same number is the same surface, basic form and
   * part of speech (a key for caches of what is worked out per word). */
  entry: number;
}

export interface Tokenizer {
  tokenize(text: string): Token[];
  /** The same words as tokenize(), as numbers in arrays reused by every call (valid until the next call):
   * for a caller that reads a few fields of each word, without an object and a string per word. */
  words(text: string): WordList;
}

/** A text's words in order (see Tokenizer.words): word i is entry[i], at start[i] … end[i] of the text. */
export interface WordList {
  /** The text the words are of (as tokenized: lone surrogates replaced). */
  text: string;
  count: number;
  entry: Int32Array;
  /** UTF-16 offsets in the text, end exclusive. */
  start: Int32Array;
  end: Int32Array;
  /** Word i as tokenize() gives it. */
  token(i: number): Token;
  /** Word i is in the dictionary (Token.known). */
  known(i: number): boolean;
  /** Word i's part of speech (Token.pos). */
  pos(i: number): string;
  /** Word i's basic form (Token.base), given its surface. */
  base(i: number, surface: string): string;
}

const DICT_DIR = path.join(
  path.dirname(createRequire(import.meta.url).resolve('kuromoji/package.json')),
  'dict',
);

interface Dict {
  /** The double array with each cell's base and check side by side (base at 2i, check at 2i + 1): a step
   * reads the check of the cell it lands on and then that cell's base, one cache line instead of two
   * in arrays of several megabytes. */
  trie: Int32Array;
  /** Per BMP code point, the trie node reached from the root by it (-1: no word starts with it) and the
   * base of the leaf below that node (see leafBase). Most walks stop after a character or two, so this
   * saves most of the byte-by-byte steps (512 KB). */
  rootStep: Int32Array;
  /** Steps by a whole character from deeper nodes, remembered (see charStep). */
  steps: Int32Array;
  /** Entries of the words that have none or several: runs of count, then per entry its number and its two
   * values of `info` (see MULTI), so a run is read in one sweep rather than one table read per entry. */
  multiEntries: Int32Array;
  /** Per entry (known words first, then unknown-word entries) all the search and the tokens read, in one
   * 8-byte record (one cache line, where three tables cost up to three): left id | right id << 11 |
   * index into posTable << 22, then word cost (Int16) | basic form << 16 (0 when it is the surface or '*',
   * else 1 + index into bases). See packEntries. */
  info: Int32Array;
  bases: string[];
  posTable: { pos: string; detail: string }[];
  knownCount: number;
  /** Connection costs as conn[left id × connStride + right id], the ids renumbered by use (see hotOrder):
   * the search reads one node's left id against each predecessor's right id, so along one row, and the
   * ids words mostly use are the low ones, so most reads fall in a ~128 KB corner of the 3.4 MB matrix. */
  conn: Int16Array;
  connStride: number;
  /** Character class of each UTF-16 code unit. */
  charClass: Uint8Array;
  classes: { invoke: boolean; group: boolean }[];
  defaultClass: number;
  /** Unknown-word entries per character class. */
  unknownEntries: number[][];
}

let loading: Promise<Tokenizer> | undefined;

/**
 * Loads the dictionary once; concurrent and repeated calls share one promise. Building it is
 * synchronous work (~0.45 s) run from a microtask, so call this at start-up rather than per request.
 */
export function loadTokenizer(): Promise<Tokenizer> {
  loading ??= Promise.resolve()
    .then(loadDict)
    .then(
      (dict) => {
        // Collect the loader's garbage (~16k-entry Maps, strings) now. Only with --expose-gc.
        globalThis.gc?.();
        return {
          tokenize: (text: string) => tokenize(dict, text),
          words: (text: string) => wordsOf(dict, text),
        };
      },
      (err: unknown) => {
        loading = undefined; // let a later call retry
        throw err;
      },
    );
  return loading;
}

/**
 * Reads and decompresses one dictionary file into a single allocation of the exact size. (By default
 * zlib inflates into 16 KiB chunks and concatenates them: thousands of mallocs plus a copy.)
 */
function readDat(name: string): Buffer {
  const gz = readFileSync(path.join(DICT_DIR, name));
  const size = gz.readUInt32LE(gz.length - 4); // gzip trailer: uncompressed size (mod 2^32)
  // One spare byte, or zlib allocates a second (unused) chunk when the first is exactly full.
  const out = gunzipSync(gz, { chunkSize: Math.max(64, size + 1) });
  release(gz);
  // Typed-array views need aligned offsets and release() needs a buffer of our own; both hold for any
  // allocation above 4 KiB, smaller ones may share Node's pool.
  return ownsMemory(out) ? out : Buffer.from(new Uint8Array(out).buffer);
}

function ownsMemory(buf: Buffer): boolean {
  return buf.byteOffset === 0 && buf.buffer.byteLength <= buf.byteLength + 1;
}

/**
 * Frees a decompressed file now: detaching its ArrayBuffer releases the memory at once, where garbage
 * collection would leave ~100 MB of spent buffers around for a while and fragment the malloc heap.
 */
function release(buf: Buffer): void {
  if (ownsMemory(buf) && buf.buffer instanceof ArrayBuffer) buf.buffer.transfer(0);
}

function int32s(buf: Buffer): Int32Array {
  return new Int32Array(buf.buffer, buf.byteOffset, buf.byteLength >> 2);
}

function loadDict(): Dict {
  const trie = loadTrie();
  const known = readIdMap('tid_map.dat.gz');
  const unknown = readIdMap('unk_map.dat.gz');
  // Known and unknown entries share the per-entry tables; unknown ones come after knownCount.
  const knownCount = known.entryCount;
  const entries = newEntryTables(knownCount + unknown.entryCount);
  const seen: Interning = { pos: new Map(), base: new Map() };
  readEntries(entries, seen, 'tid.dat.gz', 'tid_pos.dat.gz', 0, knownCount);
  readEntries(entries, seen, 'unk.dat.gz', 'unk_pos.dat.gz', knownCount, unknown.entryCount);
  if (entries.posTable.length > 0xff || entries.bases.length > 0xffff) {
    throw new Error('kuromoji dictionary: too many distinct forms');
  }
  const invoke = readDat('unk_invoke.dat.gz');
  const classes = readClasses(invoke);
  release(invoke);
  const defaultClass = classes.findIndex((c) => c.name === 'DEFAULT');
  if (defaultClass < 0) throw new Error('kuromoji dictionary: no DEFAULT character class');
  const cc = readDat('cc.dat.gz');
  const conn = new Int16Array(cc.buffer, cc.byteOffset, cc.byteLength >> 1); // cc.dat's layout until renumbered
  const info = packEntries(entries);
  const multiEntries = pointLeaves(trie.trie, known, info); // before rootSteps, which reads the leaves
  const dict: Dict = {
    ...trie,
    rootStep: rootSteps(trie),
    steps: new Int32Array(4 * STEP_SLOTS).fill(-1),
    multiEntries,
    info,
    bases: entries.bases,
    posTable: entries.posTable,
    knownCount,
    conn,
    connStride: conn[1]!,
    charClass: readDat('unk_char.dat.gz'),
    classes,
    defaultClass,
    unknownEntries: classes.map((_, cls) => {
      const ids: number[] = [];
      for (let j = unknown.entryStart[cls] ?? 0; j < (unknown.entryStart[cls + 1] ?? 0); j++) {
        ids.push(knownCount + unknown.entryIds[j]!);
      }
      return ids;
    }),
  };
  renumberContexts(dict, hotOrder(dict));
  release(cc);
  return dict;
}

/** The entry tables as loaded, in one record per entry (see Dict.info). */
function packEntries(t: EntryTables): Int32Array {
  const n = t.entryPos.length;
  const info = new Int32Array(2 * n);
  for (let e = 0; e < n; e++) {
    const left = t.costs[3 * e]!;
    const right = t.costs[3 * e + 1]!;
    if (left < 0 || left > MAX_CONTEXT || right < 0 || right > MAX_CONTEXT)
      throw new Error('kuromoji dictionary: context id out of range');
    info[2 * e] = left | (right << 11) | (t.entryPos[e]! << 22);
    info[2 * e + 1] = (t.costs[3 * e + 2]! & 0xffff) | (t.entryBase[e]! << 16);
  }
  return info;
}

/** Context ids take 11 bits of an entry's record. */
const MAX_CONTEXT = 0x7ff;

/**
 * Context ids by how often the words of a sample of ordinary text use them (CONTEXT_SAMPLE; the rest in
 * id order), id 0 (BOS/EOS) first. Read with cc.dat's layout, before renumberContexts.
 */
function hotOrder(dict: Dict): Int32Array {
  const size = dict.connStride;
  const uses = new Float64Array(size);
  uses[0] = Infinity;
  for (let from = 0; from < CONTEXT_SAMPLE.length;) {
    let to = from;
    while (to < CONTEXT_SAMPLE.length && !isSentenceEnd(CONTEXT_SAMPLE.charCodeAt(to))) to++;
    to = Math.min(to + 1, CONTEXT_SAMPLE.length);
    buildLattice(dict, CONTEXT_SAMPLE, from, to);
    for (let n = 0; n < lat.size; n++) {
      uses[lat.left[n]!]!++;
      uses[lat.right[n]!]!++;
    }
    from = to;
  }
  const ids = Array.from({ length: size }, (_, id) => id);
  ids.sort((a, b) => uses[b]! - uses[a]! || a - b);
  return Int32Array.from(ids);
}

/**
 * Gives context id order[k] the number k: in the entries' records (and the runs' copies of them) and in a
 * new, transposed matrix.
 */
function renumberContexts(dict: Dict, order: Int32Array): void {
  const size = dict.connStride;
  if (dict.conn[0] !== size) throw new Error('kuromoji dictionary: connection matrix is not square');
  const rank = new Int32Array(size);
  order.forEach((id, k) => (rank[id] = k));
  const { info, multiEntries, conn } = dict;
  for (let i = 0; i < info.length; i += 2) {
    const x = info[i]!;
    info[i] = rank[x & MAX_CONTEXT]! | (rank[(x >>> 11) & MAX_CONTEXT]! << 11) | (x & ~0x3fffff);
  }
  // The runs' copies of the records (count, then entry number and record per entry).
  for (let run = 1; run < multiEntries.length; run += 1 + 3 * multiEntries[run]!) {
    for (let j = run + 1; j < run + 1 + 3 * multiEntries[run]!; j += 3) {
      const e = multiEntries[j]!;
      multiEntries[j + 1] = info[2 * e]!;
      multiEntries[j + 2] = info[2 * e + 1]!;
    }
  }
  const out = new Int16Array(size * size);
  // cc.dat: two header values, then costs[right][left].
  for (let right = 0; right < size; right++) {
    const row = 2 + right * size;
    const r = rank[right]!;
    for (let left = 0; left < size; left++) out[rank[left]! * size + r] = conn[row + left]!;
  }
  dict.conn = out;
}

/** The double array, trimmed like doublearray's shrink() and interleaved, so the 8 MB files can go. */
function loadTrie(): { trie: Int32Array } {
  const checkBuf = readDat('check.dat.gz');
  const check = int32s(checkBuf);
  let last = check.length - 1;
  while (last > 0 && check[last]! < 0) last--;
  const size = Math.min(last + 2, check.length);
  const trie = new Int32Array(2 * size);
  for (let i = 0; i < size; i++) trie[2 * i + 1] = check[i]!;
  release(checkBuf);
  const baseBuf = readDat('base.dat.gz');
  const base = int32s(baseBuf);
  for (let i = 0; i < size; i++) trie[2 * i] = base[i]!;
  release(baseBuf);
  return { trie };
}

/**
 * How a word's leaf in the trie names its entries (the leaf's base is -(1 + code)): a word with one entry,
 * as 279k of IPADIC's 326k words have, by the entry's number itself, so a match reads no id map or entry list
 * (cache misses in megabytes of tables); a word with none or several, MULTI | where its run of count and
 * entry numbers starts in multiEntries.
 */
const MULTI = 1 << 29;

/** Rewrites each leaf's word id as its leaf code; returns multiEntries. */
function pointLeaves(
  trie: Int32Array,
  map: { entryStart: Int32Array; entryIds: Int32Array },
  info: Int32Array,
): Int32Array {
  const { entryStart, entryIds } = map;
  const ids = entryStart.length - 1;
  // One array of the exact size for the ~47k runs (no JS array growing): a run per word id with several.
  let size = 1; // at 0: the empty run, for a word id without entries
  for (let id = 0; id < ids; id++)
    if (entryStart[id + 1]! - entryStart[id]! > 1) size += 1 + 3 * (entryStart[id + 1]! - entryStart[id]!);
  const multi = new Int32Array(size);
  let end = 1;
  // A leaf is the cell a 0 byte leads to (the test buildLattice makes). The root is none: its base and
  // check are 0, so its 0 byte would lead back to itself. The cell's own base and check are read first
  // (in order), its parent's base (a random read) only for the candidates.
  for (let c = 1; 2 * c < trie.length; c++) {
    const base = trie[2 * c]!;
    const parent = trie[2 * c + 1]!;
    if (base > 0 || parent < 0 || trie[2 * parent] !== c) continue;
    const id = -base - 1;
    const from = id >= 0 && id < ids ? entryStart[id]! : 0;
    const n = id >= 0 && id < ids ? entryStart[id + 1]! - from : 0;
    let code = MULTI;
    if (n === 1 && entryIds[from]! < MULTI) code = entryIds[from]!;
    else if (n > 0) {
      code = MULTI | end;
      multi[end++] = n;
      for (let j = from; j < from + n; j++) {
        const e = entryIds[j]!;
        multi[end++] = e;
        multi[end++] = info[2 * e]!;
        multi[end++] = info[2 * e + 1]!;
      }
    }
    trie[2 * c] = -(1 + code);
  }
  return multi;
}

function rootSteps(trie: Pick<Dict, 'trie'>): Int32Array {
  const steps = new Int32Array(2 * 0x10000);
  for (let cp = 0; cp < 0x10000; cp++) {
    const node = trieStepChar(trie, 0, cp);
    steps[2 * cp] = node;
    steps[2 * cp + 1] = leafBase(trie, node);
  }
  return steps;
}

/** tid_map/unk_map as compressed rows; entry ids are byte offsets into tid.dat divided by 10. */
function readIdMap(name: string): { entryStart: Int32Array; entryIds: Int32Array; entryCount: number } {
  const buf = readDat(name);
  const ints = int32s(buf);
  const count = ints[0]!;
  let maxKey = -1;
  let maxEntry = -1;
  let values = 0;
  for (let p = 1, k = 0; k < count; k++) {
    const n = ints[p + 1]!;
    maxKey = Math.max(maxKey, ints[p]!);
    for (let j = 0; j < n; j++) maxEntry = Math.max(maxEntry, ints[p + 2 + j]! / 10);
    values += n;
    p += 2 + n;
  }
  const entryStart = new Int32Array(maxKey + 2);
  for (let p = 1, k = 0; k < count; k++) {
    entryStart[ints[p]! + 1]! += ints[p + 1]!;
    p += 2 + ints[p + 1]!;
  }
  for (let k = 1; k < entryStart.length; k++) entryStart[k]! += entryStart[k - 1]!;
  const fill = entryStart.slice(0, -1);
  const entryIds = new Int32Array(values);
  for (let p = 1, k = 0; k < count; k++) {
    const key = ints[p]!;
    const n = ints[p + 1]!;
    for (let j = 0; j < n; j++) entryIds[fill[key]!++] = ints[p + 2 + j]! / 10;
    p += 2 + n;
  }
  release(buf);
  return { entryStart, entryIds, entryCount: maxEntry + 1 };
}

/** The entries as read from the files (packed into Dict.info once all are read). */
interface EntryTables {
  /** Per entry: left id, right id, word cost. */
  costs: Int16Array;
  /** Per entry: index into posTable. */
  entryPos: Uint8Array;
  /** Per entry: 0 when the basic form is the surface (or '*'), else 1 + index into bases. */
  entryBase: Uint16Array;
  bases: string[];
  posTable: { pos: string; detail: string }[];
}
/** Lookups used while loading only: distinct pos/pos_detail_1 and basic forms to their index. */
type Interning = { pos: Map<string, number>; base: Map<string, number> };

function newEntryTables(count: number): EntryTables {
  return {
    costs: new Int16Array(3 * count),
    entryPos: new Uint8Array(count),
    entryBase: new Uint16Array(count),
    bases: [],
    posTable: [],
  };
}

/**
 * Fills the tables for `count` entries from tid.dat-style records and their feature lines, keeping
 * only pos, pos_detail_1 and the basic form (as indexes into small tables of distinct values).
 */
function readEntries(
  t: EntryTables,
  seen: Interning,
  tidName: string,
  posName: string,
  first: number,
  count: number,
): void {
  const tid = readDat(tidName);
  const features = readDat(posName);
  const view = new DataView(tid.buffer, tid.byteOffset, tid.byteLength);
  const commas = new Int32Array(8);
  let lastPos = { start: 0, end: 0, id: -1 };
  let lastBase = { start: 0, end: 0, id: -1 };
  for (let i = 0; i < count; i++) {
    const e = first + i;
    const at = i * 10;
    t.costs[3 * e] = view.getInt16(at, true);
    t.costs[3 * e + 1] = view.getInt16(at + 2, true);
    t.costs[3 * e + 2] = view.getInt16(at + 4, true);
    // Find where fields 0..7 end, skipping whole UTF-8 characters (a comma is never inside one).
    // Unknown-word lines have only 8 fields.
    const lineStart = view.getInt32(at + 6, true);
    let n = 0;
    let p = lineStart;
    while (n < 8) {
      const b = features[p];
      if (b === 0x2c) commas[n++] = p++;
      else if (b === 0 || b === undefined) break;
      else p += b < 0x80 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
    }
    if (n === 7) commas[n++] = p;
    if (n < 8) throw new Error(`kuromoji dictionary: malformed features at ${lineStart}`);
    // pos + pos_detail_1 take only ~50 values, and neighbouring entries mostly share them.
    const posStart = commas[0]! + 1;
    const posEnd = commas[2]!;
    if (lastPos.id < 0 || !sameBytes(features, posStart, posEnd, lastPos.start, lastPos.end)) {
      const key = features.toString('utf8', posStart, posEnd);
      let id = seen.pos.get(key);
      if (id === undefined) {
        const [pos = '', detail = ''] = key.split(',');
        seen.pos.set(key, (id = t.posTable.push({ pos, detail }) - 1));
      }
      lastPos = { start: posStart, end: posEnd, id };
    }
    t.entryPos[e] = lastPos.id;
    // Most basic forms equal the surface (or are '*'); the rest take only ~16k distinct values.
    const baseStart = commas[6]! + 1;
    const baseEnd = commas[7]!;
    const star = baseEnd - baseStart === 1 && features[baseStart] === 0x2a;
    if (!star && !sameBytes(features, lineStart, commas[0]!, baseStart, baseEnd)) {
      // Inflected forms of one word are neighbours: skip decoding when the base repeats.
      if (lastBase.id < 0 || !sameBytes(features, baseStart, baseEnd, lastBase.start, lastBase.end)) {
        const base = features.toString('utf8', baseStart, baseEnd);
        let id = seen.base.get(base);
        if (id === undefined) seen.base.set(base, (id = t.bases.push(base)));
        lastBase = { start: baseStart, end: baseEnd, id };
      }
      t.entryBase[e] = lastBase.id;
    }
  }
  release(tid);
  release(features);
}

function sameBytes(buf: Uint8Array, a: number, aEnd: number, b: number, bEnd: number): boolean {
  if (aEnd - a !== bEnd - b) return false;
  while (a < aEnd) if (buf[a++] !== buf[b++]) return false;
  return true;
}

/** unk_invoke.dat: per class u8 invoke, u8 group, i32 max length, NUL-terminated name. */
function readClasses(buf: Buffer): { name: string; invoke: boolean; group: boolean }[] {
  const classes = [];
  // The file is padded with zeros to 1 MiB; kuromoji parses the padding as nameless classes that
  // nothing refers to, so stopping at the first empty name changes nothing.
  for (let p = 0; p + 6 < buf.length;) {
    const end = buf.indexOf(0, p + 6);
    if (end <= p + 6) break;
    classes.push({ name: buf.toString('utf8', p + 6, end), invoke: buf[p] === 1, group: buf[p + 1] === 1 });
    p = end + 1;
  }
  return classes;
}

// ---- Tokenizing ---------------------------------------------------------------------------------
// Mirrors kuromoji's Tokenizer, ViterbiBuilder and ViterbiSearcher, with one deliberate difference:
// lattice positions are UTF-16 offsets. kuromoji counts code points but measures grouped unknown words
// in UTF-16 units, so two adjacent astral characters (🎉🎉, 🇯🇵, 👍🏻) overshoot and it silently drops
// the rest of the sentence. For all other text the lattice is the same node for node.

/**
 * Lattice of one sentence in struct-of-arrays form. The arrays are reused between calls (tokenize is
 * synchronous), so a call allocates little besides its tokens; typed arrays keep a node's fields
 * unboxed and close together, and grow (doubling) for long sentences.
 */
const lat = {
  size: 0,
  entry: new Int32Array(1024), // -1 for BOS/EOS
  start: new Int32Array(1024), // relative to the sentence
  end: new Int32Array(1024),
  left: new Int32Array(1024),
  right: new Int32Array(1024),
  wordCost: new Int32Array(1024),
  /** Next node with the same end, in insertion order (kuromoji's nodes_end_at arrays). */
  nextSameEnd: new Int32Array(1024),
  prev: new Int32Array(1024),
  /** Path costs as JavaScript numbers (doubles), as kuromoji adds them. */
  cost: new Float64Array(1024),
  /** The best path's nodes, EOS first (see bestPath). */
  path: new Int32Array(256),
  /** First and last node ending at each position. */
  endHead: new Int32Array(256),
  endTail: new Int32Array(256),
};

type NodeField = 'entry' | 'start' | 'end' | 'left' | 'right' | 'wordCost' | 'nextSameEnd' | 'prev';
const NODE_FIELDS: NodeField[] = [
  'entry',
  'start',
  'end',
  'left',
  'right',
  'wordCost',
  'nextSameEnd',
  'prev',
];

/** Doubles the node arrays, keeping their contents. */
function growNodes(): void {
  const size = lat.entry.length * 2;
  for (const f of NODE_FIELDS) {
    const grown = new Int32Array(size);
    grown.set(lat[f]);
    lat[f] = grown;
  }
  const cost = new Float64Array(size);
  cost.set(lat.cost);
  lat.cost = cost;
}

function grown(a: Int32Array): Int32Array<ArrayBuffer> {
  const out = new Int32Array(2 * a.length);
  out.set(a);
  return out;
}

/** Empties the lattice for a sentence of `length` code units (positions 0 … length + 1). */
function resetLattice(length: number): void {
  lat.size = 0;
  if (lat.endHead.length < length + 2) {
    lat.endHead = new Int32Array(2 * (length + 2));
    lat.endTail = new Int32Array(2 * (length + 2));
  }
  lat.endHead.fill(-1, 0, length + 2);
}

/** Adds a node for `entry` from its record (Dict.info: contexts, then cost; 0, 0 for BOS and EOS). */
function addNode(entry: number, start: number, end: number, contexts: number, cost: number): number {
  const n = lat.size++;
  if (n === lat.entry.length) growNodes();
  lat.entry[n] = entry;
  lat.start[n] = start;
  lat.end[n] = end;
  lat.left[n] = contexts & MAX_CONTEXT;
  lat.right[n] = (contexts >>> 11) & MAX_CONTEXT;
  lat.wordCost[n] = (cost << 16) >> 16;
  lat.nextSameEnd[n] = -1;
  lat.prev[n] = -1;
  lat.cost[n] = Number.MAX_VALUE;
  if (lat.endHead[end] === -1) lat.endHead[end] = n;
  else lat.nextSameEnd[lat.endTail[end]!] = n;
  lat.endTail[end] = n;
  return n;
}

function tokenize(dict: Dict, input: string): Token[] {
  const list = wordsOf(dict, input);
  const tokens: Token[] = [];
  for (let i = 0; i < list.count; i++) tokens.push(list.token(i));
  return tokens;
}

/** The words of the last text (tokenize and words are synchronous, so one list serves every call). */
class Words implements WordList {
  count = 0;
  entry = new Int32Array(256);
  start = new Int32Array(256);
  end = new Int32Array(256);
  text = '';
  dict: Dict | null = null;

  push(entry: number, start: number, end: number): void {
    if (this.count === this.entry.length) {
      this.entry = grown(this.entry);
      this.start = grown(this.start);
      this.end = grown(this.end);
    }
    this.entry[this.count] = entry;
    this.start[this.count] = start;
    this.end[this.count++] = end;
  }

  token(i: number): Token {
    const dict = this.dict!;
    const e = this.entry[i]!;
    const start = this.start[i]!;
    const surface = this.text.slice(start, this.end[i]!);
    const { pos, detail } = dict.posTable[dict.info[2 * e]! >>> 22]!;
    return {
      surface,
      base: this.base(i, surface),
      pos,
      posDetail: detail,
      start,
      known: e < dict.knownCount,
      entry: e,
    };
  }

  known(i: number): boolean {
    return this.entry[i]! < this.dict!.knownCount;
  }

  pos(i: number): string {
    const dict = this.dict!;
    return dict.posTable[dict.info[2 * this.entry[i]!]! >>> 22]!.pos;
  }

  base(i: number, surface: string): string {
    const dict = this.dict!;
    const baseId = dict.info[2 * this.entry[i]! + 1]! >>> 16;
    return baseId === 0 ? surface : dict.bases[baseId - 1]!;
  }
}

const words = new Words();

function wordsOf(dict: Dict, input: string): WordList {
  // kuromoji throws on lone surrogates; normalize() already removes them, so this is a safety net.
  const text = input.isWellFormed() ? input : input.toWellFormed();
  words.count = 0;
  words.text = text;
  words.dict = dict;
  // Like kuromoji, analyse each sentence separately, ending after every 、 and 。.
  for (let from = 0; from < text.length;) {
    let to = from;
    while (to < text.length && !isSentenceEnd(text.charCodeAt(to))) to++;
    to = Math.min(to + 1, text.length);
    tokenizeSentence(dict, text, from, to);
    from = to;
  }
  return words;
}

/** 、 or 。 */
function isSentenceEnd(code: number): boolean {
  return code === 0x3001 || code === 0x3002;
}

/** One sentence: its word lattice, the cheapest path through it, that path's words (as kuromoji). */
function tokenizeSentence(dict: Dict, text: string, from: number, to: number): void {
  const eos = buildLattice(dict, text, from, to);
  forwardPass(dict, to - from);
  bestPath(from, eos);
}

/** Fills the lattice with every known and unknown word of the sentence; returns the end (EOS) node. */
function buildLattice(dict: Dict, text: string, from: number, to: number): number {
  const length = to - from;
  const records = dict.info;
  resetLattice(length);
  lat.cost[addNode(-1, 0, 0, 0, 0)] = 0; // BOS

  let runClass = -1;
  let runEnd = 0;
  for (let pos = 0; pos < length; pos += charUnits(text, from + pos, to)) {
    // No word ends here (inside a run of spaces, digits or unknown letters): a word starting here could
    // never be reached, so kuromoji would leave it at infinite cost, off the best path. Skipping it
    // changes no token and spares the forward pass every such node (a link blanked out leaves dozens).
    // All words ending here start earlier, so endHead[pos] is complete by now.
    if (pos > 0 && lat.endHead[pos] === -1) continue;
    const found = addKnownWords(dict, text, from, to, pos);
    // Unknown words: when nothing matched or the character class always asks for them.
    const cls = classAt(dict, text, from + pos);
    const info = dict.classes[cls];
    if (!found || info?.invoke) {
      let end = pos + charUnits(text, from + pos, to);
      if (info?.group) {
        // Groups run to the end of the class run; remember it so long runs stay linear.
        if (cls !== runClass || pos >= runEnd) {
          while (end < length && classAt(dict, text, from + end) === cls)
            end += charUnits(text, from + end, to);
          runClass = cls;
          runEnd = end;
        }
        end = runEnd;
      }
      for (const e of dict.unknownEntries[cls] ?? [])
        addNode(e, pos, end, records[2 * e]!, records[2 * e + 1]!);
    }
  }
  return addNode(-1, length, length + 1, 0, 0);
}

/** Adds the dictionary's words that start at pos, walking the trie along the text; says if there were any. */
function addKnownWords(dict: Dict, text: string, from: number, to: number, pos: number): boolean {
  const { info, multiEntries } = dict;
  const length = to - from;
  let found = false;
  for (let i = pos, node = 0; i < length;) {
    const cp = text.codePointAt(from + i)!;
    // A 0 byte marks word ends in the trie, so U+0000 would walk into garbage (kuromoji then throws).
    // No word contains it: stop, and it becomes an unknown word.
    if (cp === 0) break;
    let leaf: number;
    if (i === pos && cp < 0x10000) {
      node = dict.rootStep[2 * cp]!;
      leaf = dict.rootStep[2 * cp + 1]!;
    } else {
      node = charStep(dict, node, cp);
      leaf = stepLeaf;
    }
    if (node < 0) break;
    i += charUnits(text, from + i, to);
    if (leaf > 0) continue;
    found = true;
    const code = -leaf - 1;
    if (code < MULTI) addNode(code, pos, i, info[2 * code]!, info[2 * code + 1]!);
    else {
      const run = code ^ MULTI;
      const last = run + 3 * multiEntries[run]!;
      for (let j = run + 1; j <= last; j += 3)
        addNode(multiEntries[j]!, pos, i, multiEntries[j + 1]!, multiEntries[j + 2]!);
    }
  }
  return found;
}

/** Slots of the step cache: 16k steps of 16 bytes (256 KB), a few thousand of which make most text. */
const STEP_SLOTS = 1 << 14;
/** The leaf base of the node charStep returned last (a second return value, without an object). */
let stepLeaf = 1;

/**
 * The trie step by one character from `node` (UTF-8 bytes, as trieStepChar), and in stepLeaf its leafBase.
 * Remembered in a direct-mapped table of (node, code point) → (child, leaf base): a word's later
 * characters cost three byte steps and a leaf look-up, each a likely cache miss in the 11 MB trie, and
 * the same few thousand steps recur in message after message. A pure function remembered: same tokens.
 */
function charStep(dict: Dict, node: number, cp: number): number {
  const s = dict.steps;
  const slot = 4 * (Math.imul(node ^ (cp << 12), 0x9e3779b1) >>> (32 - 14));
  if (s[slot] === node && s[slot + 1] === cp) {
    stepLeaf = s[slot + 3]!;
    return s[slot + 2]!;
  }
  const child = trieStepChar(dict, node, cp);
  stepLeaf = leafBase(dict, child);
  s[slot] = node;
  s[slot + 1] = cp;
  s[slot + 2] = child;
  s[slot + 3] = stepLeaf;
  return child;
}

/** The base of the leaf under `node`, ≤ 0 (a leaf code, see MULTI) when a word ends there, else 1. */
function leafBase(dict: Pick<Dict, 'trie'>, node: number): number {
  if (node < 0) return 1;
  const leaf = trieStep(dict, node, 0);
  return leaf >= 0 ? dict.trie[2 * leaf]! : 1;
}

/** The cheapest way to reach each node. */
function forwardPass(dict: Dict, length: number): void {
  // Forward pass. kuromoji declares its best-previous-node variable with `var` inside the loop, so a
  // node none of whose predecessors is reachable inherits the previous node's choice; kept for parity.
  const { conn, connStride } = dict;
  let bestPrev = -1;
  for (let end = 1; end <= length + 1; end++) {
    for (let n = lat.endHead[end]!; n !== -1; n = lat.nextSameEnd[n]!) {
      let p = lat.endHead[lat.start[n]!]!;
      if (p === -1) continue;
      let cost = Number.MAX_VALUE;
      const row = lat.left[n]! * connStride;
      const wordCost = lat.wordCost[n]!;
      for (; p !== -1; p = lat.nextSameEnd[p]!) {
        const c = lat.cost[p]! + conn[row + lat.right[p]!]! + wordCost;
        if (c < cost) {
          cost = c;
          bestPrev = p;
        }
      }
      lat.prev[n] = bestPrev;
      lat.cost[n] = cost;
    }
  }
}

/** Follows the cheapest path back from EOS and appends its words to `words`. */
function bestPath(from: number, eos: number): void {
  // Backward pass; like kuromoji, a broken path yields no tokens for the sentence. The path is written
  // into lat.path (reused, like the lattice) from its end.
  let count = 0;
  for (let n = lat.prev[eos]!; n !== 0; n = lat.prev[n]!) {
    if (n === -1) return;
    if (count === lat.path.length) lat.path = grown(lat.path);
    lat.path[count++] = n;
  }
  for (let k = count - 1; k >= 0; k--) {
    const n = lat.path[k]!;
    words.push(lat.entry[n]!, from + lat.start[n]!, from + lat.end[n]!);
  }
}

/** Double-array step; out-of-range or foreign cells mean "no such child", as in doublearray. */
function trieStep(dict: Pick<Dict, 'trie'>, node: number, byte: number): number {
  const c = dict.trie[2 * node]! + byte;
  return c >= 0 && 2 * c + 1 < dict.trie.length && dict.trie[2 * c + 1] === node ? c : -1;
}

/** Steps through the UTF-8 bytes of one code point (the trie is over UTF-8); -1 when absent. */
function trieStepChar(dict: Pick<Dict, 'trie'>, node: number, cp: number): number {
  if (cp < 0x80) return trieStep(dict, node, cp);
  let shift = cp < 0x800 ? 6 : cp < 0x10000 ? 12 : 18;
  const lead = cp < 0x800 ? 0xc0 : cp < 0x10000 ? 0xe0 : 0xf0;
  node = trieStep(dict, node, lead | (cp >> shift));
  for (shift -= 6; shift >= 0 && node >= 0; shift -= 6)
    node = trieStep(dict, node, 0x80 | ((cp >> shift) & 0x3f));
  return node;
}

/** 2 for a surrogate pair (astral character), else 1. */
function charUnits(text: string, i: number, to: number): number {
  const c = text.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff && i + 1 < to ? 2 : 1;
}

/** kuromoji's CharacterDefinition.lookup: astral characters are DEFAULT. */
function classAt(dict: Dict, text: string, i: number): number {
  const c = text.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff ? dict.defaultClass : dict.charClass[c]!;
}
