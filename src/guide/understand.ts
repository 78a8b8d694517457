// What a person says they did ("リンクを開いてカード番号も入れた") → intents, with the detector's phrase
// matcher over kuromoji dictionary forms (compilePhrases/findPhrases) and the word lists of
// rules/intents.yaml. How a message is read is described at the top of that file.
import { compilePhrases, findPhrases, type PhraseIndex } from '../detector/phrases.ts';
import type { Token, Tokenizer } from '../detector/tokenizer.ts';
import { ACTION_INTENTS, type ActionIntent, type IntentRules, type MatchedIntent } from '../rules/schema.ts';

export type NavOp = 'done' | 'next' | 'all' | 'restart' | 'resume';

export interface Understanding {
  /** What the person did, most damaging first; nothing_done only when nothing else. */
  intents: ActionIntent[];
  /** Entered something without saying what: ask. */
  enteredUnknown: boolean;
  /** Asked what to do (どうすればいい). */
  help: boolean;
  /** Asked for the 相談メモ. */
  memo: boolean;
  /** Says they called or consulted a helpline (カード会社に電話した, 警察に相談した). */
  contacted: boolean;
}

type Term =
  | { kind: 'thing'; id: string; place: boolean }
  | { kind: 'act'; id: string }
  | { kind: 'help' }
  | { kind: 'memo' }
  | { kind: 'nothing' };

export interface IntentMatcher {
  tokenizer: Tokenizer;
  index: PhraseIndex;
  terms: Term[];
  pairs: Map<string, MatchedIntent>;
  nav: Map<string, NavOp>;
  forwarded: string[];
  /** Helpline numbers (188, #9110 …) read as 「窓口」, so 「188に電話した」 is a call to a helpline. */
  helplines: string[];
  g: {
    negation: Set<string>;
    notDone: Set<string>;
    helpers: Set<string>;
    topic: Set<string>;
    place: Set<string>;
  };
}

const SURU = new Set(['する', 'できる', 'やる', 'いたす', '致す', 'しまう']);
const TE = new Set(['て', 'で', 'ちゃ', 'じゃ']);
const PASSIVE = new Set(['れる', 'られる']);
const CAUSATIVE = new Set(['せる', 'させる']);
const HELPLINE_WORD = '窓口';

export function compileIntents(
  r: IntentRules,
  tokenizer: Tokenizer,
  helplines: string[] = [],
): IntentMatcher {
  const terms: Term[] = [];
  const lists: string[][] = [];
  for (const [id, t] of Object.entries(r.things)) {
    terms.push({ kind: 'thing', id, place: t.place });
    lists.push(t.ja);
  }
  for (const [id, words] of Object.entries(r.acts)) {
    terms.push({ kind: 'act', id });
    lists.push(words);
  }
  terms.push({ kind: 'help' }, { kind: 'memo' }, { kind: 'nothing' });
  lists.push(r.phrases.help, r.phrases.memo, r.phrases.nothing_done);

  const nav = new Map<string, NavOp>();
  for (const [op, words] of Object.entries(r.nav) as [NavOp, string[]][])
    for (const w of words) nav.set(navKey(w), op);

  return {
    tokenizer,
    index: compilePhrases(lists, tokenizer, r.same_as),
    terms,
    pairs: new Map(r.pairs.map((p) => [`${p.thing ?? ''}:${p.act}`, p.intent])),
    nav,
    forwarded: r.forwarded,
    helplines: [...new Set(helplines)].sort((a, b) => b.length - a.length),
    g: {
      negation: new Set(r.grammar.negation),
      notDone: new Set(r.grammar.not_done),
      helpers: new Set(r.grammar.helpers),
      topic: new Set(r.grammar.topic),
      place: new Set(r.grammar.place_particles),
    },
  };
}

/** Typed words for the step buttons: the whole message must be one of them. */
export function navFor(m: IntentMatcher, text: string): NavOp | null {
  const key = navKey(text);
  return key.length > 0 && key.length <= 12 ? (m.nav.get(key) ?? null) : null;
}

function navKey(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s?!。、．.…！？]+/g, '')
    .replace(/(です|ですか|でした|お願いします|おねがいします|ください)$/, '');
}

/**
 * A forwarded message rather than the person's own words: it carries a link, an address, a phone
 * number or the wording of a notice. Such a text goes to the detector, never to the guide.
 */
export function looksForwarded(m: IntentMatcher, text: string): boolean {
  const t = text.normalize('NFKC');
  if (t.length > 200 || t.split('\n').length > 6) return true;
  // The look-behind starts a host only where a run of its characters starts: linear time.
  if (/https?:|www\.|@|(?<![a-z0-9-])[a-z0-9-]+\.(?:[a-z]{2,})(?:\/|\b)/i.test(t)) return true;
  const digits = t.replace(/[^\d]/g, '');
  if (/\d{2,4}-\d{2,4}-\d{3,4}/.test(t) || digits.length >= 10) return true;
  return m.forwarded.some((w) => t.includes(w));
}

/**
 * Reads a person's message. `defaultAct`: an act assumed for things named without one, when the bot
 * has just asked "what did you enter?" and the answer is 「カード番号です」.
 */
export function understand(m: IntentMatcher, raw: string, defaultAct?: string): Understanding {
  let text = raw.normalize('NFKC');
  for (const h of m.helplines) text = replaceNumber(text, h, HELPLINE_WORD);
  const tokens = m.tokenizer.tokenize(text);
  const matches = longestFirst(findPhrases(m.index, text, tokens, true));

  const found = new Set<MatchedIntent>();
  let help = false;
  let memo = false;
  let nothing = false;
  let negated = false;
  let pending: string[] = [];

  const act = (id: string, things: string[]) => {
    const own = things.map((t) => m.pairs.get(`${t}:${id}`)).filter((x) => x !== undefined);
    if (own.length) for (const x of own) found.add(x);
    else {
      const alone = m.pairs.get(`:${id}`);
      if (alone) found.add(alone);
    }
  };

  for (const match of matches) {
    const term = m.terms[match.group]!;
    const last = tokenAt(tokens, match.end - 1);
    if (term.kind === 'help') help = true;
    else if (term.kind === 'memo') memo = true;
    else if (term.kind === 'nothing') nothing = true;
    else if (term.kind === 'thing') {
      const next = tokens[last + 1];
      if (term.place && next && next.pos === '助詞' && m.g.place.has(next.surface)) continue;
      if (!pending.includes(term.id)) pending.push(term.id);
    } else {
      const status = actStatus(m, tokens, last);
      if (status === 'noun') continue;
      if (status === 'done') act(term.id, pending);
      else if (status === 'not_done') negated = true;
      pending = [];
    }
  }
  if (defaultAct && pending.length) act(defaultAct, pending);

  const contacted = found.delete('contacted');
  let unknown = found.delete('entered_unknown');
  // 「ギフトカードのコードを送った」 is the gift card's number, not an account's code.
  if (found.has('gift_card')) found.delete('code_sent');
  const intents = ACTION_INTENTS.filter((i) => found.has(i) && i !== 'nothing_done');
  // 「ギフトカードの番号を教えた」「カード番号を入力した」 say what was given.
  if (intents.some((i) => i.startsWith('entered_') || i === 'gift_card')) unknown = false;
  if (intents.length === 0 && !unknown && (found.has('nothing_done') || nothing || negated))
    intents.push('nothing_done');
  return { intents, enteredUnknown: unknown, help, memo, contacted };
}

type ActStatus = 'done' | 'not_done' | 'ignored' | 'noun';

/**
 * Whether an act was done: 入力した (done), 入力していない (not done), 入力してください / 入力する前 /
 * 送られてきた (ignored: asked, planned, or done by someone else), ログインがありました (a noun, not an act).
 */
function actStatus(m: IntentMatcher, tokens: Token[], last: number): ActStatus {
  let j = last + 1;
  if (tokens[last]!.pos === '名詞') {
    // 入力した / 入力はしていない / パスワード入力、 are acts; ログインの通知 / 電話がかかってきた are not.
    let k = j;
    const t = tokens[k];
    if (t && t.pos === '助詞' && m.g.topic.has(t.surface) && SURU.has(tokens[k + 1]?.base ?? '')) k++;
    const n = tokens[k];
    const acts = !n || n.pos === '記号' || SURU.has(n.base) || n.surface.startsWith('済');
    if (!acts) return 'noun';
    j = k;
  }
  const tail: Token[] = [];
  for (; j < tokens.length; j++) {
    const t = tokens[j]!;
    if (t.pos === '助動詞') tail.push(t);
    else if (
      t.pos === '動詞' &&
      (t.posDetail === '非自立' || t.posDetail === '接尾' || m.g.helpers.has(t.base))
    )
      tail.push(t);
    else if (t.pos === '助詞' && t.posDetail === '接続助詞' && TE.has(t.surface)) tail.push(t);
    else break;
  }
  const stop = tokens[j];
  // 送られてきた, 入力された: done to them, not by them. 入力させられた: made to, so done.
  const passiveAt = tail.findIndex((t) => PASSIVE.has(t.base) && t.posDetail === '接尾');
  if (passiveAt >= 0 && !tail.slice(0, passiveAt).some((t) => CAUSATIVE.has(t.base))) return 'ignored';
  if (tail.some((t) => m.g.notDone.has(t.base)) || (stop && m.g.notDone.has(stop.base))) return 'ignored';
  if (tail.some((t) => m.g.negation.has(t.base))) return 'not_done';
  return 'done';
}

/** Matches in text order, a longer match winning over any shorter one it overlaps. */
function longestFirst<T extends { start: number; end: number }>(matches: T[]): T[] {
  const byLength = [...matches].sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: T[] = [];
  for (const x of byLength) if (!kept.some((k) => x.start < k.end && k.start < x.end)) kept.push(x);
  return kept.sort((a, b) => a.start - b.start);
}

/** The index of the token covering a character offset. */
function tokenAt(tokens: Token[], offset: number): number {
  let lo = 0;
  let hi = tokens.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (tokens[mid]!.start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Replaces a number written on its own (not inside a longer number). */
function replaceNumber(text: string, number: string, by: string): string {
  const escaped = number.replace(/[.*+?^${}()|[\]\\#]/g, '\\$&');
  return text.replace(new RegExp(`(?<![\\d#])${escaped}(?!\\d)`, 'g'), by);
}
