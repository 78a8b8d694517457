// Shapes of a link's path and query that phishing kits show and sites' own links do not. Pure string tests on
// parts already cut to a bounded length by the caller.

/** Kind of a character in a token: 0 digit, 1 small letter, 2 capital. */
const kind = (ch: string) => (ch >= '0' && ch <= '9' ? 0 : ch >= 'a' && ch <= 'z' ? 1 : 2);

/**
 * A longer code as the whole path (/18CdaKd8ZKo, /mdwoYEykOnkWu): 6 to 24 letters and digits that switch between
 * digits, small and capital letters five times or more, with a digit or two capitals side by side, as share and
 * tracking codes are made. Names written in CamelCase (/RhodesEnvInc) switch as often but have neither.
 */
export function mixedToken(path: string): boolean {
  if (!/^\/[A-Za-z0-9]{6,24}\/?$/.test(path)) return false;
  const token = path.replaceAll('/', '');
  let switches = 0;
  let digitOrCaps = false;
  for (let i = 1; i < token.length; i++) {
    const a = kind(token[i - 1]!);
    const b = kind(token[i]!);
    if (a !== b) switches++;
    if (a === 0 || b === 0 || (a === 2 && b === 2)) digitOrCaps = true;
  }
  return switches >= 5 && digitOrCaps && /[a-z]/.test(token) && /[A-Z]/.test(token);
}

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
