// Shapes of a link's path and query that phishing kits show and sites' own links do not. Pure string tests on
// parts already cut to a bounded length by the caller.

/** The site's front page: "/" or its index file. */
const FRONT_PAGE = /^\/(?:index\.(?:php|html?|aspx?|jsp))?$/i;

/**
 * Parameters on a site's front page (/?id=…, /index.php?info=…) other than those a front page takes (a search,
 * a page number, a language, a campaign tag: `keys`, and utm_…). Kits serve their form at the root of a
 * throw-away site and tell the victims apart by the parameter; a site sends people to the page itself.
 * Returns the first parameter as shown ("?id="), or null. At most 16 parameters are read.
 */
export function frontPageQuery(pathname: string, search: string, keys: Set<string>): string | null {
  if (!FRONT_PAGE.test(pathname) || !search.includes('=')) return null;
  const names = search
    .slice(1, 1025)
    .split('&', 16)
    .map((p) => p.split('=', 1)[0]!.toLowerCase())
    .filter(Boolean);
  if (names.length === 0 || names.some((k) => keys.has(k) || k.startsWith('utm_'))) return null;
  return `?${names[0]!.slice(0, 24)}=`;
}
