// Turns the validated rule files into lookup structures, once at start-up: host indexes, alias lists,
// a phrase trie over dictionary forms, compiled regular expressions. Nothing here runs per message.
import type { RuleSet, BrandRule } from '../rules/schema.ts';
import type { Tokenizer } from './tokenizer.ts';
import { compilePhrases, type PhraseIndex } from './phrases.ts';
import { FirstUnitIndex } from './first-unit-index.ts';
import { UnitBits } from './unit-bits.ts';
import { makeSkeletons, asciiSkeleton, type Skeletons } from './lookalike.ts';
import { HostLetterModel } from './host-model.ts';
import { checkSignalCodes, type SignalCode } from './signals.ts';
import { compileDisguises, type Disguises } from './disguised-names.ts';

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

/** One alias of one brand, for findMentions; seq is its place in the rules (brand order, then alias order). */
export interface BrandAlias {
  brand: CompiledBrand;
  text: string;
  ascii: boolean;
  seq: number;
}

export interface Compiled {
  rules: RuleSet;
  tokenizer: Tokenizer;
  brands: CompiledBrand[];
  /** Every brand alias by its first code unit. */
  aliasIndex: FirstUnitIndex<BrandAlias>;
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
    /** Names of mail and hosting machinery (mta-sts, autodiscover, cpanel …). */
    infrastructureLabels: Set<string>;
    numberedInfrastructureLabels: Set<string>;
    /** Parameters a site's own front page takes (q, page, lang, utm_ …). */
    frontPageQueryKeys: Set<string>;
    /** Mailbox providers open to anyone (gmail.com, yahoo.co.jp, docomo.ne.jp). */
    freeMail: Set<string>;
    /** Zones only public bodies can register in (go.jp, lg.jp). */
    governmentZones: Set<string>;
    /** First labels of a registrable name only a local government holds (pref, city …), and the .jp
     * organisation types they are not under. */
    localGovernmentLabels: Set<string>;
    jpOrganisationTypes: Set<string>;
    /** Blog services: anyone's diary, rarely a phishing page (hatenablog.com, ameblo.jp). */
    blogHosting: Set<string>;
    /** Services that serve anyone's files, forms or pages at a path (rules/hosts/sublime.yaml). */
    fileHosts: Set<string>;
    /** Bulk-mail click-tracking domains: a redirect that hides where the link goes. */
    clickTracking: Set<string>;
    socialProfiles: Set<string>;
    appStores: Set<string>;
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
  /** Brand names written with look-alike letters (disguised-names.ts). */
  disguises: Disguises;
  /** Phrases as written, indexed by their first character, for plain substring matching. */
  lexicon: PhraseIndex;
  /** The signal each lexicon group raises (checked against the catalogue). */
  lexiconSignals: SignalCode[];
  language: {
    simplified: Set<string>;
    /** The same characters as a table by code unit, for those in the BMP (1 = simplified-only). */
    simplifiedBmp: UnitBits;
    brokenPhrases: { re: RegExp; note: string }[];
    katakanaHyphen: RegExp;
    chineseFonts: string[];
    /** Odd punctuation between Japanese words (see language.yaml). */
    oddPunctuation: RegExp;
  };
}

const ASCII_WORD = /^[\x20-\x7e]+$/;
const JAPANESE = '[\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Han}]';

export function compile(rules: RuleSet, tokenizer: Tokenizer): Compiled {
  const lexiconSignals = checkSignalCodes(rules);
  const skeletons = makeSkeletons(rules.language.confusables, rules.language.ascii_lookalikes);
  const { brands, webIndex, mailIndex, embeddable } = compileBrands(rules, skeletons);

  const d = rules.domains;
  const h = rules.hostLists;
  const lang = rules.language;
  return {
    rules,
    tokenizer,
    brands,
    aliasIndex: indexAliases(brands),
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
      infrastructureLabels: new Set(d.infrastructure_labels),
      numberedInfrastructureLabels: new Set(d.numbered_infrastructure_labels),
      frontPageQueryKeys: new Set(d.front_page_query_keys),
      freeMail: new Set(d.free_mail),
      blogHosting: new Set(d.blog_hosting),
      governmentZones: new Set(d.government_zones),
      localGovernmentLabels: new Set(d.local_government_domains.labels),
      jpOrganisationTypes: new Set(d.local_government_domains.not_under),
      fileHosts: new Set([...h.file_hosts, ...h.site_builders, ...h.link_pages]),
      clickTracking: new Set(h.click_tracking),
      socialProfiles: new Set(d.social_profile_hosts),
      appStores: new Set(d.app_stores),
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
    disguises: compileDisguises(brands, skeletons, rules.language.kanji_lookalikes),
    lexicon: compileLexicon(rules, tokenizer),
    lexiconSignals,
    language: {
      simplified: new Set(rules.simplifiedHan),
      simplifiedBmp: bmpTable(rules.simplifiedHan),
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

/** Brands with their aliases, keywords and sender numbers, and the indexes of their official domains. */
function compileBrands(
  rules: RuleSet,
  skeletons: Skeletons,
): Pick<Compiled, 'brands' | 'webIndex' | 'mailIndex' | 'embeddable'> {
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
  return { brands, webIndex, mailIndex, embeddable };
}

function bmpTable(chars: string): UnitBits {
  const table = new UnitBits();
  for (const ch of chars) if (ch.length === 1) table.add(ch.charCodeAt(0));
  return table;
}

function indexAliases(brands: CompiledBrand[]): FirstUnitIndex<BrandAlias> {
  const index = new FirstUnitIndex<BrandAlias>();
  let seq = 0;
  for (const brand of brands)
    for (const { text, ascii } of brand.aliases)
      if (text.length > 0) index.add(text.charCodeAt(0), { brand, text, ascii, seq: seq++ });
  return index;
}

function compileLexicon(rules: RuleSet, tokenizer: Tokenizer): PhraseIndex {
  return compilePhrases(
    rules.lexicon.groups.map((g) => [...g.ja, ...g.en]),
    tokenizer,
    rules.lexicon.same_as,
  );
}
