// Every regular expression in src/ — the literals, found by reading the sources with TypeScript's
// parser, and those built at run time (from rules/ and from templates), caught by watching the RegExp
// constructor while the modules load and the detector and the guide compile their rules — is run on
// hostile texts of 100,000 characters: long runs of one character or a short unit (spaces, dots,
// letters, digits, "<", "a", "=" …) and repeated prefixes of what the expression itself matches
// (drawn by fast-check). A regex whose time grows with the square of the input fails, found by how its
// time grows from 8,000 to 32,000 to 100,000 characters, before it can take minutes. The bounds are
// generous (the machine is shared): they catch super-linear growth, not slowness.
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;
const SRC = join(ROOT, 'src');

interface Found {
  re: RegExp;
  where: string;
}

/** Regex literals of every .ts file under src/, with file:line. */
function literals(): Found[] {
  const out: Found[] = [];
  const walkDir = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walkDir(p);
      else if (e.name.endsWith('.ts')) scanFile(p);
    }
  };
  const scanFile = (file: string) => {
    const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node) => {
      if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
        const text = node.getText(sf);
        const slash = text.lastIndexOf('/');
        const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
        out.push({
          re: new RegExp(text.slice(1, slash), text.slice(slash + 1)),
          where: `${relative(ROOT, file)}:${line}`,
        });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  };
  walkDir(SRC);
  return out;
}

/** Regexes constructed by code under src/ while `during` runs (module loading, rule compiling). */
async function builtAtRunTime(during: () => Promise<void>): Promise<Found[]> {
  const out: Found[] = [];
  const Original = globalThis.RegExp;
  globalThis.RegExp = new Proxy(Original, {
    construct(target, args: [string | RegExp, string?]) {
      const re = Reflect.construct(target, args) as RegExp;
      // The caller: the first stack frame outside this file.
      const frame = (new Error().stack ?? '')
        .split('\n')
        .slice(2)
        .find((l) => !l.includes('regex.test.ts'));
      const at = /\(?([^()\s]+\/src\/[^():]+):(\d+)/.exec(frame ?? '');
      if (at && !at[1]!.includes('node_modules'))
        out.push({ re, where: `${relative(ROOT, at[1]!)}:${at[2]} (built)` });
      return re;
    },
    apply(target, _this, args: [string | RegExp, string?]) {
      return Reflect.construct(target, args) as RegExp;
    },
  });
  try {
    await during();
  } finally {
    globalThis.RegExp = Original;
  }
  return out;
}

/** Runs of these units (repeated to the length wanted) are the generic hostile inputs. */
const UNITS = [
  'a',
  '1',
  ' ',
  '\t',
  '\n',
  '.',
  '-',
  '_',
  '@',
  '<',
  '=',
  '"',
  '/',
  ':',
  '(',
  '*',
  'あ',
  'ア',
  'ー',
  '様',
  '。',
  '\u3000',
  '０',
  'a.',
  '1.',
  'a@',
  'a-',
  'a ',
  '1 ',
  '1-',
  '<a',
  '<a ',
  '=?',
  'a=',
  'http://',
  'www.',
  '://',
  'a\n',
  ' \n',
];
/** Each run is tried as it is and with this character after it (a run that ends in a mismatch). */
const BREAK = '\u0001';

const cache = new Map<string, string>();
function repeatTo(unit: string, n: number, broken: boolean): string {
  const key = `${n}:${broken ? 1 : 0}:${unit}`;
  let s = cache.get(key);
  if (s === undefined) {
    s = unit.repeat(Math.ceil(n / unit.length)).slice(0, broken ? n - 1 : n) + (broken ? BREAK : '');
    if (cache.size < 400) cache.set(key, s);
  }
  return s;
}

/** Characters tried as the representative of a class or property escape, in this order. */
const CANDIDATES = [...'a1 .-_@/:あア様。（【\n%+#?=&~ーzA0０ａ\t"\'<>(),;!$*[]{}|^\\'];

/** A character `cls` (a class or escape, as regex source) matches; 'a' when none of the candidates does. */
function representative(cls: string, flags: string): string {
  try {
    const re = new RegExp(`^${cls}$`, flags.replace(/[gy]/g, ''));
    return CANDIDATES.find((c) => re.test(c)) ?? 'a';
  } catch {
    return 'a';
  }
}

/** Index after the group or class that starts at `i` ("(" or "["), escapes and nested classes heeded. */
function skipBracket(src: string, i: number): number {
  let depth = 0;
  let inClass = false;
  for (let j = i; j < src.length; j++) {
    const c = src[j];
    if (c === '\\') j++;
    else if (inClass) {
      if (c === ']') {
        inClass = false;
        if (src[i] === '[') return j + 1;
      }
    } else if (c === '[') {
      inClass = true;
      if (src[i] === '[' && j === i) continue;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return j + 1;
  }
  return src.length;
}

/**
 * One string of the kind the regex matches, roughly: each atom once, twice under + and *, the first
 * branch of an alternation; anchors and look-arounds give nothing. Not exact (it need not be): it is
 * the seed of the repeated-prefix inputs.
 */
export function example(src: string, flags: string): string {
  const frames: string[][] = [[]];
  let i = 0;
  const top = () => frames[frames.length - 1]!;
  while (i < src.length) {
    const c = src[i]!;
    let atom: string | null = null;
    if (c === '\\') {
      const n = src[i + 1] ?? '';
      let len = 2;
      if (n === 'p' || n === 'P' || n === 'k') len = src.indexOf('}', i) - i + 1 || 2;
      else if (n === 'u' && src[i + 2] === '{') len = src.indexOf('}', i) - i + 1;
      else if (n === 'u') len = 6;
      else if (n === 'x') len = 4;
      else if (n === 'c') len = 3;
      const esc = src.slice(i, i + len);
      atom = /^\\[bB1-9k]/.test(esc) ? '' : representative(esc, flags);
      i += len;
    } else if (c === '[') {
      const j = skipBracket(src, i);
      atom = representative(src.slice(i, j), flags);
      i = j;
    } else if (c === '(') {
      if (/^\(\?<?[=!]/.test(src.slice(i, i + 4))) {
        i = skipBracket(src, i);
        atom = '';
      } else {
        frames.push([]);
        i += src.startsWith('(?:', i) ? 3 : src.startsWith('(?<', i) ? src.indexOf('>', i) + 1 - i : 1;
        continue;
      }
    } else if (c === ')') {
      const inner = frames.pop()!.join('');
      top().push(inner);
      i++;
      continue;
    } else if (c === '|') {
      // Keep the first branch: skip to the end of this group.
      let depth = 0;
      let j = i;
      for (; j < src.length; j++) {
        if (src[j] === '\\') j++;
        else if (src[j] === '[') j = skipBracket(src, j) - 1;
        else if (src[j] === '(') depth++;
        else if (src[j] === ')') {
          if (depth === 0) break;
          depth--;
        }
      }
      i = j;
      continue;
    } else if (c === '^' || c === '$') {
      atom = '';
      i++;
    } else if (c === '.') {
      atom = 'a';
      i++;
    } else if ('*+?{'.includes(c)) {
      // A quantifier on the atom before it.
      const q = /^(?:[*+?]|\{(\d+)(?:,(\d*))?\})\??/.exec(src.slice(i));
      if (!q) {
        atom = c;
        i++;
      } else {
        const last = top().pop() ?? '';
        const min = q[1] !== undefined ? Number(q[1]) : c === '+' ? 1 : 0;
        const times = c === '?' ? 1 : Math.max(Math.min(min, 8), 2);
        top().push(last.repeat(times));
        i += q[0].length;
        continue;
      }
    } else {
      atom = c;
      i++;
    }
    top().push(atom);
  }
  while (frames.length > 1) {
    const inner = frames.pop()!.join('');
    top().push(inner);
  }
  return top().join('');
}

/** Units made from what the regex matches: an example, and the example without its last character. */
function derivedUnits(re: RegExp): string[] {
  const ex = example(re.source, re.flags).slice(0, 200);
  return [...new Set([ex, [...ex].slice(0, -1).join('')])].filter((u) => u.length > 0);
}

function time(re: RegExp, s: string): number {
  const r = new RegExp(re.source, re.flags);
  const t = performance.now();
  if (r.global) s.replace(r, '');
  else r.exec(s);
  return performance.now() - t;
}

/** The smaller of a few runs: one garbage-collection pause is not a verdict. */
function best(re: RegExp, s: string, runs: number): number {
  let min = Infinity;
  for (let i = 0; i < runs; i++) min = Math.min(min, time(re, s));
  return min;
}

/** Problems with one regex on one unit, or null. */
function growth(re: RegExp, unit: string, broken: boolean): string | null {
  const small = repeatTo(unit, 8_000, broken);
  let t8 = time(re, small);
  if (t8 > 20) {
    // Already slow: see how it grows before trying 100k (a quadratic one would take minutes there).
    t8 = best(re, small, 2);
    const t32 = time(re, repeatTo(unit, 32_000, broken));
    if (t32 > 20 && t32 > 10 * t8) return `8k ${t8.toFixed(1)} ms → 32k ${t32.toFixed(1)} ms`;
  }
  const big = repeatTo(unit, 100_000, broken);
  let t100 = time(re, big);
  if (t100 > 100 && t100 > 40 * Math.max(t8, 0.05)) {
    t8 = best(re, small, 3);
    t100 = best(re, big, 3);
  }
  if (t100 > 2000) return `100k took ${t100.toFixed(0)} ms`;
  if (t100 > 100 && t100 > 40 * Math.max(t8, 0.05))
    return `8k ${t8.toFixed(2)} ms → 100k ${t100.toFixed(1)} ms`;
  return null;
}

let all: Found[] = [];
let counts = { literal: 0, built: 0 };

beforeAll(async () => {
  const lit = literals();
  const built = await builtAtRunTime(async () => {
    // Modules that build regexes when they load, then the rule compilers.
    await import('../../src/log/mask.ts');
    await import('../../src/media/ocr-text.ts');
    const { loadDetector } = await import('../../src/detector/load.ts');
    const { loadGuide } = await import('../../src/guide/load.ts');
    const { understand } = await import('../../src/guide/understand.ts');
    const d = await loadDetector();
    d.analyze('【Amazon】お支払い方法に問題があります https://amazon-co-jp.xyz/login 0120-123-456');
    const g = await loadGuide();
    understand(g.matcher, 'リンクを開いてカード番号を入力してしまいました。188に電話しました');
  });
  const seen = new Set<string>();
  all = [...lit, ...built].filter((f) => {
    const key = `/${f.re.source}/${f.re.flags}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  counts = { literal: lit.length, built: built.length };
}, 120_000);

describe('every regex in src/ and built from rules/', () => {
  it('finds them: literals in the sources and those built at run time', () => {
    expect(counts.literal).toBeGreaterThan(100);
    // rules/language.yaml's patterns and the templates in mask.ts, ocr-text.ts, understand.ts.
    expect(all.some((f) => f.where.startsWith('src/detector/compile.ts'))).toBe(true);
    expect(all.some((f) => f.where.startsWith('src/log/mask.ts') && f.where.endsWith('(built)'))).toBe(true);
  });

  it('runs in time growing no faster than the input, on 100,000-character hostile texts', () => {
    const problems: string[] = [];
    const started = performance.now();
    let runs = 0;
    for (const f of all) {
      // One problem per regex is enough to name it (and a quadratic one costs seconds a run).
      regex: for (const unit of [...UNITS, ...derivedUnits(f.re)])
        for (const broken of [false, true]) {
          runs++;
          const t0 = performance.now();
          const p = growth(f.re, unit, broken);
          // REGEX_TRACE=FILE: every run's time, to find a slow one while the test is still running.
          if (process.env.REGEX_TRACE)
            appendFileSync(
              process.env.REGEX_TRACE,
              `${f.where}\t${JSON.stringify(unit)}\t${broken}\t${(performance.now() - t0).toFixed(1)}\t${p ?? ''}\n`,
            );
          if (p)
            if (p) {
              const run = `${JSON.stringify(unit)} repeated${broken ? ' + \\u0001' : ''}`;
              problems.push(`${f.where} /${f.re.source.slice(0, 80)}/${f.re.flags} on ${run}: ${p}`);
              break regex;
            }
        }
    }
    console.log(
      `${all.length} regexes (${counts.literal} literals, ${counts.built} built at run time, duplicates counted once), ` +
        `${runs} hostile texts each at 8k and 100k characters: ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    expect(problems).toEqual([]);
  }, 600_000);
});
