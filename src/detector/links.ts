// Judges one link on its own: where it really goes, whether that is an official domain, and every sign
// that it imitates a brand or lives on throw-away infrastructure. Pure: never opens the link.
import { domainToUnicode } from 'node:url';
import { parse as parseDomain } from 'tldts';
import type { Compiled } from './compile.ts';
import { officialBrandsFor, underAny } from './hosts.ts';
import { governmentZone } from './government-domains.ts';
import type { Signal } from './types.ts';
import { asciiSkeleton, scriptsOf, unconfuse } from './lookalike.ts';
import {
  codedLabel,
  echoedLabel,
  japanTag,
  numberedInfrastructure,
  shortBrandFragment,
  wwwGlued,
} from './host-shapes.ts';
import { frontPageQuery, mixedToken } from './path-shapes.ts';
import { keywordCore, standsAsName } from './keyword-pieces.ts';
import { inSet, notIn, splitRuns } from './split-runs.ts';

export interface LinkAnalysis {
  url: string;
  host: string;
  /** The host as a person reads it (IDN hosts decoded). */
  hostUnicode: string;
  /** Registrable domain (a free-hosting subdomain counts as its own domain). */
  domain: string;
  /** Brands whose official domains cover this host. */
  officialBrands: string[];
  signals: Signal[];
  /** The brand this host imitates, if any (from its name, not from the message text). */
  imitates: string | null;
  /** A public body's own site: the host is in a zone only government bodies can register in (go.jp, lg.jp). */
  government?: boolean;
}

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
/** Government and academic zones (gov.cn, go.id, ac.uk) are not open to anyone. */
const GOV_SUFFIX = /^(?:gov|go|govt|gob|gouv|mil|edu|ac|lg)(?:\.|$)/;
/** Japanese public zones whose sites use several labels after www (www.city.fukuoka.lg.jp). */
const PUBLIC_ZONE = /\.(?:lg|go|ac|ed|gr|or)\.jp$/;
/** A query that is one bare token, not key=value pairs. */
const BARE_QUERY = /^\?[A-Za-z0-9_-]{3,40}$/;
/** A path that is nothing but a short code: /4JaYd, /r/TmIF7q9. */
const SHORT_CODE = /^\/(?:[a-z]\/)?[A-Za-z0-9]{5,10}$/;
/** A path that is nothing but a country or language mark for Japan: /jp, /jp.php, /japan/. */
const JAPAN_ONLY_PATH = /^\/(?:jp|ja|japan)(?:\/|\.php|\.html?)?$/i;
/** Files a site serves as they are: images, documents, feeds, scripts. */
const ASSET = /\.(?:pdf|xml|json|jpe?g|png|gif|svg|webp|ico|css|js|txt|webmanifest|rss|atom|zip|mp4|mp3)$/i;

export function analyzeLink(c: Compiled, url: URL, schemeless: boolean, depth = 0): LinkAnalysis {
  const host = url.hostname.toLowerCase();
  const hostUnicode = host.startsWith('[') ? host : domainToUnicode(host) || host;
  const signals: Signal[] = [];
  const result = (domain: string, imitates: string | null, officialBrands: string[] = []): LinkAnalysis => ({
    url: url.href,
    host,
    hostUnicode,
    domain,
    officialBrands,
    signals,
    imitates,
  });

  const userinfo = userinfoShown(url);
  if (userinfo !== null) signals.push({ code: 'userinfo_trick', vars: { evidence: userinfo, host } });
  if (IPV4.test(host) || host.startsWith('[')) {
    signals.push({ code: 'ip_host', vars: { host } });
    pathSignals(c, url, host, signals, null);
    if (url.protocol === 'http:' && !schemeless) signals.push({ code: 'http_link', vars: { host } });
    return result(host, null);
  }

  const info = parseDomain(host, { allowPrivateDomains: true });
  const icann = parseDomain(host);
  const domain = info.domain ?? icann.domain ?? host;

  const official = officialBrandsFor(c.webIndex, host);
  if (official.length > 0 && signals.length === 0) {
    return result(icann.domain ?? domain, null, official);
  }
  // A public body's own site (go.jp, lg.jp, pref.chiba.jp), unless it hands the reader on to another site.
  const zone = governmentZone(c, host);
  if (zone && signals.length === 0 && !carriedLink(url, icann.domain ?? domain)) {
    signals.push({ code: 'government_domain', vars: { host, evidence: zone } });
    return { ...result(icann.domain ?? domain, null), government: true };
  }

  // Google Translate's proxy: www-amazon-co-jp.translate.goog is www.amazon.co.jp in disguise.
  const proxy = underAny(c.sets.translateProxies, host);
  if (proxy && depth === 0 && host !== proxy) {
    const inner = throughTranslateProxy(c, url, host, proxy, signals);
    return result(domain, inner ? (inner.imitates ?? inner.officialBrands[0] ?? null) : null);
  }

  const { shortener, service } = serviceSignals(c, url, host, info, signals);

  const suffix = icann.publicSuffix ?? '';
  // Labels a person or a phisher chose: everything left of the public suffix.
  const ownPart = suffix && host.endsWith('.' + suffix) ? host.slice(0, -(suffix.length + 1)) : host;
  const labels = ownPart.split('.').filter(Boolean);
  const risky = tldSignals(c, host, icann.domain ?? host, suffix, labels, signals);
  const imitation = shortener ? null : brandImitation(c, host, hostUnicode, labels, domain);
  if (imitation) signals.push(imitation.signal);
  if (imitation?.extra) signals.push(imitation.extra);

  if (!shortener) {
    const name: HostName = { host, domain: icann.domain ?? host, labels, suffix, service, risky };
    machineMadeSignals(c, name, !!imitation?.brandId, signals);
  }
  disguiseSignals(
    c,
    { host, domain, icannDomain: icann.domain ?? host, ownPart, labels },
    !!imitation,
    !!shortener,
    signals,
  );

  pathSignals(c, url, host, signals, imitation?.brandId ?? null, shortener !== null);
  if (url.protocol === 'http:' && !schemeless) signals.push({ code: 'http_link', vars: { host } });
  if (url.port && url.port !== '80' && url.port !== '443')
    signals.push({ code: 'unusual_port', vars: { host, evidence: url.port } });

  const carriedBrand = depth === 0 ? carriedSignals(c, url, host, icann.domain ?? domain, signals) : null;
  return result(domain, imitation?.brandId ?? carriedBrand, official);
}

/**
 * A cheap top-level domain, and a throw-away name in front of one (account.xxxx.cn, vdg.38781.cn): real
 * sites on these endings are mostly reached at their own name or www.
 */
function tldSignals(
  c: Compiled,
  host: string,
  domain: string,
  suffix: string,
  labels: string[],
  signals: Signal[],
): 'risky_tld_high' | 'risky_tld' | null {
  const risky = riskyTldOf(c, host);
  if (risky) signals.push({ code: risky, vars: { domain, evidence: suffix } });
  if (risky === 'risky_tld' && labels.length >= 2 && !(labels.length === 2 && labels[0] === 'www'))
    signals.push({ code: 'risky_tld_subdomain', vars: { host, domain, evidence: suffix } });
  return risky;
}

/** What the part before "@" shows the reader (https://www.amazon.co.jp@example.com), or null. */
function userinfoShown(url: URL): string | null {
  if (!url.username && !url.password) return null;
  try {
    return decodeURIComponent(url.username);
  } catch {
    return url.username;
  }
}

/** The site a translate.goog host wraps, judged as the link itself (its signs are added to `signals`). */
function throughTranslateProxy(
  c: Compiled,
  url: URL,
  host: string,
  proxy: string,
  signals: Signal[],
): LinkAnalysis | null {
  const wrapped = host
    .slice(0, -(proxy.length + 1))
    .split('.')
    .pop()!
    .replaceAll('--', '\u0000')
    .replaceAll('-', '.')
    .replaceAll('\u0000', '-');
  signals.push({ code: 'translate_proxy', vars: { host, target: wrapped } });
  try {
    const inner = analyzeLink(c, new URL(`https://${wrapped}${url.pathname}`), false, 1);
    signals.push(...inner.signals);
    return inner;
  } catch {
    return null;
  }
}

/**
 * Services anyone can use: shorteners, click tracking, dynamic DNS, blogs, free hosting, shared file hosts.
 * Returns the shortener (no look-alike or machine-made name is judged on one) and the service whose
 * sub-domain this is (its own labels are not the phisher's).
 */
function serviceSignals(
  c: Compiled,
  url: URL,
  host: string,
  info: ReturnType<typeof parseDomain>,
  signals: Signal[],
): { shortener: string | null; service: string | null } {
  // The long list of shorteners (rules/hosts) includes sites with front pages of their own (digg.com,
  // hover.com): there only a link with a path counts. Those in domains.yaml count even when the path was
  // masked by whoever quoted the message (https://cutt.ly/…….).
  const hasPath = url.pathname.length > 1 || url.search.length > 1;
  // A short link's path is a short code or alias (bit.ly/3abcDEF); long paths on a listed site are its
  // own pages (digg.com/video/…).
  const shortPath = url.pathname.length <= 24 && url.pathname.split('/').length <= 3;
  const shortener =
    underAny(c.sets.knownShorteners, host) ??
    (hasPath && shortPath ? underAny(c.sets.shorteners, host) : null);
  if (shortener) signals.push({ code: 'shortener', vars: { host } });
  // A tracked click carries its token in the path or query; the bare front page is the mail service's own site.
  const tracker = shortener || !hasPath ? null : underAny(c.sets.clickTracking, host);
  if (tracker) signals.push({ code: 'click_tracking', vars: { host, domain: tracker } });

  const dyn = underAny(c.sets.dynamicDns, host);
  const blog = underAny(c.sets.blogHosting, host);
  const hosting = underAny(c.sets.freeHosting, host);
  const shared = underAny(c.sets.sharedPaths, host);
  const files = underAny(c.sets.fileHosts, host);
  if (dyn && host !== dyn) signals.push({ code: 'dynamic_dns', vars: { host, domain: dyn } });
  else if (blog && host !== blog) signals.push({ code: 'blog_hosting', vars: { host, domain: blog } });
  else if (hosting && host !== hosting)
    signals.push({ code: 'free_hosting', vars: { host, domain: hosting } });
  else if (info.isPrivate && info.domain && info.publicSuffix)
    signals.push({ code: 'free_hosting', vars: { host, domain: info.publicSuffix } });
  else if (shared && url.pathname.length > 1)
    signals.push({ code: 'free_hosting', vars: { host, domain: shared } });
  else if (files && hasPath && !tracker) signals.push({ code: 'file_host', vars: { host, domain: files } });
  const service = blog ?? hosting ?? dyn ?? (info.isPrivate ? info.publicSuffix : null) ?? null;
  return { shortener, service };
}

interface HostName {
  host: string;
  /** Registrable domain (ICANN). */
  domain: string;
  /** Labels left of the public suffix. */
  labels: string[];
  suffix: string;
  /** The blog, hosting or dynamic-DNS service the host is under, if any. */
  service: string | null;
  risky: 'risky_tld_high' | 'risky_tld' | null;
}

/** Names made by machine: random-looking labels, numbered or machine-room sub-domains, long decorations. */
function machineMadeSignals(c: Compiled, n: HostName, imitatesBrand: boolean, signals: Signal[]): void {
  const { host, labels, suffix, service, risky } = n;
  // Machine-made names: in a sub-domain (wildcard phishing kits) they weigh more than in the registered name.
  // On a blog or hosting service the label in front of the service is the user's name: that is the
  // "registered" one (croozblog.hatenablog.com, someone.github.io), and the service's own labels are
  // not judged.
  const serviceLabels =
    service && host !== service ? Math.max(0, service.split('.').length - suffix.split('.').length) : 0;
  const userLabels = labels
    .slice(0, labels.length - serviceLabels)
    .filter((l) => !c.sets.commonLabels.has(l));
  const registered = labels[labels.length - 1 - serviceLabels] ?? '';
  // Registered names are often brandable abbreviations (tiktokcdn, ggpht): judge them strictly, unless
  // a sub-domain of its own sits in front (kit.xxxx.com: wildcard names on a throw-away domain).
  const ownSub = userLabels.length >= 2;
  // On a cheap top-level domain (risky) a made-up name is what bulk registrations look like, not a brand's
  // coinage: there the registered name is judged as loosely as a sub-domain (in the URL sets, 12 % of
  // phishing links before 2024 against 0.4 % of popular sites).
  const random = userLabels.find(
    (l) => looksRandom(c, l, l === registered && !ownSub && !risky) || (l !== registered && codedLabel(l)),
  );
  if (random && !imitatesBrand)
    signals.push({
      code: random === registered ? 'random_host' : 'random_subdomain',
      vars: { host, evidence: random },
    });
  const echoed = userLabels.find((l) => l !== registered && echoedLabel(l));
  if (echoed) signals.push({ code: 'echoed_subdomain', vars: { host, domain: n.domain, evidence: echoed } });
  // A sub-domain named by a number (2567.example.com, 95y.example.com): kits number the hosts they make
  // on one domain; sites name theirs with words.
  const numbered = userLabels.find((l) => l !== registered && /^\d{1,8}[a-z]?$/.test(l));
  if (numbered)
    signals.push({ code: 'numeric_subdomain', vars: { host, domain: n.domain, evidence: numbered } });
  if (
    labels.length >= 2 &&
    (c.sets.infrastructureLabels.has(labels[0]!) ||
      numberedInfrastructure(labels[0]!, c.sets.numberedInfrastructureLabels))
  )
    signals.push({ code: 'infrastructure_host', vars: { host, domain: n.domain, evidence: labels[0]! } });
  const subCount = labels.length - 1 - (labels[0] === 'www' ? 1 : 0);
  if (subCount >= 3 || host.length >= 50)
    signals.push({ code: 'many_subdomains', vars: { host, domain: n.domain } });

  // A registered name made only of digits (38781.cn, 20240517.com), or a short one with digits inside the
  // letters on a cheap top-level domain (t93zpq.cn), is how bulk-registered domains look.
  const registeredName = labels[labels.length - 1] ?? '';
  if (
    (/^\d{5,}$/.test(registeredName) ||
      (risky !== null && /^[a-z0-9]{4,12}$/.test(registeredName) && /[a-z]\d+[a-z]/.test(registeredName))) &&
    !signals.some((s) => s.code === 'random_host')
  )
    signals.push({ code: 'random_host', vars: { host, evidence: registeredName } });
}

/** Hosts dressed up as something else: a fake domain in front, www before further labels, log-in words. */
function disguiseSignals(
  c: Compiled,
  h: { host: string; domain: string; icannDomain: string; ownPart: string; labels: string[] },
  imitates: boolean,
  shortener: boolean,
  signals: Signal[],
): void {
  const { host, domain, ownPart, labels } = h;
  const suffix = host.slice(ownPart.length + 1);
  // A host that starts like a complete address (xxx.com-secure.example, shop.co.jp.example.cn) shows the
  // reader a domain that is not the real one, whatever the brand.
  const fake = !imitates && !shortener ? fakeDomainPrefix(ownPart) : null;
  if (fake) signals.push({ code: 'fake_domain_prefix', vars: { host, domain, evidence: fake } });

  // "www" belongs right before a site's own name (www.example.com). In front of further labels
  // (www.ae.example.com, www.amazon.example.com) it dresses a throw-away sub-domain up as a homepage.
  // Public bodies' zones (www.city.fukuoka.lg.jp, www.cs.example.ac.jp) do put it there.
  if (labels.length >= 3 && labels[0] === 'www' && !PUBLIC_ZONE.test(host) && !GOV_SUFFIX.test(suffix))
    signals.push({ code: 'www_inside', vars: { host, domain: h.icannDomain } });
  // Glued on instead (wwwinfoview.example.com), it makes a sub-domain read like the start of an address.
  // As the registered name itself, only with a hyphen (www-example.net): www.example.net with the dot replaced.
  const glued =
    labels.length >= 2 || labels[0]?.startsWith('www-') ? wwwGlued(labels[0]!, c.sets.commonLabels) : null;
  if (glued) signals.push({ code: 'www_glued', vars: { host, domain: h.icannDomain, evidence: glued } });
  // Only in the registered name: a brand's own blog host may carry the mark in front (developers-jp.example.com).
  const japan = japanTag(labels.slice(-1), suffix);
  if (japan) signals.push({ code: 'japan_tag_host', vars: { host, domain: h.icannDomain, evidence: japan } });

  // Log-in words in front of someone else's name (customer-survey-secure.example.com) disguise a sub-domain
  // as a service page; in the registered name itself (eni-service.fr) they are often a company's name.
  // In front of a made-up registered name, even a log-in word that is a normal sub-domain elsewhere
  // (account.xkqzv.com) dresses a throw-away domain up as an account page.
  const madeUp = signals.some((s) => s.code === 'random_host');
  const subWord = shortener
    ? null
    : (loginWordIn(c, labels.slice(0, -1), true) ??
      (madeUp ? (labels.slice(0, -1).find((l) => c.hostLoginWords.has(l)) ?? null) : null));
  const loginWord = shortener || subWord ? null : loginWordIn(c, labels.slice(-1));
  if (subWord) signals.push({ code: 'login_subdomain', vars: { host, domain, evidence: subWord } });
  else if (loginWord) signals.push({ code: 'login_host', vars: { host, evidence: loginWord } });
}

/**
 * An address that carries another site's address as a parameter (away.php?to=https://…, redirect?url=…)
 * sends the reader on to it: where it leads is judged too (one level deep). Returns the brand the carried
 * link imitates, if any.
 */
function carriedSignals(
  c: Compiled,
  url: URL,
  host: string,
  domain: string,
  signals: Signal[],
): string | null {
  const carried = carriedLink(url, domain);
  if (!carried) return null;
  signals.push({ code: 'redirect_param', vars: { host, target: carried.hostname } });
  const inner = analyzeLink(c, carried, false, 1);
  // The carried link's own scheme is the redirector's business; reassurance does not pass through.
  signals.push(...inner.signals.filter((s) => s.code !== 'government_domain' && s.code !== 'http_link'));
  // A brand's name in the query because its own address is carried there is no imitation.
  const names = new Set(inner.officialBrands.map((id) => c.brandById.get(id)?.name));
  for (let i = signals.length - 1; i >= 0; i--)
    if (signals[i]!.code === 'brand_in_path' && names.has(signals[i]!.vars?.target)) signals.splice(i, 1);
  return inner.imitates;
}

/** The first parameter (of eight at most) whose value is a link to another registered domain. */
function carriedLink(url: URL, domain: string): URL | null {
  if (url.search.length < 12) return null;
  let seen = 0;
  for (const value of url.searchParams.values()) {
    if (++seen > 8) break;
    const v = value.trim().slice(0, 2048);
    if (!/^https?:\/\//i.test(v)) continue;
    const inner = URL.parse(v);
    if (!inner?.hostname.includes('.')) continue;
    const innerDomain = parseDomain(inner.hostname).domain ?? inner.hostname;
    if (innerDomain !== domain) return inner;
  }
  return null;
}

/**
 * A well-known kind of domain name as a folder or page of another site (/smbc.co.jp/, /tokyo.ac.jp.htm):
 * the address shows a name the reader trusts while the site is someone else's. Links carried inside the
 * path (…/http://example.com/) are not counted.
 */
function domainInPath(path: string, host: string): string | null {
  const segments = path.toLowerCase().split('/');
  for (const seg of segments) {
    if (/https?:$/.test(seg)) break;
    const name = seg.replace(/\.(?:html?|php|aspx?)$/, '');
    if (!name.includes('.') || name.length > 80) continue;
    const p = parseDomain(name);
    if (!p.isIcann || !p.domain || p.domain === name.split('.').slice(-1)[0]) continue;
    if (!/(?:^|\.)(?:com|net|org|jp|info|biz)$/.test(p.publicSuffix ?? '')) continue;
    if (host === name || host.endsWith('.' + p.domain)) continue;
    return name;
  }
  return null;
}

/** Risky top-level domain: the whole public suffix first (com.cn), then its last label (cn). */
function riskyTldOf(c: Compiled, host: string): 'risky_tld_high' | 'risky_tld' | null {
  const suffix = parseDomain(host).publicSuffix ?? '';
  // Government and academic zones (gov.cn, go.id, ac.uk) are not open to anyone.
  if (GOV_SUFFIX.test(suffix)) return null;
  const tld = suffix.split('.').pop() ?? '';
  if (c.sets.tldHigh.has(suffix) || c.sets.tldHigh.has(tld)) return 'risky_tld_high';
  if (c.sets.tldMedium.has(suffix) || c.sets.tldMedium.has(tld)) return 'risky_tld';
  return null;
}

/** "example.com-" or "example.co.jp." inside the part of a host that its owner chose. */
function fakeDomainPrefix(ownPart: string): string | null {
  const m = /^(?:[a-z0-9-]+\.)*?([a-z0-9-]+\.(?:com|net|org|co\.jp|ne\.jp|or\.jp|jp))(?=[.-][a-z0-9])/.exec(
    ownPart,
  );
  return m ? m[1]! : null;
}

/** English endings that make another word of a log-in word (accounting, supporters, securely). */
const ENDING = /^(?:s|es|ed|er|ers|ing|ings|ly|ment|ments)$/;

/**
 * Log-in words, or slips of them, in the name of a site that is not the brand's: connecct-login, sekure. With
 * `glued` (sub-domains), also a word of six letters or more glued to others (accountupdate., mynumberpoint.).
 */
function loginWordIn(c: Compiled, labels: string[], glued = false): string | null {
  const long = longLoginWords(c);
  for (let l = 0; l < labels.length; l++) {
    const label = labels[l]!;
    if (c.sets.commonLabels.has(label)) continue;
    const tokens = label.split('-');
    for (let t = 0; t < tokens.length; t++) {
      const token = tokens[t]!;
      if (c.hostLoginWords.has(token)) return token;
      if (glued && token.length <= 40)
        for (let i = 0; i < long.length; i++) {
          const w = long[i]!;
          if (
            token.length >= w.length + 2 &&
            ((token.startsWith(w) && !ENDING.test(token.slice(w.length))) || token.endsWith(w))
          )
            return token;
        }
      if (token.length >= 5) for (let i = 0; i < long.length; i++) if (typoOf(token, long[i]!)) return token;
    }
  }
  return null;
}

const longLoginWordLists = new WeakMap<Compiled, string[]>();

/** The log-in words of six letters or more, in their order (an array read by index: iterating the Set
 * allocated an iterator per token). */
function longLoginWords(c: Compiled): string[] {
  let list = longLoginWordLists.get(c);
  if (!list) longLoginWordLists.set(c, (list = [...c.hostLoginWords].filter((w) => w.length >= 6)));
  return list;
}

function pathSignals(
  c: Compiled,
  url: URL,
  host: string,
  signals: Signal[],
  imitated: string | null,
  shortened = false,
): void {
  const rest = (url.pathname + url.search + url.hash).slice(0, 2048).toLowerCase();
  if (rest.length <= 1) return;
  // A short code as the whole path (/4JaYd, /r/TmIF7q9) is a shortener of the site's own: the real
  // destination is hidden until the link is opened.
  if (
    !shortened &&
    ((SHORT_CODE.test(url.pathname) && /\d/.test(url.pathname) && /[A-Z]/.test(url.pathname)) ||
      caseCode(url.pathname) ||
      mixedToken(url.pathname))
  )
    signals.push({ code: 'short_code_path', vars: { host, evidence: url.pathname.slice(1) } });
  querySignals(c, url, host, signals);
  // A machine-made folder right under the site (/9qvkx42b9/…, /48hb535ff0d615b9/): phishing kits make one
  // per victim or per campaign. Plain hex (hashes, ids) and short codes are left out.
  const first = url.pathname.split('/')[1] ?? '';
  if (
    !shortened &&
    !signals.some((s) => s.code === 'short_code_path') &&
    /^[A-Za-z0-9]{6,24}$/.test(first) &&
    !/^[0-9a-f]+$/i.test(first) &&
    mixesDigits(first.toLowerCase())
  )
    signals.push({ code: 'random_path', vars: { host, evidence: first } });
  // A page for Japan and nothing else (/jp, /jp.php) on a site outside .jp: kits aimed at Japan put their
  // form there; a foreign company's Japanese pages sit deeper (/jp/products/…) or on its .jp site.
  if (JAPAN_ONLY_PATH.test(url.pathname) && !host.endsWith('.jp'))
    signals.push({ code: 'japan_only_path', vars: { host, evidence: url.pathname } });
  const shownDomain = domainInPath(url.pathname.slice(0, 1024), host);
  if (shownDomain) signals.push({ code: 'domain_in_path', vars: { host, evidence: shownDomain } });
  let decoded = rest;
  try {
    decoded = decodeURIComponent(rest);
  } catch {
    /* keep the raw form */
  }
  const words = splitRuns(decoded, NOT_PATH_WORD).filter(Boolean);
  const login = words.find((w) => c.loginWords.has(w) || c.loginWords.has(w.replace(/[-_]/g, '')));
  if (login) signals.push({ code: 'login_path', vars: { host, evidence: login } });
  // A page placed in a CMS folder; images, documents and feeds there are the site's own files.
  const kit = ASSET.test(url.pathname) ? undefined : c.kitWords.find((k) => decoded.includes(k));
  if (kit) signals.push({ code: 'kit_path', vars: { host, evidence: kit } });
  if (
    (decoded.includes('@') && EMAIL.test(decoded)) ||
    encodedEmail((url.pathname + url.search).slice(0, 2048))
  )
    signals.push({ code: 'email_in_url', vars: { host } });
  if (!imitated) {
    // Article slugs (/2015/04/apple-watch-review-…) name brands in passing: only short path parts count,
    // such as /amazon/, /smbc.co.jp/ or ?rakuten-login.
    const parts = splitRuns(decoded, PATH_PART_END)
      .filter((p) => p && splitRuns(p, WORD_JOINER).length <= 4)
      .map((p) => p.replaceAll('-', ''));
    // Four-letter names (smbc, aeon) only as a whole word of the path: /smbc/smbcupdate.php.
    const words4 = new Set(parts.flatMap((p) => splitRuns(p, NOT_ALNUM)));
    for (const b of c.brands) {
      const k = b.keywords.find(
        (kw) =>
          (kw.compact.length >= 5 && parts.some((p) => p.includes(kw.compact))) ||
          (kw.compact.length === 4 && words4.has(kw.compact)),
      );
      if (k) {
        signals.push({ code: 'brand_in_path', vars: { host, evidence: k.text, target: b.name } });
        break;
      }
    }
  }
}

/** Marks in the query: a per-recipient token, kit-grown parameter names, parameters on the front page. */
function querySignals(c: Compiled, url: URL, host: string, signals: Signal[]): void {
  // A bare token as the whole query (?ufj, ?HGmp5eURh3wC): a mark per recipient or per campaign, as bulk
  // scam SMS carry; real sites' queries are key=value pairs.
  if (BARE_QUERY.test(url.search) || markerQuery(url.search))
    signals.push({ code: 'bare_query_token', vars: { host, evidence: url.search.slice(1) } });
  const chained = chainedKeys(url.search.slice(0, 1024));
  if (chained) signals.push({ code: 'chained_query_keys', vars: { host, evidence: chained } });
  const front = frontPageQuery(url.pathname, url.search, c.sets.frontPageQueryKeys);
  if (front && !signals.some((s) => s.code === 'bare_query_token'))
    signals.push({ code: 'front_page_query', vars: { host, evidence: front } });
}

const EMAIL = /(?<![a-z0-9._%+-])[a-z0-9._%+-]+@[a-z0-9-]+\.[a-z0-9.-]+/i;
/** A path part or parameter that may be base64 (standard or URL-safe alphabet). */
const BASE64_TOKEN = /^[A-Za-z0-9+_-]{12,200}={0,2}$/;

/**
 * The recipient's mail address written in base64 (?1=dXNlckBleGFtcGxlLmNvbQ==): kits fill in the log-in form
 * with it, so the page looks like it knows you. At most eight parts are decoded.
 */
function encodedEmail(rest: string): boolean {
  let tried = 0;
  for (const part of splitRuns(rest, PATH_PART_END)) {
    if (!BASE64_TOKEN.test(part)) continue;
    if (++tried > 8) return false;
    const text = Buffer.from(part, 'base64').toString('latin1');
    if (text.includes('@') && EMAIL.test(text)) return true;
  }
  return false;
}

/**
 * A code of mixed-case letters as the whole path (/PpJhs, /TZpPXP): letters in both cases with no run of four
 * small letters, so names written in CamelCase (/AboutUs, /GhostOut) are left out.
 */
function caseCode(path: string): boolean {
  if (!/^\/[A-Za-z]{5,10}$/.test(path)) return false;
  const upper = path.replace(/[^A-Z]/g, '').length;
  return upper >= 2 && upper < path.length - 1 && !/[a-z]{4}/.test(path);
}

/**
 * A query that is one machine-made key with a tiny value (?nov8=0, ?k7fq2x=1): the same per-recipient mark as a
 * bare token, dressed as a parameter. Real parameters are named with words (id, page, utm_source).
 */
function markerQuery(search: string): boolean {
  if (search.length > 32 || search.includes('&')) return false;
  const [key = '', value = '', ...rest] = search.slice(1).split('=');
  return (
    rest.length === 0 &&
    value.length <= 3 &&
    /^[A-Za-z0-9]{4,20}$/.test(key) &&
    /[A-Za-z]/.test(key) &&
    /\d/.test(key)
  );
}

/** What a kit adds to a parameter name's stem: a few small letters and digits. */
const GROWN = /^[a-z0-9]{2,12}$/;

/**
 * Parameter names grown from one stem (?vdxf=zx&vdxfyh=&vdxfyh0i2k=): a kit makes its parameter names by
 * lengthening a random stem per victim; sites name parameters with words (length_max, length_min share a
 * stem but neither extends the other; page → pages, from → fromType add a letter or a word). Returns the stem,
 * or null. At most 16 names.
 */
function chainedKeys(search: string): string | null {
  const keys = [
    ...new Set(
      search
        .slice(1)
        .split('&', 16)
        .map((p) => p.split('=', 1)[0]!),
    ),
  ];
  for (const a of keys)
    if (a.length >= 3 && keys.some((b) => b.startsWith(a) && GROWN.test(b.slice(a.length)))) return a;
  return null;
}

/** A brand's exact name as the registered name under a mainstream TLD: google.de, vpass.ne.jp, japanpost.jp. */
export function isBrandsOwnName(c: Compiled, host: string, labels: string[]): boolean {
  const label = labels[labels.length - 1] ?? '';
  const risk = riskyTldOf(c, host);
  // Brands register their plain name in each country's registry (amazon.cn, icloud.com.cn), where that ending
  // is cheap too; a hyphenated compound there (smbc-card.net.cn) or a free ending (.ml, .tk) is not that.
  if (
    risk &&
    (risk === 'risky_tld_high' ||
      label.includes('-') ||
      !COUNTRY_ENDING.test(parseDomain(host).publicSuffix ?? ''))
  )
    return false;
  return c.brands.some((b) => b.keywords.some((k) => k.text === label || k.compact === label));
}

/** A country's own ending: cn, or com.cn, co.uk, net.cn (two letters under com, co, net or org at most). */
const COUNTRY_ENDING = /^(?:(?:com|co|net|org)\.)?[a-z]{2}$/;

interface Imitation {
  /** null: the host is suspicious in itself but imitates no known brand. */
  brandId: string | null;
  signal: Signal;
  /** A second sign about the same name (brand_with_fragment). */
  extra?: Signal;
}

/** Does this (non-official) host imitate a brand? Strongest evidence first. */
function brandImitation(
  c: Compiled,
  host: string,
  hostUnicode: string,
  labels: string[],
  domain: string,
): Imitation | null {
  // 1. An official domain written inside another host: amazon.co.jp.verify-xx.top, www-amazon-co-jp.example.
  const e = embeddedOfficial(c, host, host.length - domain.length);
  if (e) {
    const b = c.brandById.get(e.brandId)!;
    return {
      brandId: b.id,
      signal: {
        code: 'official_domain_embedded',
        vars: { host, domain, target: b.name, official: e.domain },
      },
    };
  }

  // 2. Letters from other alphabets (IDN): аmazon.com with a Cyrillic а.
  if (hostUnicode !== host) {
    const uLabels = hostUnicode.split('.');
    const mixed = uLabels.find((l) => scriptsOf(l).size > 1);
    const plain = unconfuse(hostUnicode, c.skeletons);
    const hit = plain !== hostUnicode.toLowerCase() ? keywordHit(c, plain.split('.').slice(0, -1)) : null;
    if (hit)
      return {
        brandId: hit.brandId,
        signal: { code: 'homoglyph_domain', vars: { host: hostUnicode, target: hit.name } },
      };
    if (mixed) return { brandId: null, signal: { code: 'mixed_script_domain', vars: { host: hostUnicode } } };
  }

  // 3. Brand names and look-alikes in the labels. A brand's exact name registered under a mainstream
  // top-level domain (google.de, amazon.in, rakuten.com) is almost always the brand's own site abroad.
  // The same holds for its sub-domains (sites.google.com is Google's, whoever's page it serves).
  if (isBrandsOwnName(c, host, labels)) return null;
  const hit = keywordHit(c, labels);
  if (!hit) {
    const short = shortBrandGlued(c, host, domain, labels);
    if (short) return short;
    if (hostUnicode !== host)
      return {
        brandId: null,
        signal: { code: 'punycode_domain', vars: { host: hostUnicode, evidence: host } },
      };
    return null;
  }
  // In a sub-domain of an unrelated site (amazon.evil.example) the name is there only to deceive; in the
  // registered name itself (amazonvideo.com) it may be the brand's own side site.
  const inSubdomain = hit.label < labels.length - 1;
  const code = !hit.exact ? 'lookalike_domain' : inSubdomain ? 'brand_in_subdomain' : 'brand_in_host';
  const vars = { host, domain, target: hit.name, evidence: hit.token };
  const fragment = code === 'brand_in_host' ? junkBeside(c, labels[hit.label]!, hit.keyword) : null;
  return {
    brandId: hit.brandId,
    signal: { code, vars },
    ...(fragment ? { extra: { code: 'brand_with_fragment', vars: { ...vars, evidence: fragment } } } : {}),
  };
}

/** The first official domain (in the rules' order) written inside the host as brandImitation's step 1 says. */
function embeddedOfficial(
  c: Compiled,
  host: string,
  registrableStart: number,
): Compiled['embeddable'][number] | null {
  // The host's pairs of code units, in a bitmap: a domain whose first two are not among them is not in the
  // host, and is passed over without a search (~250 of them per link).
  markPairs(host, true);
  const firstPairs = embeddedFirstPairs(c);
  let found: Compiled['embeddable'][number] | null = null;
  for (let i = 0; i < c.embeddable.length && !found; i++) {
    if (firstPairs[i]! >= 0 && (hostPairs[firstPairs[i]! >>> 5]! & (1 << (firstPairs[i]! & 31))) === 0)
      continue;
    const e = c.embeddable[i]!;
    const at = host.indexOf(e.text);
    if (at < 0) continue;
    const before = at === 0 ? '.' : host[at - 1];
    const after = host[at + e.text.length];
    // "amazon.co.jp" must sit in the sub-domain part (amazon.com.br is Amazon's own, amazon.com.evil.top is not);
    // the hyphenated "amazon-co-jp" is never used by the brand itself.
    const inSubdomain = at + e.text.length < registrableStart;
    if (
      (inSubdomain || e.text.includes('-')) &&
      (before === '.' || before === '-') &&
      (after === '.' || after === '-')
    )
      found = e;
  }
  markPairs(host, false);
  return found;
}

/** A bitmap of 16-bit slots of code-unit pairs (see pairSlotOf), set for one host and cleared after. */
const hostPairs = new Int32Array(0x10000 >>> 5);

function pairSlotOf(s: string, i: number): number {
  return ((s.charCodeAt(i) << 7) ^ s.charCodeAt(i + 1)) & 0xffff;
}

/** Sets (or clears) the slots of the host's pairs. */
function markPairs(host: string, set: boolean): void {
  for (let i = 0; i + 1 < host.length; i++) {
    const slot = pairSlotOf(host, i);
    if (set) hostPairs[slot >>> 5]! |= 1 << (slot & 31);
    else hostPairs[slot >>> 5] = 0;
  }
}

const firstPairLists = new WeakMap<Compiled, Int32Array>();

/** Per official domain of c.embeddable, the slot of its first two code units (-1: shorter than two). */
function embeddedFirstPairs(c: Compiled): Int32Array {
  let slots = firstPairLists.get(c);
  if (!slots) {
    slots = Int32Array.from(c.embeddable, (e) => (e.text.length >= 2 ? pairSlotOf(e.text, 0) : -1));
    firstPairLists.set(c, slots);
  }
  return slots;
}

/**
 * A four-letter brand name with a few letters glued on as the registered name (smbcqx.com): keywordHit takes
 * four-letter names only whole, since they hide inside many words; with one to three letters after them that
 * make no known abbreviation they are the brand's name made free to register.
 */
function shortBrandGlued(c: Compiled, host: string, domain: string, labels: string[]): Imitation | null {
  const label = labels[labels.length - 1] ?? '';
  const tokens = label.split('-');
  for (let t = 0; t < tokens.length; t++)
    for (let bi = 0; bi < c.brands.length; bi++)
      for (let ki = 0; ki < c.brands[bi]!.keywords.length; ki++) {
        const token = tokens[t]!;
        const b = c.brands[bi]!;
        const k = b.keywords[ki]!;
        const fragment = shortBrandFragment(token, k.compact, c.wordPieces, c.sets.commonLabels);
        if (!fragment) continue;
        const vars = { host, domain, target: b.name, evidence: token };
        return {
          brandId: b.id,
          signal: { code: 'brand_in_host', vars },
          extra: { code: 'brand_with_fragment', vars: { ...vars, evidence: fragment } },
        };
      }
  return null;
}

const PIECE = /[a-z]+|[0-9]+/g;

/**
 * What a registered name adds to a brand's name, when it is no word: kuroneko-g, smbc-caeb, id-82828-amazon.
 * Brands' own side sites add words (amazonalexa, googlevideo, huaweicloud-dns); kits add a letter or two, a
 * scramble or a number to get a name that is still free. Returns the fragment, or null.
 */
function junkBeside(c: Compiled, label: string, keyword: string): string | null {
  if (!label.split('-').some((t) => t.includes(keyword))) return null;
  // Letters glued in front of the name make another word as often as not (huaweicloud, sonymobile): only
  // what follows it, or stands apart, counts.
  const rest = label.split('-').flatMap((t) => {
    const i = t.indexOf(keyword);
    return i < 0 ? [t] : i > 0 ? [] : [t.slice(keyword.length)];
  });
  for (const part of rest)
    for (const piece of part.match(PIECE) ?? []) {
      if (c.sets.commonLabels.has(piece) || c.wordPieces.includes(piece)) continue;
      if (/^\d+$/.test(piece) ? piece.length >= 4 : piece.length <= 3 || looksRandom(c, piece)) return piece;
    }
  return null;
}

interface KeywordHit {
  brandId: string;
  name: string;
  token: string;
  /** The brand keyword that matched (its compact form). */
  keyword: string;
  exact: boolean;
  /** Index of the label the hit is in (the last label is the registrable name). */
  label: number;
}

/** Finds a brand keyword, exactly or as a look-alike, among host labels and their hyphen-separated parts. */
export function keywordHit(c: Compiled, labels: string[]): KeywordHit | null {
  const parts = labels.map((l) =>
    [...new Set([l, l.replaceAll('-', ''), ...l.split('-').filter(Boolean)])].map((p) => ({
      p,
      skeleton: asciiSkeleton(p, c.skeletons),
    })),
  );
  const words = hostWords(c);
  // Exact names first (they are cheap and decisive), then look-alikes. (Indexed loops: an inner for…of
  // started once per brand keyword allocated an iterator each time, ~13 KB per link.)
  for (let label = 0; label < parts.length; label++) {
    const list = parts[label]!;
    for (let bi = 0; bi < c.brands.length; bi++) {
      const b = c.brands[bi]!;
      for (let ki = 0; ki < b.keywords.length; ki++) {
        const k = b.keywords[ki]!;
        for (let i = 0; i < list.length; i++) {
          const p = list[i]!.p;
          if (
            p === k.text ||
            p === k.compact ||
            // (A part shorter than the name cannot hold it: no search.)
            (k.compact.length >= 6 && p.length >= k.compact.length && namedInside(c, p, k, words)) ||
            (k.compact.length === 5 &&
              (p.startsWith(k.compact) ||
                (p.endsWith(k.compact) &&
                  standsAsName(p, p.length - 5, coreOf(c, k, words).stem, c.sets.commonLabels))))
          )
            return { brandId: b.id, name: b.name, token: p, keyword: k.compact, exact: true, label };
        }
      }
    }
  }
  // Look-alikes: amaz0n, arnazon (same skeleton); amazom, eposcardd, rakutne (typing or reading slips).
  const cores = keywordCoresOf(c, words);
  for (let label = 0; label < parts.length; label++) {
    const list = parts[label]!;
    for (let bi = 0; bi < c.brands.length; bi++) {
      const b = c.brands[bi]!;
      for (let ki = 0; ki < b.keywords.length; ki++) {
        const k = b.keywords[ki]!;
        if (k.compact.length < 4) continue;
        // A slip in the letters that make the name gives another word (etymonline, studysmarter, audi).
        // The whole name glued behind a word was judged above (huaweicloud): no look-alike of it either.
        const { coreShape, stem } = cores[bi]![ki]!;
        for (let i = 0; i < list.length; i++) {
          const { p, skeleton } = list[i]!;
          if ((coreShape && !skeleton.includes(coreShape)) || (stem && p.includes(k.compact))) continue;
          if (paddedName(p, k.compact))
            return { brandId: b.id, name: b.name, token: p, keyword: k.compact, exact: false, label };
          if (
            p.length < 4 ||
            (Math.abs(p.length - k.compact.length) > 1 &&
              (k.compact.length < 7 || p.length < k.compact.length))
          )
            continue;
          if (
            (k.compact.length >= 5 && skeleton === k.skeleton && p !== k.compact) ||
            typoOf(p, k.compact) ||
            (k.compact.length >= 7 && containsTypo(p, k.compact))
          )
            return { brandId: b.id, name: b.name, token: p, keyword: k.compact, exact: false, label };
        }
      }
    }
  }
  return null;
}

const coreLists = new WeakMap<Compiled, { stem: string; coreShape: string }[][]>();

/** coreOf every brand keyword, by brand and keyword index (one read per keyword, where coreOf hashed). */
function keywordCoresOf(c: Compiled, words: ReadonlySet<string>): { stem: string; coreShape: string }[][] {
  let cores = coreLists.get(c);
  if (!cores) coreLists.set(c, (cores = c.brands.map((b) => b.keywords.map((k) => coreOf(c, k, words)))));
  return cores;
}

const hostWordSets = new WeakMap<Compiled, ReadonlySet<string>>();

/** The common words of host names (word_pieces and common_labels of domains.yaml). */
function hostWords(c: Compiled): ReadonlySet<string> {
  let words = hostWordSets.get(c);
  if (!words) hostWordSets.set(c, (words = new Set([...c.wordPieces, ...c.sets.commonLabels])));
  return words;
}

/** The keyword somewhere inside a longer host part, standing as a name (not huaweicloud's "icloud"). */
function namedInside(c: Compiled, p: string, k: Keyword, words: ReadonlySet<string>): boolean {
  let at = p.indexOf(k.compact);
  if (at < 0) return false;
  const { stem } = coreOf(c, k, words);
  for (; at >= 0; at = p.indexOf(k.compact, at + 1))
    if (standsAsName(p, at, stem, c.sets.commonLabels)) return true;
  return false;
}

type Keyword = Compiled['brands'][number]['keywords'][number];
const keywordCores = new WeakMap<Keyword, { stem: string; coreShape: string }>();

/** keywordCore of a compiled keyword, with its core in skeleton form, worked out once. */
function coreOf(c: Compiled, k: Keyword, words: ReadonlySet<string>): { stem: string; coreShape: string } {
  let found = keywordCores.get(k);
  if (!found) {
    const { core, stem } = keywordCore(k.text, words);
    keywordCores.set(k, (found = { stem, coreShape: core ? asciiSkeleton(core, c.skeletons) : '' }));
  }
  return found;
}

/**
 * A brand name with letters slipped in (amaszon, amazoen, micaerd): every letter of the name in order, the
 * same first letter, and only a few letters more. Names of six letters or more, so that short words that
 * happen to contain the letters do not count.
 */
function paddedName(p: string, k: string): boolean {
  if (k.length < 6 || p.length <= k.length || p.length > k.length * 1.6 || p[0] !== k[0]) return false;
  let j = 0;
  for (let i = 0; i < p.length && j < k.length; i++) if (p[i] === k[j]) j++;
  return j === k.length && !p.includes(k);
}

/** Letters that are easy to misread for each other in a host name. */
const SIMILAR = new Set([
  'mn',
  'nm',
  'il',
  'li',
  'ij',
  'ji',
  'uv',
  'vu',
  'ce',
  'ec',
  'ao',
  'oa',
  'oq',
  'qo',
  'gq',
  'qg',
  'bd',
  'db',
  'pq',
  'qp',
  'hn',
  'nh',
  'rn',
  'nr',
]);

/**
 * Is `s` a visual or typing slip of the brand keyword `k`? Allowed: one swap of similar letters (amazom),
 * two neighbours swapped (amzaon), one letter doubled or undoubled (ammazon); for keywords of seven or more
 * letters any single added, removed or changed letter but the first (rakuien, eposcardd). Real words that
 * differ by an arbitrary letter (mobile/ymobile, ucloud/icloud, tmobile/ymobile) are not slips.
 */
export function typoOf(s: string, k: string): boolean {
  if (s === k) return false;
  const long = k.length >= 7;
  // Four-letter names (smbc) only count with a misread letter: smdc, not smba.
  if (s.length === k.length) {
    // Where the first two differences are, and how many there are (up to 3: no array per call).
    let diffs = 0;
    let d0 = -1;
    let d1 = -1;
    for (let i = 0; i < s.length && diffs <= 2; i++)
      if (s.charCodeAt(i) !== k.charCodeAt(i)) {
        if (diffs === 0) d0 = i;
        else if (diffs === 1) d1 = i;
        diffs++;
      }
    // A different first letter makes a different word (tmobile, ymobile): only a misread letter counts there.
    if (diffs === 1) return (long && d0 !== 0) || SIMILAR.has(s[d0]! + k[d0]!);
    return diffs === 2 && d1 === d0 + 1 && s[d0] === k[d1] && s[d1] === k[d0];
  }
  const longer = s.length > k.length ? s : k;
  const shorter = s.length > k.length ? k : s;
  if (longer.length !== shorter.length + 1 || k.length < 5) return false;
  for (let i = 0; i < longer.length; i++) {
    if (!equalWithout(longer, i, shorter)) continue;
    const ch = longer[i]!;
    const besideSimilar = [longer[i - 1], longer[i + 1]].some(
      (n) => n !== undefined && (n === ch || SIMILAR.has(ch + n)),
    );
    if ((long && i > 0) || besideSimilar) return true;
  }
  return false;
}

/** Whether `longer` without its letter at i is `shorter` (one letter shorter); compared without a new string. */
function equalWithout(longer: string, i: number, shorter: string): boolean {
  for (let j = 0; j < shorter.length; j++)
    if (shorter.charCodeAt(j) !== longer.charCodeAt(j < i ? j : j + 1)) return false;
  return true;
}

/** A slip of a long keyword inside a longer label: "rakuienshop" contains rakuien ≈ rakuten. */
function containsTypo(s: string, k: string): boolean {
  if (s.length < k.length + 2) return false;
  for (let len = k.length - 1; len <= k.length + 1; len++)
    for (let i = 0; i + len <= s.length; i++) {
      // One slip leaves the first or the second letter in place: skip windows that cannot match.
      const a = s[i];
      const b = s[i + 1];
      if (a !== k[0] && a !== k[1] && b !== k[0] && b !== k[1]) continue;
      // …and most of the window's letters: compare the last letters before building a substring.
      const z = s[i + len - 1];
      if (z !== k[k.length - 1] && z !== k[k.length - 2] && s[i + len - 2] !== k[k.length - 1]) continue;
      if (typoOf(s.slice(i, i + len), k)) return true;
    }
  return false;
}

const VOWELS = /[aeiouy]/;

// Character sets of the splits above (split-runs.ts: a split by pattern builds a RegExp per call).
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const NOT_PATH_WORD = notIn(LOWER_ALNUM + '_=-');
const PATH_PART_END = inSet('/?&#=');
const WORD_JOINER = inSet('-_.+ ');
const NOT_ALNUM = notIn(LOWER_ALNUM);
const DIGIT = inSet('0123456789');

/** Random-looking labels: machine-made names such as "kcjsy", "w67uyi15" or "quisnvbcuebiap". */
export function looksRandom(c: Compiled, label: string, strict = false): boolean {
  if (label.startsWith('xn--')) return false;
  const { model, threshold, strictThreshold, minLength } = c.hostModel;
  for (const token of label.split('-')) {
    const t = stripPieces(token, c.wordPieces);
    if (t.length < 5) continue;
    if (mixesDigits(t)) return true;
    for (const run of splitRuns(t, DIGIT)) {
      if (run.length < minLength) continue;
      // Spelled unlike any English or Japanese word, or unlike words and also built like no word.
      const score = model.score(run);
      // Registered names are often brandable coinages (github, qiita) that no word list knows: for them,
      // unusual spelling counts only together with an unusual build.
      if (
        (strict
          ? score < strictThreshold && oddShape(run)
          : score < strictThreshold || (score < threshold && oddShape(run))) &&
        !twoWords(c, run)
      )
        return true;
    }
  }
  return false;
}

/**
 * Two word-like halves glued together (techblog, paylater, kinoshita-kogyo's "kogyoshop"): the seam is what
 * looks unusual, not the words. Machine-made names have no such split.
 */
function twoWords(c: Compiled, run: string): boolean {
  if (run.length < 6 || run.length > 30) return false;
  const { model, threshold } = c.hostModel;
  for (let i = 3; i <= run.length - 3; i++) {
    const a = run.slice(0, i);
    const b = run.slice(i);
    if (model.score(a) >= threshold && model.score(b) >= threshold && !oddShape(a) && !oddShape(b))
      return true;
  }
  return false;
}

/** Removes known abbreviations from both ends: "tiktokcdn" → "tiktok", "cdngslb" → "". */
function stripPieces(token: string, pieces: string[]): string {
  let t = token;
  for (let changed = true; changed && t.length > 0;) {
    changed = false;
    for (const p of pieces) {
      if (t.length > p.length && t.startsWith(p)) t = t.slice(p.length);
      else if (t.length > p.length && t.endsWith(p)) t = t.slice(0, -p.length);
      else if (t === p) t = '';
      else continue;
      changed = true;
      break;
    }
  }
  return t;
}

/** Letters and digits interleaved (w67uyi15, 2mn85o) or a long digit run inside a name. */
function mixesDigits(s: string): boolean {
  let transitions = 0;
  let digits = 0;
  for (let i = 0; i < s.length; i++) {
    const isDigit = s[i]! >= '0' && s[i]! <= '9';
    if (isDigit) digits++;
    if (i > 0 && isDigit !== (s[i - 1]! >= '0' && s[i - 1]! <= '9')) transitions++;
  }
  const letters = s.length - digits;
  return (transitions >= 3 && letters >= 2 && digits >= 2) || (letters >= 4 && /\d{5,}/.test(s));
}

/** Built like no word: long consonant runs or almost no vowels. */
function oddShape(run: string): boolean {
  let maxConsonants = 0;
  let current = 0;
  let vowels = 0;
  for (const ch of run) {
    if (VOWELS.test(ch)) {
      vowels++;
      current = 0;
    } else if (++current > maxConsonants) maxConsonants = current;
  }
  return maxConsonants >= 4 || vowels / run.length < 0.25;
}
