// Domains only public bodies can hold in Japan: the go.jp and lg.jp zones, and the names kept for local
// governments in the geographic .jp space (pref.chiba.jp, metro.tokyo.jp, city.sapporo.jp,
// town.hinode.tokyo.jp). A link there is the government's, the prefecture's (its police included) or the
// city's own site. The rules and their registry sources are in rules/domains.yaml.
import { parse as parseDomain } from 'tldts';
import type { Compiled } from './compile.ts';
import { underAny } from './hosts.ts';

/** A suffix of ASCII labels only (no IDN prefecture name: those spaces follow other rules). */
const ASCII_SUFFIX = /^[a-z-]+(?:\.[a-z-]+)*\.jp$/;

/**
 * The public body's zone or registrable name a host is under (lg.jp, pref.chiba.jp), or null. A zone itself
 * (go.jp) is no body's site; the registrable name decides, so pref.chiba.jp.example.cn is no such host.
 */
export function governmentZone(c: Compiled, host: string): string | null {
  const zone = underAny(c.sets.governmentZones, host);
  if (zone) return host === zone ? null : zone;
  if (!host.endsWith('.jp')) return null;
  const { domain, publicSuffix } = parseDomain(host);
  if (!domain || !publicSuffix || !ASCII_SUFFIX.test(publicSuffix)) return null;
  // A geographic suffix (chiba.jp, naha.okinawa.jp), not an organisation type (co.jp) nor .jp itself.
  if (publicSuffix === 'jp' || c.sets.jpOrganisationTypes.has(publicSuffix)) return null;
  const first = domain.slice(0, domain.length - publicSuffix.length - 1);
  return c.sets.localGovernmentLabels.has(first) ? domain : null;
}
