// Per-message lookups in the host indexes and sets that compile.ts builds: is a host (or a parent
// domain of it) listed? And the parts of a domain name the other steps compare.
import { parse as parseDomain } from 'tldts';

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

/** The labels of a domain left of its public suffix. */
export function ownLabels(domain: string): string[] {
  const suffix = parseDomain(domain).publicSuffix ?? '';
  const own = suffix && domain.endsWith('.' + suffix) ? domain.slice(0, -(suffix.length + 1)) : domain;
  return own.split('.').filter(Boolean);
}

/** The registrable domain (example.co.jp of www.example.co.jp), or the name itself when it has none. */
export function registrable(domain: string): string {
  return parseDomain(domain).domain ?? domain;
}

/** A brand's first official domains, as a reason names them. */
export function officialList(domains: string[]): string {
  return domains.slice(0, 2).join('、') || '公式サイト';
}
