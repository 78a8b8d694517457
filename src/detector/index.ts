// The detector: text in, verdict out. Pure — no I/O, no network; the dictionary and the rules are
// loaded once by load.ts and handed in.
import { parse as parseDomain } from 'tldts';
import type { Compiled, CompiledBrand } from './compile.ts';
import { officialBrandsFor, underAny } from './hosts.ts';
import { normalize, refang } from './normalize.ts';
import { extract, type Extracted, type MailAddress } from './extract.ts';
import { analyzeLink, isBrandsOwnName, keywordHit, type LinkAnalysis } from './links.ts';
import { analyzeLanguage } from './language.ts';
import { claimedBrand } from './brands.ts';
import { score, type ScoreInput } from './score.ts';
import { channels, officialOnly } from './actions.ts';
import type { Signal, Verdict, VerdictEmail, VerdictPhone, VerdictUrl } from './types.ts';

export type { Verdict } from './types.ts';
export type { ScoreInput } from './score.ts';

/** Longer input is cut: phishing messages are short, and the cut keeps every message fast. */
export const MAX_CHARS = 30_000;
/** Language analysis reads at most this much (a 20 KB mail body fits). */
const MAX_PROSE = 20_000;

/** Signs that only weigh together with pressure and a request that leads away from the official channel. */
const NEEDS_UNOFFICIAL = new Set(['brand_pressure', 'pressure_with_link', 'brand_never_does']);

/** A link as a mail's HTML shows it: the visible text, and where it really goes. */
export interface ShownLink {
  text: string;
  href: string;
}

/** What a message carries besides its text (a mail file's HTML links); the verdict format is the same. */
export interface AnalyzeExtra {
  links?: ShownLink[];
}

export interface Detector {
  analyze(text: string, extra?: AnalyzeExtra): Verdict;
}

/** The detector with its evidence open to inspection (npm run fit and npm run eval). */
export interface InspectableDetector extends Detector {
  /** The evidence the verdict is computed from. */
  inspect(text: string, extra?: AnalyzeExtra): ScoreInput;
  rules: Compiled['rules'];
}

export function createDetector(c: Compiled): InspectableDetector {
  return {
    analyze: (text, extra) => score(c, inspect(c, text, extra)),
    inspect: (text, extra) => inspect(c, text, extra),
    rules: c.rules,
  };
}

function inspect(c: Compiled, raw: string, extra: AnalyzeExtra = {}): ScoreInput {
  if (typeof raw !== 'string') raw = '';
  const norm = normalize(raw, MAX_CHARS);
  const ex = extract(refang(norm.text));
  const signals: Signal[] = [];

  const links = ex.urls.map((u) => analyzeLink(c, u.url, u.schemeless));
  let brand = claimedBrand(c, ex.prose, ex.headers);
  /** The text itself names the brand (not only a link that imitates it). */
  const claimedInText = brand !== null;
  const sender = ex.headers?.from ?? null;
  const senderImitation = sender?.domain ? imitatedBy(c, sender.domain) : null;
  // No name in the text: the brand a link or the sender imitates is the brand claimed.
  brand ??= firstBrand(c, [...links.map((l) => l.imitates), senderImitation?.brandId ?? null]);

  // --- links ---
  const urls: VerdictUrl[] = links.map((l) => {
    const official = (l.officialBrands.length > 0 && l.signals.length === 0) || l.government === true;
    if (l.government) signals.push(...l.signals);
    else if (official)
      signals.push({ code: 'official_link', vars: { host: l.hostUnicode, brandOf: l.officialBrands[0]! } });
    else if (brand && claimedInText && !underAny(c.sets.socialProfiles, l.host)) {
      const hidden = l.signals.some((s) => s.code === 'shortener');
      const mismatch: Signal = {
        code: hidden ? 'brand_hidden_link' : 'brand_domain_mismatch',
        vars: { domain: l.domain, host: l.host, official: officialList(brand.webDomains) },
      };
      // A link that imitates the very brand the text claims would give two reasons saying the same thing:
      // keep the stronger one.
      const imitation = l.imitates === brand.id ? l.signals.find((s) => IMITATION.has(s.code)) : undefined;
      if (imitation && weightOf(c, mismatch.code) > weightOf(c, imitation.code))
        l.signals.splice(l.signals.indexOf(imitation), 1);
      if (!imitation || weightOf(c, mismatch.code) > weightOf(c, imitation.code)) signals.push(mismatch);
    }
    if (!l.government) signals.push(...l.signals);
    const v: VerdictUrl = {
      url: l.url,
      host: l.host,
      domain: l.domain,
      official,
      codes: official && !l.government ? ['official_link'] : [...new Set(l.signals.map((s) => s.code))],
    };
    if (l.hostUnicode !== l.host) v.hostUnicode = l.hostUnicode;
    return v;
  });
  signals.push(...shownLinkMismatches(extra.links ?? []));
  if (ex.tooManyLinks) signals.push({ code: 'too_many_links', vars: { evidence: String(ex.urls.length) } });
  for (const m of ex.masked.slice(0, 1)) {
    signals.push({ code: 'masked_link', vars: { evidence: m.raw } });
    const dyn = m.visibleHost ? underAny(c.sets.dynamicDns, m.visibleHost) : null;
    if (dyn) signals.push({ code: 'dynamic_dns', vars: { host: m.raw, domain: dyn } });
  }

  // --- senders and headers ---
  const emails = emailFindings(c, ex, brand, senderImitation, signals);

  // --- phone numbers ---
  const phones: VerdictPhone[] = ex.phones.map((p) => {
    const codes: string[] = [];
    const owner = c.brands.find((b) => b.senderDigits.has(p.digits));
    if (owner) {
      codes.push('official_sender_number');
      signals.push({ code: 'official_sender_number', vars: { number: p.raw, brandOf: owner.id } });
    } else if (p.international) codes.push('international_phone');
    else if (p.digits.startsWith('050')) codes.push('ip_phone_contact');
    else if (/^0[789]0/.test(p.digits)) codes.push('mobile_contact');
    if (p.masked) codes.push('masked_number');
    for (const code of codes)
      if (code !== 'official_sender_number') signals.push({ code, vars: { number: p.raw } });
    return { number: p.raw, codes };
  });

  // --- the words ---
  let lang = analyzeLanguage(
    c,
    ex.prose.slice(0, MAX_PROSE),
    norm.text.slice(0, MAX_PROSE),
    raw.slice(0, MAX_PROSE),
  );
  // A warning about scams names the scam and tells you how to stay safe: two different phrases at least
  // (a lone 「ご注意ください」 is also how scams sign off). What it quotes in 「」 is the scam's wording, not its own.
  const warning = lang.signals.find((s) => s.code === 'scam_warning_bulletin');
  const bulletin = (warning?.count ?? 0) >= 2;
  if (bulletin) {
    const unquoted = ex.prose.slice(0, MAX_PROSE).replace(QUOTED, (q) => ' '.repeat(q.length));
    lang = analyzeLanguage(c, unquoted, norm.text.slice(0, MAX_PROSE), raw.slice(0, MAX_PROSE));
    lang.signals = lang.signals.filter((s) => s.code !== 'scam_warning_bulletin').concat(warning!);
  } else if (warning) lang.signals.splice(lang.signals.indexOf(warning), 1);
  const realLinks = links.filter((_, i) => !ex.urls[i]!.bare);
  const ch = channels({
    brand,
    links: realLinks,
    masked: ex.masked.length,
    phones,
    emails,
    senderImitation: senderImitation !== null,
    signals: lang.signals,
  });
  const onlyOfficial = officialOnly(ch);
  const unofficialAct = ch.unofficial.length > 0;
  const pressing = lang.signals.some((s) => c.pressure.has(s.code));
  /** Nothing to open, call or answer: a subject line, or a message whose link the source cut off. */
  const noAction = ch.official.length === 0 && ch.unofficial.length === 0;
  signals.push(...lang.signals);
  if (brand) {
    signals.push({ code: 'brand_claim', vars: {} });
    // A brand's "we never …" statement is about what a message asks you to do: it applies when a request
    // leads away from the brand's own channels, never to the brand's own mail.
    const channel = ex.headers || norm.text.length > 400 ? 'mail' : 'sms';
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
    if (realLinks.some((l) => !ch.official.includes(l.hostUnicode)) || ex.masked.length > 0)
      signals.push({ code: 'pressure_with_link', vars: {} });
  }
  // "Call this number" about a registration or cancellation you never made.
  const unknownNumber = phones.find((p) => !p.codes.includes('official_sender_number'));
  // … told with something that alarms (a charge, a deadline, a threat), not a city's 「…までご連絡ください」.
  const callback =
    lang.signals.some((s) => s.code === 'callback_request' || s.code === 'callback_bait') &&
    lang.signals.some((s) => c.pressure.has(s.code) && s.code !== 'callback_request');
  if (unknownNumber && callback && !bulletin)
    signals.push({ code: 'callback_unknown_number', vars: { number: unknownNumber.number } });
  if (onlyOfficial) {
    const shown = ch.official.map((o) => (o === 'official_app' ? '公式アプリ' : o));
    const brandOf = brand?.id ?? realLinks.find((l) => l.officialBrands.length)?.officialBrands[0] ?? '';
    signals.push({
      code: 'official_channels_only',
      vars: { evidence: [...new Set(shown)].slice(0, 2).join('、'), brandOf },
    });
  }
  if (norm.hadBidi) signals.push({ code: 'bidi_control', vars: {} });
  if (norm.hadZeroWidth) signals.push({ code: 'hidden_characters', vars: {} });
  if (norm.truncated)
    signals.push({ code: 'truncated', vars: { evidence: MAX_CHARS.toLocaleString('ja-JP') } });

  const hasContent = /[\p{L}\p{N}]{2,}/u.test(ex.prose.replace(/[xX○●〇*~]+/g, ' ')) || links.length > 0;
  const checkable = links.length + emails.length + ex.phones.length > 0;
  if (!checkable && hasContent) signals.push({ code: 'text_only', vars: {} });

  if (lang.otpNotice && realLinks.every((l) => ch.official.includes(l.hostUnicode)))
    signals.push({ code: 'one_time_code_notice', vars: {} });
  if (lang.namedRecipient) signals.push({ code: 'named_recipient', vars: {} });

  // Bare names in the prose ("Amazon.co.jp") are not links the message wants you to open: they neither
  // prove nor disprove anything.
  const realUrls = urls.filter((_, i) => !ex.urls[i]!.bare);
  const allOfficial =
    (realUrls.length > 0 || emails.some((e) => e.official)) &&
    realUrls.every((u) => u.official) &&
    emails.every((e) => e.official) &&
    !senderImitation;
  const authenticated =
    allOfficial &&
    !!ex.headers?.from?.domain &&
    ['spf', 'dkim', 'dmarc'].some((k) => ex.headers?.auth?.[k as 'spf'] === 'pass') &&
    !Object.values(ex.headers?.auth ?? {}).some((v) => v === 'fail' || v === 'softfail');
  if (authenticated) signals.push({ code: 'sender_authenticated', vars: {} });

  // With every request on the organisation's own channels, the alarming words are the brand's own; in a
  // warning that sends you to no stranger's link, they describe the scam it warns about.
  const strangerLink = realLinks.some((l) => !ch.official.includes(l.hostUnicode)) || ex.masked.length > 0;
  // A genuine code notice tells you a code (「認証コード」 is its subject) and asks for nothing.
  const codeNotice = signals.some((s) => s.code === 'one_time_code_notice');
  const kept =
    onlyOfficial || codeNotice || (bulletin && !strangerLink)
      ? signals.filter((s) => !c.pressure.has(s.code) && !NEEDS_UNOFFICIAL.has(s.code) && !STORY.has(s.code))
      : signals;
  let scenario = lang.scenario;
  if (
    callback &&
    unknownNumber &&
    realLinks.length === 0 &&
    !bulletin &&
    (!scenario || CALLBACK_STORIES.has(scenario))
  )
    scenario = 'callback';
  return {
    signals: kept,
    brand,
    scenario,
    urls,
    emails,
    phones,
    hasContent: hasContent || checkable,
    allOfficial: allOfficial || onlyOfficial,
    noRequest: noAction,
    isMail: ex.headers !== null,
    unverifiedDomain: realUrls.find((u) => !u.official)?.domain ?? null,
    // Nothing but link(s): no words around them, no address or number.
    linkAlone:
      realUrls.length > 0 && !/[\p{L}\p{N}]{2,}/u.test(ex.prose) && emails.length + ex.phones.length === 0,
  };
}

/** Quoted wording 「…」『…』 (bounded, so the pattern stays linear). */
const QUOTED = /「[^「」\n]{1,200}」|『[^『』\n]{1,200}』/g;

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

/** Stories that, told with nothing but a number to call, are callback bait. */
const CALLBACK_STORIES = new Set(['account_suspension', 'unpaid_bill', 'callback', 'prize', 'info_update']);

/**
 * Links whose visible text shows one address while the link goes to another domain
 * (<a href="https://evil.example/">https://www.amazon.co.jp/</a>).
 */
function shownLinkMismatches(links: ShownLink[]): Signal[] {
  const out: Signal[] = [];
  for (const link of links.slice(0, 50)) {
    const shown = extract(refang(normalize(link.text, 2000).text)).urls[0]?.url.hostname;
    const real = URL.parse(link.href);
    if (!shown || !real || !/^https?:$/.test(real.protocol) || !real.hostname) continue;
    if (registrable(shown) === registrable(real.hostname)) continue;
    out.push({
      code: 'link_text_mismatch',
      vars: { evidence: shown, host: real.hostname, domain: registrable(real.hostname) },
    });
  }
  return out;
}

/** Signs that a link imitates a particular brand. */
const IMITATION = new Set([
  'official_domain_embedded',
  'homoglyph_domain',
  'lookalike_domain',
  'brand_in_subdomain',
  'brand_in_host',
]);

function weightOf(c: Compiled, code: string): number {
  return c.rules.scoring.signals[code]?.weight ?? 0;
}

function officialList(domains: string[]): string {
  return domains.slice(0, 2).join('、') || '公式サイト';
}

function firstBrand(c: Compiled, ids: (string | null)[]): CompiledBrand | null {
  for (const id of ids) if (id && c.brandById.has(id)) return c.brandById.get(id)!;
  return null;
}

/** Does a sender domain imitate a brand (amazon.co.jp.evil.top, arnazon.co.jp)? */
function imitatedBy(c: Compiled, domain: string): { brandId: string; name: string } | null {
  if (
    officialBrandsFor(c.mailIndex, domain).length ||
    officialBrandsFor(c.webIndex, domain).length ||
    underAny(c.sets.freeMail, domain)
  )
    return null;
  for (const e of c.embeddable) {
    if (
      domain.startsWith(e.text + '.') ||
      domain.includes('.' + e.text + '.') ||
      domain.includes(e.text + '-')
    ) {
      const b = c.brandById.get(e.brandId)!;
      return { brandId: b.id, name: b.name };
    }
  }
  const labels = ownLabels(domain);
  if (isBrandsOwnName(c, domain, labels)) return null;
  const hit = keywordHit(c, labels);
  return hit ? { brandId: hit.brandId, name: hit.name } : null;
}

function emailFindings(
  c: Compiled,
  ex: Extracted,
  brand: CompiledBrand | null,
  senderImitation: { brandId: string; name: string } | null,
  signals: Signal[],
): VerdictEmail[] {
  // A sender is official when its domain is a brand's mail domain, or the brand's web domain unless that
  // domain also gives mailboxes to the public (yahoo.co.jp, icloud.com, docomo.ne.jp).
  const isOfficial = (domain: string) => {
    const owners = [
      ...officialBrandsFor(c.mailIndex, domain),
      ...(underAny(c.sets.freeMail, domain) ? [] : officialBrandsFor(c.webIndex, domain)),
    ];
    return brand ? owners.includes(brand.id) : owners.length > 0;
  };
  const h = ex.headers;
  const from = h?.from;
  if (from?.address && from.domain) {
    if (senderImitation) {
      signals.push({
        code: 'sender_lookalike',
        vars: { address: from.address, target: senderImitation.name },
      });
    } else if (brand && !isOfficial(from.domain)) {
      const free = underAny(c.sets.freeMail, from.domain);
      // A sender under a brand's own name (vpass.ne.jp) is neither proven nor suspicious: say nothing.
      if (free || !isBrandsOwnName(c, from.domain, ownLabels(from.domain)))
        signals.push({
          code: free ? 'free_mail_sender' : 'sender_not_official',
          vars: {
            address: from.address,
            official: officialList(brand.mailDomains.length ? brand.mailDomains : brand.webDomains),
          },
        });
    }
    const fromDomain = registrable(from.domain);
    const other = (a: MailAddress | undefined) =>
      a?.address && a.domain && registrable(a.domain) !== fromDomain ? a.address : null;
    const replyTo = other(h?.replyTo);
    const returnPath = other(h?.returnPath);
    if (replyTo) signals.push({ code: 'reply_to_mismatch', vars: { address: replyTo } });
    if (returnPath) signals.push({ code: 'return_path_mismatch', vars: { address: returnPath } });
    // The Message-ID is made by the server that first sent the mail.
    const mid = h?.messageIdDomain;
    if (mid && /\./.test(mid) && registrable(mid) !== fromDomain && !isOfficial(mid))
      signals.push({
        code: 'message_id_mismatch',
        vars: { address: from.address, domain: registrable(mid) },
      });
  }
  const failed = Object.entries(h?.auth ?? {}).filter(
    ([, v]) => v === 'fail' || v === 'softfail' || v === 'permerror',
  );
  if (failed.length)
    signals.push({ code: 'auth_fail', vars: { evidence: failed.map(([k, v]) => `${k}=${v}`).join(', ') } });

  const addresses = new Map<string, string>();
  for (const a of [from, h?.replyTo, h?.returnPath])
    if (a?.address && a.domain) addresses.set(a.address, a.domain);
  for (const e of ex.emails) addresses.set(e.address, e.domain);
  return [...addresses].map(([address, domain]) => ({ address, domain, official: isOfficial(domain) }));
}

/** The labels of a domain left of its public suffix. */
function ownLabels(domain: string): string[] {
  const suffix = parseDomain(domain).publicSuffix ?? '';
  const own = suffix && domain.endsWith('.' + suffix) ? domain.slice(0, -(suffix.length + 1)) : domain;
  return own.split('.').filter(Boolean);
}

function registrable(domain: string): string {
  return parseDomain(domain).domain ?? domain;
}

export type { LinkAnalysis };
