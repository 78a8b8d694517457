// Per-message lookups in the host indexes and sets that compile.ts builds: is a host (or a parent
// domain of it) listed?

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
