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
    'lender',
    'game',
  ]),
  /** Words in a message that claim to come from this brand (matched case-insensitively after NFKC). */
  aliases: z.array(z.string().min(2)).min(1),
  /** ASCII strings that, found inside a host that is not official, imitate this brand. */
  host_keywords: z.array(z.string().regex(/^[a-z0-9-]{3,}$/)).default([]),
  domains: z.array(BrandDomain).min(1),
  sms_senders: z.array(SmsSender).default([]),
  /** The brand's own apps and member sites; a message that sends you there sends you to an official channel. */
  apps: z
    .array(z.strictObject({ name: z.string().min(2), source: httpsUrl, note: z.string().optional() }))
    .default([]),
  /** How to check safely without the message's link (shown as advice). */
  official_check: z.strictObject({ text: z.string().min(5), source: httpsUrl }).optional(),
  never_does: z.array(BrandStatement).default([]),
  /** A messenger people use with each other (LINE): its name as the way to talk (「LINEで連絡」「こちらのLINE」)
   * is no claim to be the company. */
  messenger: z.boolean().default(false),
});

export const BrandsFile = z.strictObject({ brands: z.array(Brand).min(1) });

export type BrandRule = z.infer<typeof Brand>;

// ---- domains.yaml ----
const hostList = z.array(hostName);
export const DomainsFile = z.strictObject({
  risky_tlds: z.strictObject({ high: z.array(z.string()), medium: z.array(z.string()) }),
  government_zones: hostList,
  /** Registrable names only local governments hold in the geographic .jp space (pref.chiba.jp, city.naha.okinawa.jp). */
  local_government_domains: z.strictObject({
    labels: z.array(z.string().regex(/^[a-z]+$/)).min(1),
    not_under: hostList,
  }),
  shorteners: hostList,
  dynamic_dns: hostList,
  free_hosting: hostList,
  blog_hosting: hostList,
  shared_paths: hostList,
  translate_proxies: hostList,
  common_labels: z.array(z.string()),
  infrastructure_labels: z.array(z.string()),
  numbered_infrastructure_labels: z.array(z.string()),
  /** Query parameters a site's front page takes (search, page, language, campaign tags). */
  front_page_query_keys: z.array(z.string().regex(/^[a-z0-9_]+$/)),
  login_path_words: z.array(z.string().min(2)),
  kit_path_words: z.array(z.string().min(2)),
  login_host_words: z.array(z.string().regex(/^[a-z0-9]{4,}$/)),
  free_mail: hostList,
  /** Social networks where brands keep their own accounts (a link there is not a brand mismatch). */
  social_profile_hosts: hostList.default([]),
  /** App stores: a brand with its own app may link to that app's page there. */
  app_stores: hostList.default([]),
  word_pieces: z.array(z.string().regex(/^[a-z0-9]+$/)),
});

// ---- hosts/sublime.yaml (lists of services anyone can use, from sublime-security/static-files) ----
export const HostListsFile = z.strictObject({
  free_subdomain: hostList,
  shorteners: hostList,
  file_hosts: hostList,
  site_builders: hostList,
  link_pages: hostList,
  click_tracking: hostList,
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
  /** Hand-set starting belief (log-odds); npm run fit keeps the weight near it unless the data disagrees. */
  prior: z.number().min(-20).max(20).optional(),
  /** A rule, not a fitted weight: npm run fit leaves weight = prior (for signs the data cannot speak for). */
  fixed: z.boolean().optional(),
  /** Log-odds the sign adds (fitted by npm run fit); negative for signs of a genuine message. */
  weight: z.number().min(-20).max(20),
  /**
   * Log-odds when the message is nothing but a link (fitted on the URL sets): a short link alone and one inside
   * a company's message mean different things. Absent: weight.
   */
  alone: z.number().min(-20).max(20).optional(),
  severity: Severity,
  message: z.string().min(5),
});
export const ScoringFile = z.strictObject({
  /** Log-odds of a message with no sign at all (fitted). */
  bias: z.number().min(-20).max(20),
  thresholds: z.strictObject({ high: z.number().min(1).max(100), medium: z.number().min(1).max(100) }),
  /** What the fit saw and measured (written by npm run fit; informative only). */
  fitted: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  official_cap: z.number().min(0).max(100),
  /** A message that asks nothing of you (no link, number, reply, code or payment) is at most this. */
  no_request_cap: z.number().min(0).max(100).default(100),
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
  /** A letter of a Japanese brand name → letters that look the same (天 → 夫, ト → 卜). */
  kanji_lookalikes: z.record(z.string().length(1), z.array(z.string().length(1)).min(1)).default({}),
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
  /** For a link the bot cannot vouch for (risk unknown with unverified_site). */
  unverified_site: z.array(z.string()).optional(),
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
  /** rules/hosts/sublime.yaml */
  hostLists: z.infer<typeof HostListsFile>;
  lexicon: LexiconRules;
  scoring: ScoringRules;
  language: LanguageRules;
  advice: AdviceRules;
  /** Han characters only used in simplified Chinese (rules/data/simplified-only-han.txt). */
  simplifiedHan: string;
  hostModel: z.infer<typeof HostModelFile>;
}

// ---- contacts.yaml ----
const ruleId = z.string().regex(/^[a-z0-9_]+$/, 'lower-case id (a-z, 0-9, _)');
const yearMonth = z.string().regex(/^\d{4}-\d{2}$/, 'year-month like "2026-11"');

export const ContactKind = z.enum([
  'general',
  'police',
  'consumer',
  'report',
  'carrier_spam',
  'carrier_billing',
  'card_lost',
  'bank_fraud',
  'gift_card',
  'account_security',
  'delivery_check',
  'device',
]);

export const Contact = z.strictObject({
  id: ruleId,
  /** Shown to the person. */
  name: z.string().min(2),
  kind: ContactKind,
  /** An id of rules/brands.yaml when the contact belongs to one brand. */
  brand: ruleId.optional(),
  /** Only as printed on the source page: "188", "#9110", "0120-543-555". */
  phone: z
    .string()
    .regex(/^(?:#\d{4}|1\d{2}|0\d{1,4}-\d{2,4}-\d{3,4})$/, 'phone number like 188, #9110 or 0120-000-000')
    .optional(),
  email: z.email().optional(),
  url: httpsUrl.optional(),
  hours: z.string().min(2).optional(),
  /** What the person can do there, in plain Japanese (です・ます). */
  note: z.string().min(5),
  /** The official page every fact of this entry was read on. */
  source: httpsUrl,
  /** The date printed on the source page, when it had one. */
  source_date: yearMonth.optional(),
  /** When the source was read. */
  verified: yearMonth,
});

export const ContactsFile = z.strictObject({ contacts: z.array(Contact).min(1) });
export type ContactRule = z.infer<typeof Contact>;

// ---- intents.yaml and playbooks.yaml (the "what do I do now?" guide, src/guide/) ----

/** What a person may have done, most damaging first; each has a playbook. */
export const ACTION_INTENTS = [
  'money_sent',
  'gift_card',
  'code_sent',
  'entered_bank',
  'entered_card',
  'app_installed',
  'entered_password',
  'carrier_billing',
  'entered_personal',
  'called_number',
  'replied',
  'opened_link',
  'nothing_done',
] as const;
export const ActionIntent = z.enum(ACTION_INTENTS);
export type ActionIntent = z.infer<typeof ActionIntent>;
/** What the words may also mean: entered something without saying what; contacted a helpline. */
export const MatchedIntent = z.enum([...ACTION_INTENTS, 'entered_unknown', 'contacted']);
export type MatchedIntent = z.infer<typeof MatchedIntent>;

const phraseList = z.array(z.string().trim().min(1)).min(1);

export const IntentsFile = z.strictObject({
  /** Spelling variants mapped to one dictionary form before matching (as in lexicon.yaml). */
  same_as: z.record(z.string(), z.string()).default({}),
  /** Things a person may have given away or touched. place: "on the site", "in the app" (に/で) is where, not what. */
  things: z.record(ruleId, z.strictObject({ place: z.boolean().default(false), ja: phraseList })),
  /** What a person may have done with them, by dictionary form. */
  acts: z.record(ruleId, phraseList),
  /** A thing and an act together (or an act with no thing: thing left out) mean an intent. */
  pairs: z.array(z.strictObject({ thing: ruleId.optional(), act: ruleId, intent: MatchedIntent })).min(1),
  /** Whole phrases with a meaning of their own. */
  phrases: z.strictObject({ help: phraseList, memo: phraseList, nothing_done: phraseList }),
  /** Typed instead of a step button; the whole message must be one of these (spaces and ？！。 ignored). */
  nav: z.strictObject({
    done: phraseList,
    next: phraseList,
    all: phraseList,
    restart: phraseList,
    resume: phraseList,
  }),
  /** Written as is in a forwarded message, not in what a person says about it. */
  forwarded: phraseList,
  /**
   * The person talking to the bot, not a message to check (src/conversation/turn.ts): a whole short
   * message that is a greeting or thanks, or a question about a message without the message.
   */
  turns: z.strictObject({
    greeting: phraseList,
    thanks: phraseList,
    ok: phraseList,
    /** Words of a question about a message (詐欺, 大丈夫 …) or a question ending (ですか, ？). */
    question: phraseList,
    question_endings: phraseList,
    /** Words pointing at an earlier message than the last one checked (最初の, 1つ目). */
    earlier: phraseList,
  }),
  /** Dictionary forms that follow an act. */
  grammar: z.strictObject({
    /** Turn the act into "did not" (入力していない, 開かなかった, 押さずに). */
    negation: phraseList,
    /** Show the act was not done: asked, wanted, planned (入力してください, 入力する前). */
    not_done: phraseList,
    /** Helper verbs that may sit between an act and its ending (している, してしまった). */
    helpers: phraseList,
    /** Particles after a noun act that still lead to する (入力は していない). */
    topic: phraseList,
    /** Particles after a "place" thing that make it where, not what (サイトに, アプリで). */
    place_particles: phraseList,
  }),
});
export type IntentRules = z.infer<typeof IntentsFile>;

/**
 * A step's words hold no phone number, address or link of their own: those come from contacts.yaml
 * through placeholders ({phone:consumer_hotline}), so each one has its official source.
 */
const stepText = z
  .string()
  .trim()
  .min(5)
  .refine((s) => !/https?:|www\.|@|(?<![a-z0-9-])[a-z0-9-]+\.(?:jp|com|net|org|go|co)\b/i.test(s), {
    message: 'links, domains and mail addresses come from contacts.yaml or brands.yaml placeholders',
  })
  .refine((s) => !/\d{3}|#\d|\d-\d/.test(s.replace(/\{[^{}]*\}/g, '')), {
    message: 'phone numbers come from contacts.yaml placeholders ({phone:id})',
  })
  .refine((s) => !/安全です|安心です|問題ありません/.test(s), { message: 'must not say 安全です' });

export const Step = z.strictObject({
  /** Lower runs first when playbooks are merged: money sent and stolen cards before everything else. */
  urgency: z.number().int().min(1).max(99),
  text: stepText,
  /** Used instead of text when the last verdict named a brand and every placeholder can be filled. */
  text_with_brand: stepText.optional(),
  /** What the 相談メモ says once the person marked the step done (past tense). */
  memo: z.string().trim().min(3),
  /** Shown under the step, from contacts.yaml. */
  contacts: z.array(ruleId).default([]),
  /** Entries of contacts.yaml the words rest on, not shown (their source pages back the step). */
  sources: z.array(ruleId).default([]),
  /** The contact the person has reached once the step is done (one of contacts): the 相談メモ lists it. */
  reached: ruleId.optional(),
  /** Steps that give the same instruction as this one: left out of a guide that has this step. */
  covers: z.array(ruleId).default([]),
  /** Left out when the person also did one of these (the check "did you enter anything?" after they said so). */
  unless: z.array(ActionIntent).default([]),
  /** Only after a 危険 or 注意 verdict (or none): a genuine notice is not reported or deleted. */
  warned_only: z.boolean().default(false),
});

export const ExtraStep = Step.extend({
  id: ruleId,
  /** The intents it belongs to; left out: every intent. */
  for: z.array(ActionIntent).min(1).optional(),
  /** A general step this one takes the place of. */
  replaces: ruleId.optional(),
});

export const PlaybooksFile = z.strictObject({
  /**
   * Most steps one guide shows (LINE readers give up on long lists). When several actions are
   * merged, each action's most urgent step is kept first, then the rest by urgency.
   */
  max_steps: z.number().int().min(3).max(8).default(6),
  steps: z.record(ruleId, Step),
  /** Per intent, the step ids in order. */
  playbooks: z.record(ActionIntent, z.array(ruleId).min(1)),
  /** Extra steps when the last verdict named this brand (an id of brands.yaml). */
  brands: z.record(ruleId, z.array(ExtraStep).min(1)).default({}),
  /** Extra steps for the story of the last verdict, when no brand step replaced them. */
  scenarios: z.record(ruleId, z.array(ExtraStep).min(1)).default({}),
});
export type PlaybookRules = z.infer<typeof PlaybooksFile>;
export type StepRule = z.infer<typeof Step>;

// ---- guide.yaml (the words of the step-by-step guide) ----
const copyLine = z
  .string()
  .trim()
  .min(1)
  .refine((s) => !/安全です|安心です|問題ありません/.test(s), { message: 'must not say 安全です' });
/** LINE allows 20 characters on a quick-reply button. */
const buttonLabel = z.string().trim().min(1).max(20);
const GuideOption = z
  .strictObject({
    /** Named in first_choices. */
    id: ruleId,
    label: buttonLabel,
    /** The intents a tap adds; or ask: the follow-up question to show instead. */
    intents: z.array(ActionIntent).min(1).optional(),
    ask: z.enum(['entered']).optional(),
  })
  .refine((o) => (o.intents === undefined) !== (o.ask === undefined), 'either intents or ask');

export const GuideFile = z.strictObject({
  buttons: z.strictObject({
    done: buttonLabel,
    next: buttonLabel,
    all: buttonLabel,
    restart: buttonLabel,
    memo: buttonLabel,
    more: buttonLabel,
    resume: buttonLabel,
    other: buttonLabel,
  }),
  ask: z.strictObject({
    what_happened: copyLine,
    what_happened_after_verdict: copyLine,
    what_entered: copyLine,
    more: copyLine,
    /** After 「その他」: every answer. */
    other: copyLine,
  }),
  options: z.strictObject({
    happened: z.array(GuideOption).min(2).max(12),
    entered: z.array(GuideOption).min(2).max(12),
  }),
  /**
   * The (at most 4) answers of 「何がありましたか？」 shown first, by what the message was; the others
   * are behind 「その他」. Ids of options.happened. A story (scenario) wins over link/phone.
   */
  first_choices: z.strictObject({
    default: z.array(ruleId).min(2).max(4),
    /** The message had a phone number to call and no link. */
    phone: z.array(ruleId).min(2).max(4),
    scenarios: z.record(ruleId, z.array(ruleId).min(2).max(4)).default({}),
  }),
  /** What the person did, as the intro and the 相談メモ say it. */
  intent_labels: z.record(ActionIntent, copyLine),
  /** The story of a message (the verdict's scenario), for the 相談メモ. */
  scenario_labels: z.record(ruleId, copyLine),
  service_fallback: copyLine,
  texts: z.strictObject({
    step_header: copyLine,
    step_done_mark: copyLine,
    contacts_heading: copyLine,
    contact_phone: copyLine,
    contact_hours: copyLine,
    contact_email: copyLine,
    intro_verdict: copyLine,
    intro_brand_part: copyLine,
    intro_actions: copyLine,
    intro_assumed: copyLine,
    /** After entering something on a page: close it first. */
    intro_close: copyLine,
    /** Only opened a link: reassurance, then the two checks. */
    intro_opened_only: copyLine,
    intro_steps: copyLine,
    added: copyLine,
    /** After added: the new action's most urgent step, when another step stays on screen. */
    added_first: copyLine,
    added_now: copyLine,
    resumed: copyLine,
    replaced: copyLine,
    expired: copyLine,
    contacted: copyLine,
    finished: copyLine,
    finished_open: copyLine,
    summary_heading: copyLine,
    summary_more: copyLine,
  }),
  memo: z.strictObject({
    title: copyLine,
    lead: copyLine,
    made_at: copyLine,
    arrived_heading: copyLine,
    arrived_when: copyLine,
    arrived_brand: copyLine,
    arrived_scenario: copyLine,
    arrived_verdict: copyLine,
    arrived_none: copyLine,
    did_heading: copyLine,
    did_none: copyLine,
    done_heading: copyLine,
    done_line: copyLine,
    done_none: copyLine,
    called_heading: copyLine,
    called_line: copyLine,
    called_line_phone: copyLine,
    footer: copyLine,
  }),
});
export type GuideCopy = z.infer<typeof GuideFile>;
