// The requests step: where the message's requests lead (actions.ts), and what that makes of its words.
// A known name, something that makes you anxious and a request that leads somewhere the brand does not
// own is the classic build of a phishing message; the same words with every request on the brand's own
// channels, or in a warning about scams, are the organisation's own.
import type { Compiled, CompiledBrand } from './compile.ts';
import { ownLabels } from './hosts.ts';
import { governmentZone } from './government-domains.ts';
import { isBrandsOwnName } from './links.ts';
import type { Extracted } from './extract.ts';
import type { LinkAnalysis } from './links.ts';
import type { Claim } from './brands.ts';
import type { Words } from './language.ts';
import { channels, HIDDEN_BUTTON, officialOnly, type Channels } from './actions.ts';
import { ownChannelNamed } from './official-apps.ts';
import { asksTheReader } from './bulletins.ts';
import type { Signal, VerdictEmail, VerdictPhone } from './types.ts';

export interface RequestInput {
  ex: Extracted;
  /** Length of the normalised text: a long one is a mail even without headers. */
  textLength: number;
  claim: Claim;
  /** Links the message wants you to open (not bare names in the prose). */
  realLinks: LinkAnalysis[];
  phones: VerdictPhone[];
  emails: VerdictEmail[];
  words: Words;
}

export interface Requests {
  ch: Channels;
  /** Every request leads to the named organisation's own channels. */
  onlyOfficial: boolean;
  /** Nothing to open, call or answer: a subject line, or a message whose link the source cut off. */
  noAction: boolean;
  /** Nothing shown to open, call or answer (a button pointed at but not shown is such a cut link too): the
   * words alone never make 危険. */
  noVisibleRequest: boolean;
  /** A number to call about something alarming. */
  callback: boolean;
  /** The first number that is no brand's own. */
  unknownNumber: VerdictPhone | undefined;
  /** A link to somewhere neither the organisation's nor a public body's, or a link the source hid. */
  strangerLink: boolean;
  /** A warning about scams (its words read without the scam's words it quotes), asking the reader for nothing. */
  bulletin: boolean;
}

/** Signs that only weigh together with pressure and a request that leads away from the official channel
 * (「こちら」 pointing at the brand's own link is no sign either). */
const NEEDS_UNOFFICIAL = new Set(['brand_pressure', 'pressure_with_link', 'brand_never_does', 'link_prompt']);

/** Words that tell a scam's story: in a bulletin or an official notice they are the organisation's own words. */
const STORY = new Set([
  'police_claim',
  'side_job_offer',
  'investment_lure',
  'romance_opener',
  'acquaintance_opener',
  'support_alert',
  'callback_bait',
  'callback_unknown_number',
]);

/** Who owns a public body's site (go.jp, lg.jp, pref.chiba.jp), in the reason that names the channels. */
const PUBLIC_BODY = '国や自治体';

/** Stories that, told with nothing but a number to call, are callback bait. */
const CALLBACK_STORIES = new Set(['account_suspension', 'unpaid_bill', 'callback', 'prize', 'info_update']);

/** Signs from where the requests lead, pushed after the words' own signs (which are already in `signals`). */
export function requestSigns(c: Compiled, m: RequestInput, signals: Signal[]): Requests {
  const { ex, realLinks, phones } = m;
  const { brand, claimedInText } = m.claim;
  const { lang } = m.words;
  // A warning's own words never ask you for data, money or a code: asked, it is a scam borrowing its phrases.
  const bulletin = m.words.bulletin && !asksTheReader(ex.prose, lang.signals);
  if (m.words.bulletin && !bulletin)
    lang.signals = lang.signals.filter((s) => s.code !== 'scam_warning_bulletin');
  // The brand's own app or member site named as the place to check, or the brand itself as the one to ask.
  const own = brand ? ownChannelNamed(brand, ex.prose) : null;
  if (own) lang.signals.push({ code: 'official_app', vars: { evidence: own } });
  const ch = channels({
    brand,
    links: realLinks,
    masked: ex.masked.length,
    phones,
    emails: m.emails.filter(
      (e) => !(brand && e.address === ex.headers?.from?.address && ownNamed(c, brand, e.domain)),
    ),
    senderImitation: m.claim.senderImitation !== null,
    signals: lang.signals,
    appStores: c.sets.appStores,
    publicSite: (host) => governmentZone(c, host) !== null,
  });
  // 「こちら」「ボタンをクリック」 beside a link shown is that link; only a button the text does not show is a sign.
  if (!ch.unofficial.includes(HIDDEN_BUTTON))
    lang.signals = lang.signals.filter((s) => s.code !== 'button_prompt');
  const onlyOfficial = officialOnly(ch);
  // A link that leads somewhere neither the organisation's nor a public body's, or one the source hid.
  const strangerLink =
    realLinks.some((l) => !ch.official.includes(l.hostUnicode) && !ch.neutral.includes(l.hostUnicode)) ||
    ex.masked.length > 0;
  const unofficialAct = ch.unofficial.length > 0;
  const pressing = lang.signals.some((s) => c.pressure.has(s.code));
  const noAction = ch.official.length === 0 && ch.unofficial.length === 0 && ch.neutral.length === 0;
  const noVisibleRequest = [...ch.official, ...ch.unofficial, ...ch.neutral].every(
    (x) => x === HIDDEN_BUTTON || x === 'official_app',
  );
  signals.push(...lang.signals);
  if (brand) {
    signals.push({ code: 'brand_claim', vars: {} });
    // A brand's "we never …" statement is about what a message asks you to do: it applies when a request
    // leads away from the brand's own channels, never to the brand's own mail.
    const channel = ex.headers || m.textLength > 400 ? 'mail' : 'sms';
    const statement = brand.rule.never_does.find(
      (s) =>
        lang.scenario !== null &&
        s.scenarios.includes(lang.scenario) &&
        (s.channels.includes('any') || s.channels.includes(channel)),
    );
    if (statement && unofficialAct && !bulletin)
      signals.push({ code: 'brand_never_does', vars: { evidence: statement.text } });
  }
  // The classic build of a phishing message: a known name, something that makes you anxious, and a
  // request that leads somewhere the brand does not own.
  if (pressing && (unofficialAct || noAction) && !bulletin) {
    // (A link that is not the brand's says so more precisely: brand_domain_mismatch, not both.)
    const mismatch = signals.some(
      (s) => s.code === 'brand_domain_mismatch' || s.code === 'brand_hidden_link',
    );
    if (brand && claimedInText && !mismatch) signals.push({ code: 'brand_pressure', vars: {} });
    if (strangerLink) signals.push({ code: 'pressure_with_link', vars: {} });
  }
  // "Call this number" about a registration or cancellation you never made.
  const unknownNumber = phones.find((p) => !p.codes.includes('official_sender_number'));
  // … told with something that alarms (a charge, a deadline, a threat), not a city's 「…までご連絡ください」.
  const callback =
    lang.signals.some((s) => s.code === 'callback_request' || s.code === 'callback_bait') &&
    lang.signals.some((s) => c.pressure.has(s.code) && s.code !== 'callback_request');
  if (unknownNumber && callback && !bulletin)
    signals.push({ code: 'callback_unknown_number', vars: { number: unknownNumber.number } });
  if (onlyOfficial) signals.push(officialChannelsSign(c, ch, brand, realLinks));
  return { ch, onlyOfficial, noAction, noVisibleRequest, callback, unknownNumber, strangerLink, bulletin };
}

/** 「リンク先や連絡先は、{brand} の公式のもの（…）だけです」: the channels shown, and whose they are. */
function officialChannelsSign(
  c: Compiled,
  ch: Channels,
  brand: CompiledBrand | null,
  realLinks: LinkAnalysis[],
): Signal {
  const shown = ch.official.map((o) =>
    o === 'official_app' ? '公式アプリ' : c.sets.appStores.has(o) ? `アプリストアの${o}` : o,
  );
  const brandOf = brand?.id ?? realLinks.find((l) => l.officialBrands.length)?.officialBrands[0] ?? '';
  const evidence = [...new Set(shown)].slice(0, 2).join('、');
  // A public body's site (never listed as one brand's) among the channels of a message from no company or from a
  // public body: they are the government's or the city's, not 「この会社」's nor only the named ministry's.
  const publicBody =
    realLinks.some((l) => l.government) && (!brandOf || brand?.rule.category === 'government');
  return {
    code: 'official_channels_only',
    vars: publicBody ? { evidence, brandOf, brand: PUBLIC_BODY } : { evidence, brandOf },
  };
}

/**
 * A sender domain registered under the claimed brand's own name on a mainstream ending (vpass.ne.jp for
 * 三井住友カード's Vpass): not proven official, but no stranger's address either, so no destination that leads
 * away from the brand (the sender step says nothing of it either).
 */
function ownNamed(c: Compiled, brand: CompiledBrand, domain: string): boolean {
  const labels = ownLabels(domain);
  const label = labels[labels.length - 1] ?? '';
  return (
    isBrandsOwnName(c, domain, labels) && brand.keywords.some((k) => k.text === label || k.compact === label)
  );
}

/**
 * With every request on the organisation's own channels, the alarming words are the brand's own; in a
 * warning that sends you to no stranger's link, they describe the scam it warns about.
 */
export function keptSigns(c: Compiled, signals: Signal[], req: Requests): Signal[] {
  // A genuine code notice tells you a code (「認証コード」 is its subject) and asks for nothing.
  const codeNotice = signals.some((s) => s.code === 'one_time_code_notice');
  return req.onlyOfficial || codeNotice || (req.bulletin && !req.strangerLink)
    ? signals.filter((s) => !c.pressure.has(s.code) && !NEEDS_UNOFFICIAL.has(s.code) && !STORY.has(s.code))
    : signals;
}

/** The story the words tell; nothing but a number to call about it makes it callback bait. */
export function scenarioOf(words: Words, req: Requests, realLinks: number): string | null {
  const scenario = words.lang.scenario;
  if (
    req.callback &&
    req.unknownNumber &&
    realLinks === 0 &&
    !req.bulletin &&
    (!scenario || CALLBACK_STORIES.has(scenario))
  )
    return 'callback';
  return scenario;
}
