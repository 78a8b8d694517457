// Which organisation does the message claim to be? Read from the sender's display name first, then
// the 【…】 tag or subject, then the words of the text.
import type { BrandAlias, Compiled, CompiledBrand } from './compile.ts';
import type { Extracted, MailHeaders } from './extract.ts';
import type { LinkAnalysis } from './links.ts';
import { imitatedBy, type SenderImitation } from './senders.ts';
import { findDisguisedName, type DisguisedName } from './disguised-names.ts';
import { sortSmall } from './small-sort.ts';
import { lowerOf } from './lower-case.ts';

interface Mention {
  brand: CompiledBrand;
  start: number;
  end: number;
}

/** Most places one alias is counted in a text (a bound on long repetitive input). */
const MAX_PER_ALIAS = 50;

/** All brand mentions in a text, a longer alias winning over a shorter one at the same place (楽天カード over 楽天). */
export function findMentions(c: Compiled, text: string): Mention[] {
  const lower = lowerOf(text);
  const all: (Mention & { seq: number })[] = [];
  // Per alias: where its next place may start (places do not overlap) and how many were counted.
  const next = new Map<BrandAlias, { from: number; n: number }>();
  for (let at = 0; at < lower.length; at++) {
    const bucket = c.aliasIndex.at(lower.charCodeAt(at));
    if (!bucket) continue;
    for (let b = 0; b < bucket.length; b++) {
      const alias = bucket[b]!;
      // (The second code unit first: most aliases of a bucket differ there, and it is read inline.)
      if (alias.text.length > 1 && lower.charCodeAt(at + 1) !== alias.text.charCodeAt(1)) continue;
      if (!lower.startsWith(alias.text, at)) continue;
      const seen = next.get(alias);
      if (seen && (at < seen.from || seen.n >= MAX_PER_ALIAS)) continue;
      const end = at + alias.text.length;
      if (seen) {
        seen.from = end;
        seen.n++;
      } else next.set(alias, { from: end, n: 1 });
      // ASCII names stand as words: "au" must not match "auth" or "Paul".
      if (alias.ascii && (isWordChar(lower, at - 1) || isWordChar(lower, end))) continue;
      all.push({ brand: alias.brand, start: at, end, seq: alias.seq });
    }
  }
  // Longest first, then leftmost; among equals, the order of brands and aliases in the rules.
  sortSmall(all, longestThenLeftmost);
  const kept: Mention[] = [];
  for (let i = 0; i < all.length; i++) {
    const m = all[i]!;
    if (!overlapsAny(kept, m)) kept.push({ brand: m.brand, start: m.start, end: m.end });
  }
  return sortSmall(kept, leftmost);
}

const longestThenLeftmost = (a: Mention & { seq: number }, b: Mention & { seq: number }) =>
  b.end - b.start - (a.end - a.start) || a.start - b.start || a.seq - b.seq;
const leftmost = (a: Mention, b: Mention) => a.start - b.start;

function overlapsAny(kept: Mention[], m: Mention): boolean {
  for (let k = 0; k < kept.length; k++) if (m.start < kept[k]!.end && kept[k]!.start < m.end) return true;
  return false;
}

/** An ASCII letter or digit at index i (false outside the text). */
function isWordChar(lower: string, i: number): boolean {
  const code = lower.charCodeAt(i); // NaN outside the text
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39);
}

/** The brand the message claims to be, or null. */
export function claimedBrand(c: Compiled, prose: string, headers: MailHeaders | null): CompiledBrand | null {
  if (headers?.from?.name) {
    const m = findMentions(c, headers.from.name)[0];
    if (m) return m.brand;
  }
  if (headers?.subject) {
    const m = findMentions(c, headers.subject)[0];
    if (m) return m.brand;
  }
  // Who the message says it is from: not a name it quotes (「…をかたる」), a bank it asks you to pay into, or an
  // address.
  const mentions = findMentions(c, prose).filter((m) => !notTheSender(prose, m));
  if (mentions.length === 0) return null;
  // A name in 【】 or 「」 brackets at the start is how SMS phishing signs itself: 【佐川急便】.
  const tagged = mentions.find((m) => /[【[「<〔(]/.test(prose.slice(Math.max(0, m.start - 3), m.start)));
  if (tagged && tagged.start < 40) return tagged.brand;
  const counts = new Map<CompiledBrand, number>();
  for (const m of mentions) counts.set(m.brand, (counts.get(m.brand) ?? 0) + 1);
  let best = mentions[0]!.brand;
  for (const [brand, n] of counts) if (n > (counts.get(best) ?? 0)) best = brand;
  // A name said once, deep in the text (「LINEでも配信しています」), is not who the message is from.
  const first = mentions.find((m) => m.brand === best)!;
  if ((counts.get(best) ?? 0) < 2 && first.start > OPENING) return null;
  return best;
}

/** Where a message says who it is from (the first sentence or two). */
const OPENING = 80;

/** A name the message quotes or impersonation it warns about, a payee bank, an address. */
const QUOTED_AFTER =
  /^[」』"]?\s*(?:(?:を|の名を|の名前を|と)\s*)?(?:かた[りるっ]|騙[りるっ]|装[いうっ]|よそお|名乗[りるっ]|なの[りるっ]|なりすま|偽)/;
const PAYEE_BEFORE =
  /(?:振込先|振込口座|お振込み先|お振込先|送金先|入金先|口座名義|住所|所在地|〒|お届け先|届け先|配送先|宛先|ご依頼主|依頼主)[^\n]{0,12}$/;

/** A messenger named as the way to talk: 「LINEで連絡」「LINEを追加」「LINE ID」, 「こちらのLINE」. */
const MEDIUM_AFTER =
  /^\s?(?:の?\s?(?:ID|ＩＤ|グループ|トーク|通話|ビデオ通話|アカウントを(?:追加|教え))|で|まで|に|へ|を)\s?も?\s?(?:ご?連絡|追加|登録|友だち|友達|招待|参加|通話|ビデオ通話|相談|お問い合わせ|お問合せ|やりとり|やり取り|送|返信|交換|移動|配信|ID|ＩＤ|検索)/i;
const MEDIUM_BEFORE = /(?:こちらの|下記の|以下の|担当者?の|私の|僕の|個人の|専用の?|公式)\s?$/;

function notTheSender(text: string, m: Mention): boolean {
  const before = text.slice(Math.max(0, m.start - 24), m.start);
  const after = text.slice(m.end, m.end + 12);
  return (
    QUOTED_AFTER.test(after) ||
    PAYEE_BEFORE.test(before) ||
    (m.brand.rule.messenger && (MEDIUM_AFTER.test(after) || MEDIUM_BEFORE.test(before)))
  );
}

function firstBrand(c: Compiled, ids: (string | null)[]): CompiledBrand | null {
  for (const id of ids) if (id && c.brandById.has(id)) return c.brandById.get(id)!;
  return null;
}

/** Who the message claims to be, and on what grounds. */
export interface Claim {
  brand: CompiledBrand | null;
  /** The text itself names the brand (not only a link that imitates it). */
  claimedInText: boolean;
  /** The brand the sender's domain imitates. */
  senderImitation: SenderImitation | null;
  /** A brand name the text writes with look-alike letters (「NlCOS」, 「楽夫」). */
  disguised: DisguisedName | null;
}

/**
 * The brand step: the name in the text (written as the brand writes it, or in disguise), else the brand a
 * link or the sender imitates. `raw` is the text as received (full- and half-width letters mixed in a name).
 */
export function claimOf(c: Compiled, ex: Extracted, links: LinkAnalysis[], raw: string): Claim {
  const disguised = findDisguisedName(c.disguises, c.skeletons, ex.prose, raw);
  let brand = claimedBrand(c, ex.prose, ex.headers) ?? disguised?.brand ?? null;
  const claimedInText = brand !== null;
  const sender = ex.headers?.from ?? null;
  const senderImitation = sender?.domain ? imitatedBy(c, sender.domain) : null;
  // No name in the text: the brand a link or the sender imitates is the brand claimed.
  brand ??= firstBrand(c, [...links.map((l) => l.imitates), senderImitation?.brandId ?? null]);
  return { brand, claimedInText, senderImitation, disguised };
}
