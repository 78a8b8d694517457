// Shapes of host labels that bulk-made phishing hosts show and sites' own names do not. Pure string tests,
// each linear in the label's length (labels are at most 63 characters).

/** Letters, a number, letters again (utfi58g, vsd57ugf): how kits name the sub-domains they mint. */
const CODED_LABEL = /^[a-z]{2,8}\d{2,6}[a-z]{1,8}$/;

/**
 * A sub-domain label coded as letters-number-letters (hdy679j.example.com), or any short label where letters and
 * digits switch twice or more (7qcz9, ktwe8qs, k468pz). Sites name sub-domains with words or a word and a number
 * (www2, cms1, 24hours); a number between letters, or letters between numbers, is a generated name.
 */
export function codedLabel(label: string): boolean {
  return CODED_LABEL.test(label) || switchesTwice(label);
}

/** Five to sixteen letters and digits only, with at least two letters and two switches between letters and digits. */
function switchesTwice(label: string): boolean {
  if (label.length < 5 || label.length > 16) return false;
  let switches = 0;
  let letters = 0;
  for (let i = 0; i < label.length; i++) {
    const ch = label[i]!;
    const digit = ch >= '0' && ch <= '9';
    if (!digit && !(ch >= 'a' && ch <= 'z')) return false;
    if (!digit) letters++;
    const prev = label[i - 1];
    if (prev !== undefined && digit !== (prev >= '0' && prev <= '9')) switches++;
  }
  return switches >= 2 && letters >= 2;
}

/**
 * A label that says the same four letters twice (certificate-certificate, growing-growth, fidencefident): name
 * generators pad a word with a copy or a variant of itself; people name sub-domains once. Letters and hyphens
 * only, at most 63 characters (a DNS label). Returns the label, or null.
 */
export function echoedLabel(label: string): string | null {
  if (label.length > 63 || !/^[a-z-]+$/.test(label)) return null;
  const s = label.replaceAll('-', '');
  for (let i = 0; i + 8 <= s.length; i++) if (s.indexOf(s.slice(i, i + 4), i + 4) >= 0) return label;
  return null;
}

/** "www" with words glued on, no dot between (wwwinfoview., www-info-view.), but not www2 or www-dev. */
const WWW_GLUED = /^www-?([a-z][a-z-]{3,})$/;

/**
 * A sub-domain that starts with "www" glued to more words (wwwinfoview.example.com): it reads like the start of
 * a homepage's address while the site is someone else's. Returns the label, or null.
 */
export function wwwGlued(label: string, commonLabels: Set<string>): string | null {
  const m = WWW_GLUED.exec(label);
  if (!m || commonLabels.has(m[1]!)) return null;
  return label;
}

/**
 * A mail or name server's label with a number (mail2., smtp01., mx10.): the stem is in
 * `numbered_infrastructure_labels` (rules/domains.yaml) and a number follows it. People are sent to a company's
 * pages, never to its numbered mail servers.
 */
export function numberedInfrastructure(label: string, stems: Set<string>): boolean {
  const m = /^([a-z]+)-?\d{1,4}$/.exec(label);
  return m !== null && stems.has(m[1]!);
}

/**
 * What follows a short brand name (four letters: smbc, aeon) glued into a registered name, when it is one to
 * three letters that make no known abbreviation (smbcqx, aeonir): kits add a few letters to find a name still
 * free. Returns the fragment, or null. Brands' own names add words (smbcnikko) or known pieces (amzndns).
 */
export function shortBrandFragment(
  token: string,
  keyword: string,
  pieces: readonly string[],
  commonLabels: Set<string>,
): string | null {
  if (keyword.length !== 4 || !token.startsWith(keyword)) return null;
  const rest = token.slice(keyword.length);
  if (!/^[a-z]{1,3}$/.test(rest) || pieces.includes(rest) || commonLabels.has(rest)) return null;
  return rest;
}

/** Japan's mark as one hyphen-joined part of a label: xxx-jp, jp-xxx, xxx-japan-xxx. */
const JAPAN_TAG = /(?:^|-)(?:jp|japan|nihon|nippon)(?:-|$)/;

/**
 * A label that joins Japan's mark to other words (card-jp, japan-shop) in a name outside .jp: kits aimed at
 * Japan dress a foreign domain up as a Japanese site; Japanese companies' sites are mostly on .jp, and their
 * hosts abroad carry the company's name, not the country's. Returns the label, or null.
 */
export function japanTag(labels: readonly string[], suffix: string): string | null {
  if (suffix === 'jp' || suffix.endsWith('.jp')) return null;
  for (const label of labels) if (label.includes('-') && JAPAN_TAG.test(label)) return label;
  return null;
}
