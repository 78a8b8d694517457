// zod schemas for every file in rules/. A rule file that does not match stops start-up with
// the file, the path inside it and what is wrong (see load.ts).
import { z } from 'zod';

const httpsUrl = z.url({ protocol: /^https?$/ });
/** A host or registrable domain in lower case ASCII (punycode), e.g. "amazon.co.jp" or "s.vpass.jp". */
const hostName = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/, 'lower-case host name');

export const DomainUse = z.enum(['web', 'mail', 'short']);

export const BrandDomain = z.strictObject({
  /** The host or domain; every subdomain of it counts as official too. */
  domain: hostName,
  /** web = links, mail = sender addresses, short = the brand's own short-link domain. */
  use: z.array(DomainUse).min(1),
  /** The official page this fact was read from. */
  source: httpsUrl,
  note: z.string().optional(),
});

export const SmsSender = z.strictObject({
  /** A phone number or sender name as it appears on the phone. */
  sender: z.string().min(2),
  source: httpsUrl,
  note: z.string().optional(),
});

export const BrandStatement = z.strictObject({
  /** What the brand says it never does, in plain Japanese, quoted or closely paraphrased. */
  text: z.string().min(5),
  /** Scenarios the statement applies to (see lexicon.yaml scenarios). */
  scenarios: z.array(z.string()).min(1),
  /** Channels the statement applies to. */
  channels: z.array(z.enum(['sms', 'mail', 'any'])).min(1),
  source: httpsUrl,
});

export const Brand = z.strictObject({
  /** Stable id used in the verdict JSON (lower case, a-z0-9_). */
  id: z.string().regex(/^[a-z0-9_]+$/),
  /** Name shown to the user. */
  name: z.string().min(1),
  category: z.enum([
    'shopping',
    'card',
    'bank',
    'securities',
    'carrier',
    'delivery',
    'government',
    'utility',
    'transport',
    'payment',
    'tech',
    'media',
    'isp',
  ]),
  /** Words in a message that claim to come from this brand (matched case-insensitively after NFKC). */
  aliases: z.array(z.string().min(2)).min(1),
  /** ASCII strings that, found inside a host that is not official, imitate this brand. */
  host_keywords: z.array(z.string().regex(/^[a-z0-9-]{3,}$/)).default([]),
  domains: z.array(BrandDomain).min(1),
  sms_senders: z.array(SmsSender).default([]),
  /** How to check safely without the message's link (shown as advice). */
  official_check: z.strictObject({ text: z.string().min(5), source: httpsUrl }).optional(),
  never_does: z.array(BrandStatement).default([]),
});

export const BrandsFile = z.strictObject({ brands: z.array(Brand).min(1) });

export type BrandRule = z.infer<typeof Brand>;

// ---- domains.yaml ----
const hostList = z.array(hostName);
export const DomainsFile = z.strictObject({
  risky_tlds: z.strictObject({ high: z.array(z.string()), medium: z.array(z.string()) }),
  shorteners: hostList,
  dynamic_dns: hostList,
  free_hosting: hostList,
  shared_paths: hostList,
  translate_proxies: hostList,
  common_labels: z.array(z.string()),
  login_path_words: z.array(z.string().min(2)),
  kit_path_words: z.array(z.string().min(2)),
  login_host_words: z.array(z.string().regex(/^[a-z0-9]{4,}$/)),
  free_mail: hostList,
  word_pieces: z.array(z.string().regex(/^[a-z0-9]+$/)),
});

// ---- data/host-letter-model.json (built by scripts/build-host-model.ts) ----
export const HostModelFile = z.strictObject({
  alphabet: z.string(),
  logprobs: z.string().min(100),
  threshold: z.number(),
  strictThreshold: z.number(),
  minLength: z.number().int().min(3),
});

// ---- lexicon.yaml ----
export const LexiconGroup = z.strictObject({
  signal: z.string(),
  scenario: z.string().optional(),
  ja: z.array(z.string().min(1)).default([]),
  en: z.array(z.string().min(2)).default([]),
});
export const LexiconFile = z.strictObject({
  same_as: z.record(z.string(), z.string()).default({}),
  groups: z.array(LexiconGroup).min(1),
});

// ---- scoring.yaml ----
export const Severity = z.enum(['high', 'medium', 'low', 'info']);
export const SignalRule = z.strictObject({
  weight: z.number().min(0).max(1),
  severity: Severity,
  message: z.string().min(5),
});
export const ScoringFile = z.strictObject({
  thresholds: z.strictObject({ high: z.number().min(1).max(100), medium: z.number().min(1).max(100) }),
  dampers: z.strictObject({
    all_official: z.number().min(0).max(1),
    authenticated_official: z.number().min(0).max(1),
    otp_notice: z.number().min(0).max(1),
    named_recipient: z.number().min(0).max(1),
  }),
  official_cap: z.number().min(0).max(100),
  max_repeats: z.number().int().min(1).max(5),
  pressure: z.array(z.string()),
  signals: z.record(z.string().regex(/^[a-z0-9_]+$/), SignalRule),
});

// ---- language.yaml ----
const regexSource = z.string().refine(
  (s) => {
    try {
      new RegExp(s, 'u');
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not a valid regular expression' },
);
export const LanguageFile = z.strictObject({
  simplified_min_chars: z.number().int().min(1),
  chinese_fonts: z.array(z.string().min(2)),
  broken_phrases: z.array(z.strictObject({ pattern: regexSource, note: z.string() })),
  katakana_hyphen: regexSource,
  odd_punctuation: z.array(z.string().length(1)),
  confusables: z.record(z.string().length(1), z.string().regex(/^[a-z]$/)),
  ascii_lookalikes: z.record(z.string().min(1).max(2), z.string().regex(/^[a-z]$/)),
});

// ---- advice.yaml ----
export const AdviceFile = z.strictObject({
  by_risk: z.strictObject({
    high: z.array(z.string()),
    medium: z.array(z.string()),
    low: z.array(z.string()),
    unknown: z.array(z.string()),
  }),
  generic_check: z.string(),
  by_scenario: z.record(z.string(), z.string()),
  mail_checklist: z.string(),
});

export type DomainsRules = z.infer<typeof DomainsFile>;
export type LexiconRules = z.infer<typeof LexiconFile>;
export type ScoringRules = z.infer<typeof ScoringFile>;
export type LanguageRules = z.infer<typeof LanguageFile>;
export type AdviceRules = z.infer<typeof AdviceFile>;

/** Everything in rules/, validated. */
export interface RuleSet {
  brands: BrandRule[];
  domains: DomainsRules;
  lexicon: LexiconRules;
  scoring: ScoringRules;
  language: LanguageRules;
  advice: AdviceRules;
  /** Han characters only used in simplified Chinese (rules/data/simplified-only-han.txt). */
  simplifiedHan: string;
  hostModel: z.infer<typeof HostModelFile>;
}
