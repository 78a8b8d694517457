// Several readings of one link (the Japanese pass's over the page; where the English pass disagrees
// with it, the English pass's, the Japanese model's over the link's crop and the English one's over a
// crop prepared another way) made into one, character by character. Each reading misses a few
// characters (an extra 「S」 in 「Ssagawa」, c read as e, q as g), rarely the same ones in the same
// place: where most agree, that is what the picture shows. Letters are compared without case (OCR
// reads www. as 「WWW.」 as often as not). Pure.

/** Longer readings are not links a phone shows in one piece; they are voted on as they are cut here. */
const MAX_READING = 300;

interface Alignment {
  /** What the other reading has at each character of the centre ('' where it has nothing). */
  at: string[];
  /** What it has before each character of the centre, and at the end (index = centre's length). */
  before: string[];
}

/** What separates a link's parts: one model may miss it (「3cxkbftop」), no model doubles it. */
const PUNCTUATION = /^[./\-:?=&]$/;

const same = (a: string, b: string) => a === b || a.toLowerCase() === b.toLowerCase();

/** One reading of a link and the model that made it. */
export interface Reading {
  text: string;
  model: 'jpn' | 'eng';
}

/** The options read most often (compared without case), in the readings' order. */
function mostRead(options: string[]): string[] {
  const folded = options.map((x) => x.toLowerCase());
  const count = (x: string) => folded.filter((y) => y === x).length;
  const max = Math.max(...folded.map(count));
  return [...new Set(folded.filter((x) => count(x) === max))];
}

/**
 * The character most readings have at one place ('' for none), written as the earliest reading that
 * has it writes it. On a tie, what is known of the two models on phone fonts (Noto Sans): each adds
 * letters the other does not (the English one a 「g」 in 「UB4qgF4w」, the Japanese one a doubled
 * letter, 「Cco」), so nothing beats a letter, but a dot or a slash (which one may miss) beats nothing; the Japanese one reads capitals for small letters
 * (「DOSt」 for 「post」), so a small letter beats capitals; the English one confuses small letters and
 * digits of this font (q → g, c → e, 6 → b), so otherwise the Japanese reading wins.
 */
function chooseCharacter(here: string[], models: Reading['model'][]): string {
  // The English model reads this font's q as g whatever the crop (「gebhiv」 for qebhiv on four crops
  // and scales of the tuning sets), the Japanese model over the crop often too; a q the Japanese model
  // read where the English readings have g is a q.
  const engRead = here.filter((_, k) => models[k] === 'eng');
  if (engRead.every((x) => x === 'g') && here.some((x, k) => x === 'q' && models[k] === 'jpn')) return 'q';
  const top = mostRead(here);
  const writtenAs = (folded: string) => here.find((x) => x.toLowerCase() === folded)!;
  if (top.length === 1) return writtenAs(top[0]!);
  // Punctuation is no doubled letter: a dot or a slash half the readings have is kept.
  const mark = top.find((x) => PUNCTUATION.test(x));
  if (mark && top.includes('')) return writtenAs(mark);
  if (top.includes('')) return '';
  // A small letter as written against capitals only (a digit is no capital: 6 and b are both read).
  const small = top.filter((x) => /^[a-z]$/.test(x) && here.includes(x));
  const capitals = top.filter((x) => /^[a-z]$/.test(x) && !here.includes(x));
  if (small.length === 1 && capitals.length === top.length - 1) return small[0]!;
  const byJpn = here.find((x, k) => models[k] === 'jpn' && top.includes(x.toLowerCase()));
  return byJpn ?? writtenAs(top[0]!);
}

/** The edit-distance alignment of `other` to `centre` (both short: cut to MAX_READING). */
function align(centre: string, other: string): { alignment: Alignment; distance: number } {
  const n = centre.length;
  const m = other.length;
  const d = Array.from({ length: n + 1 }, (_, i) => {
    const row = new Uint16Array(m + 1);
    row[0] = i;
    return row;
  });
  for (let j = 1; j <= m; j++) d[0]![j] = j;
  for (let i = 1; i <= n; i++)
    for (let j = 1; j <= m; j++)
      d[i]![j] = Math.min(
        d[i - 1]![j - 1]! + (same(centre[i - 1]!, other[j - 1]!) ? 0 : 1),
        d[i - 1]![j]! + 1,
        d[i]![j - 1]! + 1,
      );
  const at = new Array<string>(n).fill('');
  const before = new Array<string>(n + 1).fill('');
  let i = n;
  let j = m;
  // Back from the end: a match first, then a character missing or extra, a substitution last; so
  // 「www.ss」 against 「wwww.s」 is one w extra and one s missing, not two letters changed.
  while (i > 0 || j > 0) {
    const here = d[i]![j]!;
    if (i > 0 && j > 0 && same(centre[i - 1]!, other[j - 1]!) && here === d[i - 1]![j - 1]) {
      at[--i] = other[--j]!;
    } else if (i > 0 && here === d[i - 1]![j]! + 1) {
      at[--i] = '';
    } else if (j > 0 && here === d[i]![j - 1]! + 1) {
      before[i] = other[--j]! + before[i];
    } else {
      at[--i] = other[--j]!;
    }
  }
  return { alignment: { at, before }, distance: d[n]![m]! };
}

/**
 * One reading from several of the same link, in order of trust: the one closest to all others is the
 * centre; every other is aligned to it; at each character the most read wins (chooseCharacter), and
 * text only some readings add is kept when more than half add it.
 */
export function voteReadings(readings: Reading[]): string {
  const rs = readings.map((r) => r.text.slice(0, MAX_READING));
  const models = readings.map((r) => r.model);
  if (rs.length < 3) return rs[0] ?? '';
  // The centre: least total distance to the others (the first on a tie).
  let centre = 0;
  let best = Infinity;
  const aligned = rs.map((c) => rs.map((o) => align(c, o)));
  rs.forEach((_, c) => {
    const total = aligned[c]!.reduce((sum, a) => sum + a.distance, 0);
    if (total < best) {
      best = total;
      centre = c;
    }
  });
  const c = rs[centre]!;
  const others = aligned[centre]!.map((a) => a.alignment);
  let out = '';
  for (let i = 0; i <= c.length; i++) {
    // Inserted text: the centre has none, so it is kept only when more than half the readings have it.
    const inserted = others.map((a) => a.before[i]!);
    const held = (x: string) => inserted.filter((y) => same(y, x)).length * 2;
    out +=
      inserted.find((x) => x && held(x) > inserted.length) ??
      inserted.find((x) => PUNCTUATION.test(x) && held(x) === inserted.length) ??
      '';
    if (i === c.length) break;
    // The centre aligned to itself gives its own character.
    out += chooseCharacter(
      others.map((a) => a.at[i]!),
      models,
    );
  }
  return wwwAsRead(out, rs);
}

const MANY_W = /^((?:[a-z]+:\/\/)?)w{4,}\./i;
const THREE_W = /^(?:[a-z]+:\/\/)?(www\.)/i;

/**
 * The strokes of 「www」 run together and a model can count one 「w」 more (「WwWw.」): when another
 * reading has exactly 「www.」 there, that is what was written.
 */
function wwwAsRead(voted: string, readings: string[]): string {
  const many = MANY_W.exec(voted);
  if (!many) return voted;
  const three = readings.map((r) => THREE_W.exec(r)?.[1]).find(Boolean);
  return three ? many[1]! + three + voted.slice(many[0].length) : voted;
}
