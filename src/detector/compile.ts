// Turns the validated rule files into lookup structures, once at start-up: host indexes, alias lists,
// a phrase trie over dictionary forms, compiled regular expressions. Nothing here runs per message.
import type { RuleSet, BrandRule } from '../rules/schema.ts';
import type { Token, Tokenizer } from './tokenizer.ts';
import { makeSkeletons, asciiSkeleton, type Skeletons } from './lookalike.ts';
import { HostLetterModel } from './host-model.ts';

export interface CompiledBrand {
  id: string;
  name: string;
  rule: BrandRule;
  /** Aliases in lower case; ascii ones need word boundaries. */
  aliases: { text: string; ascii: boolean }[];
  keywords: { text: string; compact: string; skeleton: string }[];
  /** Official domains for links and for senders, most important first (for messages). */
  webDomains: string[];
  mailDomains: string[];
  senderDigits: Set<string>;
  senderNames: Set<string>;
}

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
  raw: Map<string, { text: string; group: number }[]>;
  sameAs: Map<string, string>;
  /** matchKey results by word: most words recur from message to message. Bounded (see keyOf). */
  keys: Map<string, MatchKey | null>;
}

type MatchKey = { base: string; surface: string };
const MAX_CACHED_KEYS = 50_000;

/** matchKey through the index's cache; the cache is simply emptied when full. */
function keyOf(index: PhraseIndex, t: Token): MatchKey | null {
  const id = `${t.surface}\u0000${t.base}\u0000${t.pos}`;
  let key = index.keys.get(id);
  if (key === undefined) {
    if (index.keys.size >= MAX_CACHED_KEYS) index.keys.clear();
    key = matchKey(t, index.sameAs);
    index.keys.set(id, key);
  }
  return key;
}

interface TrieNode {
  next: Map<string, TrieNode>;
  groups: number[];
}

export interface Compiled {
  rules: RuleSet;
  tokenizer: Tokenizer;
  brands: CompiledBrand[];
  brandById: Map<string, CompiledBrand>;
  /** host or domain → ids of brands that officially use it for links. */
  webIndex: Map<string, string[]>;
  mailIndex: Map<string, string[]>;
  /** Official domains written inside another host: "amazon.co.jp" and "amazon-co-jp". */
  embeddable: { text: string; brandId: string; domain: string }[];
  sets: {
    tldHigh: Set<string>;
    tldMedium: Set<string>;
    shorteners: Set<string>;
    /** The shorteners of domains.yaml, which are nothing but shorteners. */
    knownShorteners: Set<string>;
    dynamicDns: Set<string>;
    freeHosting: Set<string>;
    sharedPaths: Set<string>;
    translateProxies: Set<string>;
    commonLabels: Set<string>;
    /** Mailbox providers open to anyone (gmail.com, yahoo.co.jp, docomo.ne.jp). */
    freeMail: Set<string>;
    /** Zones only public bodies can register in (go.jp, lg.jp). */
    governmentZones: Set<string>;
    /** Blog services: anyone's diary, rarely a phishing page (hatenablog.com, ameblo.jp). */
    blogHosting: Set<string>;
    /** Services that serve anyone's files, forms or pages at a path (rules/hosts/sublime.yaml). */
    fileHosts: Set<string>;
    /** Bulk-mail click-tracking domains: a redirect that hides where the link goes. */
    clickTracking: Set<string>;
    socialProfiles: Set<string>;
  };
  hostModel: { model: HostLetterModel; threshold: number; strictThreshold: number; minLength: number };
  /** Abbreviations removed before judging whether a host name looks random, longest first. */
  wordPieces: string[];
  /** Signs that make a message pressing (scoring.yaml pressure). */
  pressure: Set<string>;
  loginWords: Set<string>;
  /** Log-in words that give a host away when they are part of its name (secure-login-update.example). */
  hostLoginWords: Set<string>;
  kitWords: string[];
  skeletons: Skeletons;
  /** Phrases as written, indexed by their first character, for plain substring matching. */
  lexicon: PhraseIndex;
  language: {
    simplified: Set<string>;
    brokenPhrases: { re: RegExp; note: string }[];
    katakanaHyphen: RegExp;
    chineseFonts: string[];
    /** Odd punctuation between Japanese words (see language.yaml). */
    oddPunctuation: RegExp;
  };
}

const ASCII_WORD = /^[\x20-\x7e]+$/;
const JAPANESE = '[\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Han}]';
const CASE_PARTICLES = new Set(['を', 'が', 'の', 'に', 'へ']);

export function compile(rules: RuleSet, tokenizer: Tokenizer): Compiled {
  const skeletons = makeSkeletons(rules.language.confusables, rules.language.ascii_lookalikes);
  const webIndex = new Map<string, string[]>();
  const mailIndex = new Map<string, string[]>();
  const add = (index: Map<string, string[]>, domain: string, id: string) => {
    const list = index.get(domain) ?? [];
    if (!list.includes(id)) list.push(id);
    index.set(domain, list);
  };
  const embeddable: Compiled['embeddable'] = [];
  const brands = rules.brands.map((b): CompiledBrand => {
    const webDomains: string[] = [];
    const mailDomains: string[] = [];
    for (const d of b.domains) {
      if (d.use.includes('web') || d.use.includes('short')) {
        add(webIndex, d.domain, b.id);
        webDomains.push(d.domain);
        // Only names long enough to be unmistakable: "amazon.co.jp" yes, "au.com" no.
        if (d.domain.length >= 8 && !d.use.includes('short')) {
          embeddable.push({ text: d.domain, brandId: b.id, domain: d.domain });
          embeddable.push({ text: d.domain.replaceAll('.', '-'), brandId: b.id, domain: d.domain });
        }
      }
      if (d.use.includes('mail')) {
        add(mailIndex, d.domain, b.id);
        mailDomains.push(d.domain);
      }
    }
    const senderDigits = new Set<string>();
    const senderNames = new Set<string>();
    for (const s of b.sms_senders) {
      const digits = s.sender.replace(/^\+81\s*/, '0').replace(/\D/g, '');
      if (digits.length >= 3 && /^[\d\s+()-]+$/.test(s.sender)) senderDigits.add(digits);
      else senderNames.add(s.sender.toLowerCase());
    }
    return {
      id: b.id,
      name: b.name,
      rule: b,
      aliases: [...new Set(b.aliases.map((a) => a.normalize('NFKC').toLowerCase()))].map((text) => ({
        text,
        ascii: ASCII_WORD.test(text),
      })),
      keywords: b.host_keywords.map((k) => ({
        text: k,
        compact: k.replaceAll('-', ''),
        skeleton: asciiSkeleton(k.replaceAll('-', ''), skeletons),
      })),
      webDomains,
      mailDomains,
      senderDigits,
      senderNames,
    };
  });

  const d = rules.domains;
  const h = rules.hostLists;
  const lang = rules.language;
  return {
    rules,
    tokenizer,
    brands,
    brandById: new Map(brands.map((b) => [b.id, b])),
    webIndex,
    mailIndex,
    embeddable,
    sets: {
      tldHigh: new Set(d.risky_tlds.high),
      tldMedium: new Set(d.risky_tlds.medium),
      shorteners: new Set([...d.shorteners, ...h.shorteners]),
      knownShorteners: new Set(d.shorteners),
      dynamicDns: new Set(d.dynamic_dns),
      freeHosting: new Set([...d.free_hosting, ...h.free_subdomain]),
      sharedPaths: new Set(d.shared_paths),
      translateProxies: new Set(d.translate_proxies),
      commonLabels: new Set(d.common_labels),
      freeMail: new Set(d.free_mail),
      blogHosting: new Set(d.blog_hosting),
      governmentZones: new Set(d.government_zones),
      fileHosts: new Set([...h.file_hosts, ...h.site_builders, ...h.link_pages]),
      clickTracking: new Set(h.click_tracking),
      socialProfiles: new Set(d.social_profile_hosts),
    },
    hostModel: {
      model: HostLetterModel.fromJSON(rules.hostModel),
      threshold: rules.hostModel.threshold,
      strictThreshold: rules.hostModel.strictThreshold,
      minLength: rules.hostModel.minLength,
    },
    wordPieces: [...d.word_pieces].sort((a, b) => b.length - a.length),
    pressure: new Set(rules.scoring.pressure),
    loginWords: new Set(d.login_path_words),
    hostLoginWords: new Set(d.login_host_words),
    kitWords: d.kit_path_words,
    skeletons,
    lexicon: compileLexicon(rules, tokenizer),
    language: {
      simplified: new Set(rules.simplifiedHan),
      brokenPhrases: lang.broken_phrases.map((p) => ({ re: new RegExp(p.pattern, 'gu'), note: p.note })),
      katakanaHyphen: new RegExp(lang.katakana_hyphen, 'gu'),
      chineseFonts: lang.chinese_fonts.map((f) => f.toLowerCase()),
      oddPunctuation: new RegExp(
        `(?<=${JAPANESE})(?:[${lang.odd_punctuation.join('')}]|[,.](?=${JAPANESE}))`,
        'u',
      ),
    },
  };
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

function compileLexicon(rules: RuleSet, tokenizer: Tokenizer): PhraseIndex {
  return compilePhrases(
    rules.lexicon.groups.map((g) => [...g.ja, ...g.en]),
    tokenizer,
    rules.lexicon.same_as,
  );
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
  const raw = new Map<string, { text: string; group: number }[]>();
  phrases.forEach((list, group) => {
    for (const phrase of list) {
      const text = phrase.normalize('NFKC').toLowerCase();
      const bucket = raw.get(text[0]!) ?? [];
      bucket.push({ text, group });
      raw.set(text[0]!, bucket);
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
  return { trie, raw, sameAs, keys: new Map() };
}

/** Finds lexicon phrases in a text: on dictionary forms via the trie, and as plain substrings. */
export function matchPhrases(c: Compiled, text: string, tokens: Token[]): PhraseMatch[] {
  return findPhrases(c.lexicon, text, tokens);
}

/**
 * Finds compiled phrases in a text (tokens of that same text): on dictionary forms, and as written.
 * A phrase found twice with the same words counts once, unless `every` asks for each occurrence.
 */
export function findPhrases(index: PhraseIndex, text: string, tokens: Token[], every = false): PhraseMatch[] {
  const { trie, raw } = index;
  const found: PhraseMatch[] = [];
  const keys = tokens.map((t) => keyOf(index, t));
  const seen = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    if (!keys[i]) continue;
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
  const at = new Map<{ text: string; group: number }, number[]>();
  for (let i = 0; i < lower.length; i++) {
    for (const entry of raw.get(lower[i]!) ?? []) {
      const list = at.get(entry);
      if ((every || !list) && lower.startsWith(entry.text, i)) at.set(entry, [...(list ?? []), i]);
    }
  }
  for (const [{ text: phrase, group }, starts] of at) {
    for (const start of starts) {
      // ASCII phrases must stand as words: "login" not inside "loginess".
      if (/^[a-z]/.test(phrase) && start > 0 && /[a-z]/.test(lower[start - 1]!)) continue;
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

/** Brands whose official domain list covers `host` (the host itself or a parent domain). */
export function officialBrandsFor(index: Map<string, string[]>, host: string): string[] {
  let h = host;
  for (;;) {
    const ids = index.get(h);
    if (ids) return ids;
    const dot = h.indexOf('.');
    if (dot < 0) return [];
    h = h.slice(dot + 1);
  }
}

/** Whether `host` is `entry` or a subdomain of it, for any entry of the set; returns the entry. */
export function underAny(set: Set<string>, host: string): string | null {
  let h = host;
  for (;;) {
    if (set.has(h)) return h;
    const dot = h.indexOf('.');
    if (dot < 0) return null;
    h = h.slice(dot + 1);
  }
}
