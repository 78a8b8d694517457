// The links step for the whole message: each link judged on its own (links.ts) set against the brand the
// message claims, links whose shown text hides another address, too many links, links the source hid.
import type { Compiled } from './compile.ts';
import { normalize, refang } from './normalize.ts';
import { extract, type Extracted } from './extract.ts';
import { officialList, registrable, underAny } from './hosts.ts';
import type { LinkAnalysis } from './links.ts';
import type { Claim } from './brands.ts';
import type { Signal, VerdictUrl } from './types.ts';

/** A link as a mail's HTML shows it: the visible text, and where it really goes. */
export interface ShownLink {
  text: string;
  href: string;
}

/** The message's links as the verdict lists them; their signs go to `signals`. */
export function linkFindings(
  c: Compiled,
  ex: Extracted,
  links: LinkAnalysis[],
  { brand, claimedInText }: Claim,
  shownLinks: ShownLink[],
  signals: Signal[],
): VerdictUrl[] {
  const urls: VerdictUrl[] = links.map((l) => {
    // The claimed brand's name in a social network's path is the brand's own account there (x.com/AmazonJP).
    if (brand && claimedInText && underAny(c.sets.socialProfiles, l.host))
      l.signals = l.signals.filter((s) => s.code !== 'brand_in_path');
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
  signals.push(...shownLinkMismatches(shownLinks));
  if (ex.tooManyLinks) signals.push({ code: 'too_many_links', vars: { evidence: String(ex.urls.length) } });
  for (const m of ex.masked.slice(0, 1)) {
    signals.push({ code: 'masked_link', vars: { evidence: m.raw } });
    const dyn = m.visibleHost ? underAny(c.sets.dynamicDns, m.visibleHost) : null;
    if (dyn) signals.push({ code: 'dynamic_dns', vars: { host: m.raw, domain: dyn } });
  }
  return urls;
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
