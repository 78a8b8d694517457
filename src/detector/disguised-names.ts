// Brand names written with look-alike letters in the text itself: 「NlCOS」 (a small L for the I), 「Amaz0n」,
// 「ＡｍａｚOn」 (full-width and half-width letters mixed in one word), 「楽夫」 for 楽天, 「ヤマ卜運輸」 with the
// kanji 卜 for the katakana ト. No genuine sender misspells its own name; the trick exists to slip past
// filters while a reader still sees the brand. The brand so named is the brand the message claims.
import type { CompiledBrand } from './compile.ts';
import { asciiSkeleton, unconfuse, type Skeletons } from './lookalike.ts';
import type { Signal } from './types.ts';
import { FirstUnitIndex } from './first-unit-index.ts';
import { lowerOf } from './lower-case.ts';

export interface Disguises {
  /** Skeleton of an ASCII name (nicos → nlcos) → the brand and the names as really written. */
  ascii: Map<string, { brand: CompiledBrand; forms: Set<string> }>;
  /** Japanese aliases with one letter swapped for a look-alike, indexed by that letter (one code unit). */
  swapped: FirstUnitIndex<{ text: string; offset: number; brand: CompiledBrand; alias: string }>;
}

export interface DisguisedName {
  brand: CompiledBrand;
  /** The name as the message writes it. */
  evidence: string;
}

/** ASCII names shorter than this are too often ordinary letters (au, JR, ANA). */
const MIN_ASCII = 4;
/** Latin (and Greek/Cyrillic posing as Latin) words with digits; bounded so the scan stays linear. */
const WORD = /[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}0-9]{4,40}/gu;
/** Half-width and full-width letters in one word (checked on the text as received, before NFKC). */
const MIXED_WIDTH = /[A-Za-z\uFF21-\uFF3A\uFF41-\uFF5A]{3,40}/g;

/**
 * @param lookalikes  a letter of a Japanese name → letters that look the same (rules/language.yaml
 *                    kanji_lookalikes: 天 → 夫, ト → 卜)
 */
export function compileDisguises(
  brands: CompiledBrand[],
  skeletons: Skeletons,
  lookalikes: Record<string, string[]>,
): Disguises {
  const ascii: Disguises['ascii'] = new Map();
  const swapped: Disguises['swapped'] = new FirstUnitIndex();
  const taken = new Set(brands.flatMap((b) => b.aliases.map((a) => a.text)));
  for (const brand of brands) {
    // ASCII names: one-word aliases and the brand's host keywords (nicos, rakuten, amazon), which name it alone.
    const words = [
      ...brand.aliases.filter((a) => a.ascii).map((a) => a.text),
      ...brand.keywords.map((k) => k.compact),
    ];
    for (const text of words) {
      if (text.length < MIN_ASCII || !/^[a-z0-9]+$/.test(text) || !/[a-z]/.test(text)) continue;
      const key = asciiSkeleton(text, skeletons);
      const entry = ascii.get(key) ?? { brand, forms: new Set<string>() };
      entry.forms.add(text);
      ascii.set(key, entry);
    }
    for (const { text, ascii: isAscii } of brand.aliases) {
      if (isAscii || text.length < 2) continue;
      const chars = [...text];
      chars.forEach((ch, i) => {
        for (const look of lookalikes[ch] ?? []) {
          const variant = [...chars.slice(0, i), look, ...chars.slice(i + 1)].join('');
          // The text is scanned one code unit at a time: a look-alike outside the BMP is never met.
          if (taken.has(variant) || look.length !== 1) continue;
          swapped.add(look.charCodeAt(0), {
            text: variant,
            offset: chars.slice(0, i).join('').length,
            brand,
            alias: text,
          });
        }
      });
    }
  }
  return { ascii, swapped };
}

/** The first brand name the text writes in disguise, or null. */
export function findDisguisedName(
  d: Disguises,
  skeletons: Skeletons,
  prose: string,
  raw: string,
): DisguisedName | null {
  const lower = lowerOf(prose);
  // exec loops on the global patterns (matchAll copied the pattern and allocated an iterator per call).
  WORD.lastIndex = 0;
  for (let m = WORD.exec(lower); m; m = WORD.exec(lower)) {
    const word = m[0];
    const hit = d.ascii.get(asciiSkeleton(unconfuse(word, skeletons), skeletons));
    if (hit && !hit.forms.has(word))
      return { brand: hit.brand, evidence: prose.slice(m.index, m.index + word.length) };
  }
  MIXED_WIDTH.lastIndex = 0;
  for (let m = MIXED_WIDTH.exec(raw); m; m = MIXED_WIDTH.exec(raw)) {
    const word = m[0];
    if (!/[A-Za-z]/.test(word) || !/[\uFF21-\uFF3A\uFF41-\uFF5A]/.test(word)) continue;
    const hit = d.ascii.get(asciiSkeleton(word.normalize('NFKC').toLowerCase(), skeletons));
    if (hit) return { brand: hit.brand, evidence: word };
  }
  for (let i = 0; i < lower.length; i++) {
    const list = d.swapped.at(lower.charCodeAt(i));
    if (!list) continue;
    for (const v of list)
      if (v.offset <= i && lower.startsWith(v.text, i - v.offset))
        return { brand: v.brand, evidence: prose.slice(i - v.offset, i - v.offset + v.text.length) };
  }
  return null;
}

/** The reason: the name as written, and whose name it is. */
export function disguisedSign(d: DisguisedName): Signal {
  return { code: 'brand_name_disguised', vars: { evidence: d.evidence, brandOf: d.brand.id } };
}
