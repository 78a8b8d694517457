// The catalogue of signal codes: every code the detector raises, with the step that raises it. Signal.code
// is typed by it (raising a code missing here is a type error), and start-up checks it against the rule
// files (checkSignalCodes): each code has an entry in rules/scoring.yaml, scoring.yaml weighs no code that
// nothing raises, and rules/lexicon.yaml's groups raise only 'words' codes. A new signal: add it here, give
// it a prior, severity and message in scoring.yaml, raise it in its step, run npm run fit.
import { RuleFileError } from '../rules/load.ts';
import type { RuleSet } from '../rules/schema.ts';

/** The step that raises a code. */
export type SignalKind =
  'link' | 'links' | 'sender' | 'phone' | 'words' | 'writing' | 'request' | 'message' | 'verdict';

export const SIGNALS = {
  // One link judged on its own (links.ts).
  userinfo_trick: 'link',
  ip_host: 'link',
  government_domain: 'link',
  translate_proxy: 'link',
  shortener: 'link',
  click_tracking: 'link',
  dynamic_dns: 'link',
  blog_hosting: 'link',
  free_hosting: 'link',
  file_host: 'link',
  risky_tld_high: 'link',
  risky_tld: 'link',
  risky_tld_subdomain: 'link',
  official_domain_embedded: 'link',
  homoglyph_domain: 'link',
  mixed_script_domain: 'link',
  punycode_domain: 'link',
  lookalike_domain: 'link',
  brand_in_subdomain: 'link',
  brand_in_host: 'link',
  brand_with_fragment: 'link',
  random_host: 'link',
  random_subdomain: 'link',
  echoed_subdomain: 'link',
  many_subdomains: 'link',
  fake_domain_prefix: 'link',
  www_inside: 'link',
  www_glued: 'link',
  japan_tag_host: 'link',
  login_subdomain: 'link',
  login_host: 'link',
  short_code_path: 'link',
  bare_query_token: 'link',
  chained_query_keys: 'link',
  front_page_query: 'link',
  random_path: 'link',
  domain_in_path: 'link',
  login_path: 'link',
  kit_path: 'link',
  email_in_url: 'link',
  brand_in_path: 'link',
  http_link: 'link',
  unusual_port: 'link',
  numeric_subdomain: 'link',
  infrastructure_host: 'link',
  japan_only_path: 'link',
  redirect_param: 'link',
  // The message's links against the claimed brand (message-links.ts).
  official_link: 'links',
  brand_domain_mismatch: 'links',
  brand_hidden_link: 'links',
  link_text_mismatch: 'links',
  too_many_links: 'links',
  masked_link: 'links',
  // The sender and the mail headers (senders.ts).
  sender_lookalike: 'sender',
  free_mail_sender: 'sender',
  sender_not_official: 'sender',
  reply_to_mismatch: 'sender',
  return_path_mismatch: 'sender',
  message_id_mismatch: 'sender',
  auth_fail: 'sender',
  // Phone numbers (phones.ts).
  official_sender_number: 'phone',
  international_phone: 'phone',
  ip_phone_contact: 'phone',
  mobile_contact: 'phone',
  masked_number: 'phone',
  // Phrases of rules/lexicon.yaml: a group names one of these as its signal (language.ts).
  account_problem: 'words',
  acquaintance_opener: 'words',
  attachment_open: 'words',
  button_prompt: 'words',
  cash_giveaway: 'words',
  keep_using: 'words',
  public_notice: 'words',
  app_install: 'words',
  billing_notice: 'words',
  callback_bait: 'words',
  callback_request: 'words',
  card_request: 'words',
  carrier_billing: 'words',
  code_request: 'words',
  credential_request: 'words',
  delivery_failure: 'words',
  emoney_purchase: 'words',
  fee_to_receive: 'words',
  generic_greeting: 'words',
  gift_card: 'words',
  importance: 'words',
  info_update: 'words',
  investment_lure: 'words',
  line_invite: 'words',
  link_prompt: 'words',
  mailbox_quota: 'words',
  money_transfer_request: 'words',
  official_app: 'words',
  payment_problem: 'words',
  personal_data_request: 'words',
  points_expiring: 'words',
  police_claim: 'words',
  prize_offer: 'words',
  refund_offer: 'words',
  reply_request: 'words',
  romance_opener: 'words',
  scam_warning_bulletin: 'words',
  security_alert: 'words',
  side_job_offer: 'words',
  support_alert: 'words',
  tax_topic: 'words',
  threat: 'words',
  unpaid_bill: 'words',
  urgency: 'words',
  usage_check: 'words',
  // How the words are written (language.ts).
  email_as_name: 'writing',
  empty_name: 'writing',
  simplified_chinese: 'writing',
  chinese_font: 'writing',
  broken_japanese: 'writing',
  katakana_hyphen: 'writing',
  homoglyph_text: 'writing',
  // A brand name written with look-alike letters (disguised-names.ts, found by the brand step).
  brand_name_disguised: 'writing',
  odd_punctuation: 'writing',
  // Where the requests lead and what that makes of the words (requests.ts).
  brand_claim: 'request',
  brand_never_does: 'request',
  brand_pressure: 'request',
  pressure_with_link: 'request',
  callback_unknown_number: 'request',
  official_channels_only: 'request',
  // The message as a whole (message-signs.ts).
  bidi_control: 'message',
  hidden_characters: 'message',
  truncated: 'message',
  text_only: 'message',
  one_time_code_notice: 'message',
  named_recipient: 'message',
  sender_authenticated: 'message',
  // Added by the score itself (score.ts).
  no_content: 'verdict',
  unverified_site: 'verdict',
} as const satisfies Record<string, SignalKind>;

export type SignalCode = keyof typeof SIGNALS;

export function isSignalCode(code: string): code is SignalCode {
  return Object.hasOwn(SIGNALS, code);
}

/**
 * Checks the catalogue against scoring.yaml and lexicon.yaml (a code scoring.yaml lacks would be dropped
 * from every verdict without a word; one it weighs but nothing raises is a typo or a leftover). Returns the
 * signal of each lexicon group, typed.
 */
export function checkSignalCodes(rules: RuleSet): SignalCode[] {
  const scored = rules.scoring.signals;
  const missing = Object.keys(SIGNALS).filter((code) => !Object.hasOwn(scored, code));
  if (missing.length)
    throw new RuleFileError(
      'rules/scoring.yaml',
      missing.map(
        (code) => `signals.${code}: missing; the detector raises "${code}" (src/detector/signals.ts)`,
      ),
    );
  const unknown = Object.keys(scored).filter((code) => !isSignalCode(code));
  if (unknown.length)
    throw new RuleFileError(
      'rules/scoring.yaml',
      unknown.map((code) => `signals.${code}: no step raises "${code}" (not in src/detector/signals.ts)`),
    );
  return rules.lexicon.groups.map((g, i) => {
    if (!isSignalCode(g.signal) || SIGNALS[g.signal] !== 'words')
      throw new RuleFileError('rules/lexicon.yaml', [
        `groups.${i}.signal: "${g.signal}" is not a words signal of src/detector/signals.ts`,
      ]);
    return g.signal;
  });
}
