// Hosts and links in a reply are shown "defanged" (amazon-co-jp[.]xyz): readable, but LINE cannot turn
// them into something a worried person taps by mistake.
//
// defangText reads any text a person or a mail put in front of us, so it runs in time linear in its
// length: a scanner instead of the regexes it replaced (`\b[a-z][a-z0-9+.-]*:\/\/…` and
// `(?:[\p{L}\p{N}_-]+\.)+\p{L}…` restart at every dot of "a.a.a.a…", so a 100 KB subject took 33 s).
// It does what those regexes did; test/hostile/defang.test.ts holds them and compares on random texts.

/** amazon-co-jp.xyz → amazon-co-jp[.]xyz; every dot, so no part of the name stays linkable. */
export function defangHost(host: string): string {
  return host.replace(/[.．。｡]/g, '[.]');
}

const IPV4 = /(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d.])/g;

/** Defangs every link, host, email domain and IPv4 address inside a free text (a reason, an address). */
export function defangText(text: string): string {
  const out = defangHosts(defangUrls(text));
  // Every pattern here needs a dot: most reasons and advice lines have none.
  return out.includes('.') ? out.replace(IPV4, (m) => defangHost(m)) : out;
}

// Character classes by code unit: these run on every character around a link or a dot, in every
// reason and advice line of every card (a regex test on a one-character string each cost more).
/** [a-z0-9+.-], either case. */
const isSchemeChar = (c: number) =>
  isLetter(c) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2e || c === 0x2d;
/** \w: [A-Za-z0-9_]. */
const isWordChar = (c: number) => isLetter(c) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
/** [a-z], either case. */
const isLetter = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
/** Characters that end a link's rest (after "://"): these and \s. */
const URL_STOP = new Set([...' <>"\'「」（）()、。'].map((c) => c.charCodeAt(0)));
/** \s as JavaScript defines it (WhiteSpace and LineTerminator). */
const isSpace = (c: number) =>
  (c >= 0x09 && c <= 0x0d) ||
  c === 0x20 ||
  c === 0xa0 ||
  c === 0x1680 ||
  (c >= 0x2000 && c <= 0x200a) ||
  c === 0x2028 ||
  c === 0x2029 ||
  c === 0x202f ||
  c === 0x205f ||
  c === 0x3000 ||
  c === 0xfeff;

/** scheme://rest → hxxps[:]//rest with every dot of the rest defanged. */
function defangUrls(text: string): string {
  let out = '';
  let done = 0; // text before this index is in `out`
  let from = 0;
  for (;;) {
    const sep = text.indexOf('://', from);
    if (sep < 0) break;
    // The scheme: the leftmost letter at a word boundary in the run of scheme characters before "://".
    let runStart = sep;
    while (runStart > done && isSchemeChar(text.charCodeAt(runStart - 1))) runStart--;
    let start = -1;
    for (let p = runStart; p < sep; p++) {
      if (isLetter(text.charCodeAt(p)) && !(p > 0 && isWordChar(text.charCodeAt(p - 1)))) {
        start = p;
        break;
      }
    }
    if (start < 0) {
      from = sep + 1;
      continue;
    }
    // Only now the rest: scanning it for every "://" of "://://…" would be quadratic.
    let end = sep + 3;
    for (let c = text.charCodeAt(end); end < text.length && !URL_STOP.has(c) && !isSpace(c);)
      c = text.charCodeAt(++end);
    if (end === sep + 3) {
      from = sep + 1;
      continue;
    }
    const scheme = text.slice(start, sep).toLowerCase().replace(/^http/, 'hxxp');
    out += text.slice(done, start) + `${scheme}[:]//${defangHost(text.slice(sep + 3, end))}`;
    done = end;
    from = end;
  }
  return out + text.slice(done);
}

const NAME_CHAR = /^[\p{L}\p{N}_.-]$/u;
const FINAL_LABEL = /^\p{L}[\p{L}\p{N}-]/u;

/**
 * A dotted name whose last label starts with a letter, as every top-level domain does (example.com,
 * 例え.jp): its dots defanged; "1.5倍" and "No.1" stay as they are. Only the runs of name characters
 * around a dot are looked at (a Japanese text is one long run of letters otherwise): each dot's run is
 * found by walking out from it, and the walk never goes back over a run already taken, so it is linear.
 */
function defangHosts(text: string): string {
  let out = '';
  let done = 0; // text before this index is in `out`
  for (let dot = text.indexOf('.'); dot >= 0; dot = text.indexOf('.', done)) {
    let start = dot;
    while (start > done && isNameChar(text, start, -1)) start -= charBefore(text, start).length;
    let end = dot + 1;
    while (end < text.length && isNameChar(text, end, 1)) end += charAt(text, end).length;
    out += text.slice(done, start) + defangRun(text.slice(start, end));
    done = end;
  }
  return done === 0 ? text : out + text.slice(done);
}

/** Whether the code point just before (dir -1) or at (dir 1) index i is a letter, digit, _, . or -. */
function isNameChar(text: string, i: number, dir: -1 | 1): boolean {
  const c = text.charCodeAt(dir < 0 ? i - 1 : i);
  // ASCII by code (most hosts are), anything else by the Unicode classes.
  if (c < 0x80) return isWordChar(c) || c === 0x2e || c === 0x2d;
  return NAME_CHAR.test(dir < 0 ? charBefore(text, i) : charAt(text, i));
}

/** The code point ending at index i (a surrogate pair whole; a lone half alone). */
function charBefore(text: string, i: number): string {
  const lo = text.charCodeAt(i - 1);
  const hi = i >= 2 ? text.charCodeAt(i - 2) : 0;
  return lo >= 0xdc00 && lo <= 0xdfff && hi >= 0xd800 && hi <= 0xdbff ? text.slice(i - 2, i) : text[i - 1]!;
}

/** The code point starting at index i. */
function charAt(text: string, i: number): string {
  return String.fromCodePoint(text.codePointAt(i)!);
}

/**
 * One run of name characters and dots. Labels between dots; a name is two or more non-empty labels in a
 * row, the last starting with a letter and at least two name characters long (its start, up to a "_",
 * counts). The longest such name from each first label is taken, as a greedy regex would.
 */
function defangRun(run: string): string {
  const labels = run.split('.');
  const out: string[] = [];
  let i = 0;
  while (i < labels.length) {
    if (labels[i] === '') {
      out.push('');
      i++;
      continue;
    }
    // The labels in a row from i, and the furthest one that can end a name.
    let last = -1;
    let j = i;
    while (j < labels.length && labels[j] !== '') {
      if (j > i && canEndName(labels[j]!)) last = j;
      j++;
    }
    if (last < 0) {
      out.push(...labels.slice(i, j));
      i = j;
      continue;
    }
    out.push(labels.slice(i, last + 1).join('[.]'));
    i = last + 1;
  }
  // The dots left between the pieces were not part of a name.
  return out.join('.');
}

/** The last label of a name: a letter, then at least one more letter, digit or hyphen. */
function canEndName(label: string): boolean {
  return FINAL_LABEL.test(label);
}
