// A screenshot (or any picture) to text the detector can judge: the Japanese pass reads the whole
// picture; every line holding a link is read again by the English worker (single line, link characters
// only), which reads links far more exactly (research notes: 71 % → 97 % of links exact); where the two
// disagree, the Japanese model reads the crop too and the English one a crop prepared another way, and
// the four readings vote character by character (link-vote.ts); QR codes are
// decoded at the same time on the main thread. Decoding, QR and OCR all run inside one job of the OCR
// pool, so its cap on jobs at once and its time limit hold for the whole picture, not only tesseract.
// Never logs what was read.
import type { Line, Page, Word as TesseractWord } from 'tesseract.js';
import {
  ambiguousHost,
  cleanUrlToken,
  confusableReadings,
  looksLikeUrl,
  mergeLinkReadings,
  normalizeOcrLines,
  type Box,
  type ReadLine,
  type TextLine,
} from './ocr-text.ts';
import type { OcrPool, OcrWorkers } from './ocr-pool.ts';
import { voteReadings, type Reading } from './link-vote.ts';
import {
  cropRegion,
  SECOND_CROP,
  prepareImage,
  toPgm,
  type Gray,
  type PreparedImage,
  type PrepareOptions,
} from './prepare-image.ts';
import { decodeQr } from './qr.ts';

export interface ScreenshotReading {
  /** What was read, line by line, cleaned up (ocr-text.ts). */
  lines: ReadLine[];
  /** Texts of the QR codes in the picture. */
  qr: string[];
  /** Hosts whose reading rests on characters OCR confuses (lower case): the reply says so. */
  uncertainHosts: string[];
  /** Lines read again by the English pass. */
  urlPasses: number;
  dark: boolean;
  /** A very tall picture: only its top was read (prepare-image.ts MAX_HEIGHT). */
  cut: boolean;
  ms: { prepare: number; ocr: number; qr: number };
}

export interface ReadOptions extends PrepareOptions {
  /** false: only the Japanese pass (the benchmark's baseline). */
  urlPass?: boolean;
  /** false: no more readings and no vote where the two passes disagree (the benchmark's baseline). */
  vote?: boolean;
  /** Looking into misreadings (scripts, tests): each link pass's readings and the crop it read. */
  trace?: (pass: LinkPassTrace) => void;
}

export interface LinkPassTrace {
  jpn: string;
  eng: string;
  /** The Japanese model's reading of the crop and the English one's of the second crop, when read. */
  more: string[];
  chosen: string;
  /** The PGM the English worker read. */
  crop: Buffer;
}

/** A line read with less confidence than this is noise (a photo's texture, an icon). */
const MIN_LINE_CONFIDENCE = 45;
/** In a photo, texture reads as letters more often: only lines read with more confidence count. */
const MIN_PHOTO_LINE_CONFIDENCE = 65;
/** A picture with more pixels than this (two 1080×2340 screens) has the slot's workers replaced after it. */
const RETIRE_PIXELS = 2 * 1080 * 2340;
/** Printable ASCII only: what a link is written in. */
const LINK_CHARS = /^[\x21-\x7e]+$/;
/** How links usually end: a slash, or a dot and letters (a file type or a top-level domain). */
const LINK_END = /(?:\/|\.[a-z]{2,5})$/i;
/** Links read again per picture, at most. */
const MAX_URL_PASSES = 6;

export async function readScreenshot(
  bytes: Buffer,
  pool: OcrPool,
  o: ReadOptions = {},
): Promise<ScreenshotReading> {
  const t0 = performance.now();
  let t1 = t0;
  let qrMs = 0;
  const ocr = await pool.run(
    async (w, control, img) => {
      // Larger than two phone screens: the workers' memory grew with it; new workers after this one.
      if (!img.blank && img.scaledPixels > RETIRE_PIXELS) control.retire();
      t1 = performance.now();
      const qr = decodeQr(img.rgba).then(
        (texts) => {
          qrMs = performance.now() - t1;
          return texts;
        },
        () => [] as string[],
      );
      const read = await readLines(img, w, o);
      return { ...read, qr: await qr, dark: img.dark, cut: img.cut };
    },
    // Decoded while the slot's workers start (the first picture after start).
    () => prepareImage(bytes, o),
  );
  const t2 = performance.now();
  const textLines: TextLine[] = ocr.lines.map((l) => ({
    text: l.words
      .map((x) => x.text)
      .filter(Boolean)
      .join(' '),
    box: l.box,
    para: l.para,
  }));
  return {
    lines: normalizeOcrLines(textLines),
    qr: ocr.qr,
    uncertainHosts: [...ocr.uncertain],
    urlPasses: ocr.urlPasses,
    dark: ocr.dark,
    cut: ocr.cut,
    ms: { prepare: t1 - t0, ocr: t2 - t1, qr: qrMs },
  };
}

/** The Japanese pass over the whole picture, then each line holding a link again (readLink). */
async function readLines(
  img: PreparedImage,
  w: OcrWorkers,
  o: ReadOptions,
): Promise<{ lines: OcrLine[]; urlPasses: number; uncertain: Set<string> }> {
  // Nothing drawn: tesseract would only print its empty-page statistics.
  if (img.blank) return { lines: [], urlPasses: 0, uncertain: new Set<string>() };
  const page = (await w.jpn.recognize(toPgm(img.ocr), {}, { text: true, blocks: true })).data;
  const lines = linesOf(page, img.photo ? MIN_PHOTO_LINE_CONFIDENCE : MIN_LINE_CONFIDENCE);
  const regions = o.urlPass === false ? [] : urlRegions(lines).slice(0, MAX_URL_PASSES);
  const uncertain = new Set<string>();
  for (const r of regions) await readLink(img, r, w, o, uncertain);
  return { lines, urlPasses: regions.length, uncertain };
}

/**
 * One link's line again: the English pass over its crop; where it and the Japanese pass disagree, two
 * more readings and a vote (link-vote.ts). The link's words become one word, the reading chosen; hosts
 * whose reading rests on look-alike characters are added to `uncertain`.
 */
async function readLink(
  img: PreparedImage,
  r: Region,
  w: OcrWorkers,
  o: ReadOptions,
  uncertain: Set<string>,
): Promise<void> {
  const crop = await cropRegion(img.ocr, r.box, r.limit).catch(() => null);
  if (!crop) return;
  const eng = (await w.eng.recognize(crop)).data.text.replace(/\s+/g, '');
  const jpnReading = r.words.map((x) => x.text).join('');
  const cutBefore = r.limit !== undefined;
  let chosen = betterReading(jpnReading, eng, cutBefore);
  const hj = hostOf(jpnReading);
  const he = hostOf(eng);
  const hc = hostOf(chosen);
  if (hj && he && confusableReadings(hj, he)) {
    uncertain.add(he.toLowerCase());
    if (hc) uncertain.add(hc.toLowerCase());
  }
  if (hc && ambiguousHost(hc)) uncertain.add(hc.toLowerCase());
  let more: string[] = [];
  if (o.vote !== false && chosen.toLowerCase() !== cleanUrlToken(jpnReading).toLowerCase()) {
    more = await moreReadings(img.ocr, r, crop, w);
    const b = (x: string) => (x ? betterReading(jpnReading, x, cutBefore) : '');
    // In order of trust: on a tie the earlier reading's character.
    const readings: Reading[] = [
      { text: chosen, model: 'eng' },
      { text: cleanUrlToken(jpnReading), model: 'jpn' },
      { text: b(more[0]!), model: 'jpn' },
      { text: b(more[1]!), model: 'eng' },
    ];
    chosen = voteReadings(readings.filter((x) => x.text));
    const hv = hostOf(chosen);
    if (hv && ambiguousHost(hv)) uncertain.add(hv.toLowerCase());
  }
  o.trace?.({ jpn: jpnReading, eng, more, chosen, crop });
  r.words[0]!.text = chosen;
  for (const x of r.words.slice(1)) x.text = '';
}

/**
 * The Japanese model over the link's crop (it reads the small letters of phone fonts better than the
 * English one) and the English one over a second crop (SECOND_CROP), at the same time (two workers);
 * '' for a reading not made.
 */
async function moreReadings(g: Gray, r: Region, crop: Buffer, w: OcrWorkers): Promise<string[]> {
  const [jpn, eng] = await Promise.all([
    w.jpn.recognize(crop).then((x) => x.data.text.normalize('NFKC').replace(/\s+/g, '')),
    cropRegion(g, r.box, r.limit, SECOND_CROP).then(
      async (crop2) => (await w.eng.recognize(crop2)).data.text.replace(/\s+/g, ''),
      () => '',
    ),
  ]);
  // Only what a link can hold: the Japanese model may read the next word's first stroke as a kana.
  return [jpn.replace(/[^\x21-\x7e]/g, ''), eng];
}

interface Word {
  text: string;
  box: Box;
  /** Tesseract's confidence in the word, 0–100. */
  conf: number;
}
/** Words holding (part of) a link, their box, and the x its crop must stay left of (the next word). */
interface Region {
  words: Word[];
  box: Box;
  limit: number | undefined;
}
interface OcrLine {
  words: Word[];
  box: Box;
  para: number;
}

function linesOf(page: Page, minConfidence: number): OcrLine[] {
  const out: OcrLine[] = [];
  let para = 0;
  for (const block of page.blocks ?? [])
    for (const p of block.paragraphs) {
      para++;
      for (const l of p.lines as Line[]) {
        const words = l.words.flatMap(splitAtLink).filter((w) => w.text.trim());
        if (!words.length) continue;
        const line = { words, box: l.bbox, para };
        const prev = out.at(-1);
        const goesOn = prev !== undefined && carriesLinkOn(prev, line);
        // The Japanese model reads a line of link characters with little confidence (0–40 on a
        // wrapped host): kept when it carries on the link above, as the English pass reads it again.
        // So are the links of a line it is unsure of (a link beside the bubble's time stamp came out
        // as one line 「https://…/mypage/ 間」 read with confidence 0): the rest of it is dropped.
        // Of a line carrying a link on, the words read with little confidence after its first one go
        // (the time stamp beside it read as 「間」).
        if (l.confidence < minConfidence) {
          const kept = goesOn
            ? words.filter((w, i) => i === 0 || w.conf >= minConfidence || LINK_CHARS.test(w.text))
            : words.filter((w) => looksLikeUrl(w.text));
          if (!kept.length) continue;
          line.words = kept;
          line.box = union(kept.map((w) => w.box));
        }
        // Tesseract often starts a new paragraph at such a line: it is still the same bubble.
        if (goesOn) line.para = prev.para;
        out.push(line);
      }
    }
  return out;
}

/**
 * The line carries on a link the phone wrapped: the line above ends with a link (or its start), and
 * this one, right under it at the bubble's left edge, begins with link characters only.
 */
function carriesLinkOn(prev: OcrLine, line: OcrLine): boolean {
  const word = prev.words.at(-1)!.text.normalize('NFKC');
  // 「行います。https://」 when tesseract gave no boxes to split it by.
  const at = word.search(/h?ttps?:\/\/|www\./i);
  const last = at > 0 ? word.slice(at) : word;
  const first = line.words[0]!.text.normalize('NFKC');
  const h = Math.max(8, prev.box.y1 - prev.box.y0);
  return (
    looksLikeUrl(last) &&
    /^[\x21-\x7e]{2,}$/.test(first) &&
    // A new link starts here, unless the line above ended with the scheme alone ("https://" + "www.…").
    (!/^(?:h?ttps?:|www\.)/i.test(first) || /:\/\/$/.test(last)) &&
    line.box.y0 - prev.box.y1 < 1.5 * h &&
    Math.abs(line.box.x0 - prev.box.x0) < 1.5 * h
  );
}

/**
 * 「ください。https://」 is one word to tesseract: split it where the link starts, with the link's part
 * boxed by its own characters, so the English pass reads only the link.
 */
function splitAtLink(w: TesseractWord): Word[] {
  const text = w.text;
  const at = text.search(/h?ttps?:\/\/|www\./i);
  const symbols = w.symbols ?? [];
  const conf = w.confidence;
  // 「WWwWw.post…」 (a misread www.) is one link, not two.
  if (at <= 0 || symbols.length === 0 || LINK_CHARS.test(text.slice(0, at)))
    return [{ text, box: w.bbox, conf }];
  let chars = 0;
  let i = 0;
  while (i < symbols.length && chars < at) chars += symbols[i++]!.text.length;
  if (chars !== at || i >= symbols.length) return [{ text, box: w.bbox, conf }];
  return [
    { text: text.slice(0, at), box: union(symbols.slice(0, i).map((x) => x.bbox)), conf },
    { text: text.slice(at), box: union(symbols.slice(i).map((x) => x.bbox)), conf },
  ];
}

/**
 * Runs of words holding a link: from a word that looks like a link to the last ASCII word after it; and
 * the ASCII words that start the next line of the same bubble when a link ended the line before.
 */
function urlRegions(lines: OcrLine[]): Region[] {
  const regions: Region[] = [];
  const ascii = (w: Word) => /^[\x21-\x7e]+$/.test(w.text.normalize('NFKC'));
  lines.forEach((line, i) => {
    const prev = lines[i - 1];
    // A wrapped link goes on at the bubble's left edge, where the line above started (a time stamp
    // beside the bubble's last line is no part of it).
    const prevEndsWithLink =
      prev !== undefined &&
      prev.para === line.para &&
      Math.abs(line.box.x0 - prev.box.x0) < 1.5 * Math.max(8, prev.box.y1 - prev.box.y0) &&
      regions.some((r) => r.words.includes(prev.words.at(-1)!));
    let j = 0;
    while (j < line.words.length) {
      const w = line.words[j]!;
      const starts = looksLikeUrl(w.text) || (j === 0 && prevEndsWithLink && ascii(w));
      if (!starts) {
        j++;
        continue;
      }
      let k = j + 1;
      // "https: //example.com" comes out as two words; so do links with an OCR'd space.
      while (k < line.words.length && ascii(line.words[k]!) && gapSmall(line.words[k - 1]!, line.words[k]!))
        k++;
      const words = line.words.slice(j, k);
      const box = union(words.map((x) => x.box));
      // Tesseract sometimes stretches a link's last letter over the words after it (「…706.html」 boxed
      // up to the end of 「から確認でき」): the link ends where the next word starts.
      // The crop's margin stops short of that word too.
      const after = line.words[k];
      const limit = after && after.box.x0 > box.x0 ? after.box.x0 - 1 : undefined;
      if (limit !== undefined) box.x1 = Math.min(box.x1, limit);
      regions.push({ words, box, limit });
      j = k;
    }
  });
  return regions;
}

/** Words closer than about one character: OCR split one token. */
function gapSmall(a: Word, b: Word): boolean {
  const h = Math.max(8, a.box.y1 - a.box.y0);
  return b.box.x0 - a.box.x1 < 0.6 * h;
}

function union(boxes: Box[]): Box {
  return {
    x0: Math.min(...boxes.map((b) => b.x0)),
    y0: Math.min(...boxes.map((b) => b.y0)),
    x1: Math.max(...boxes.map((b) => b.x1)),
    y1: Math.max(...boxes.map((b) => b.y1)),
  };
}

/**
 * The English reading unless it is clearly worse (empty, or much shorter than the Japanese one).
 * `cutBefore`: a word followed the link on its line, so the crop ends at that word's edge, and one or
 * two letters more than the Japanese reading after a link's usual end (「706.htmlH」, 「mypage/7」) are
 * that word's first stroke.
 */
function betterReading(jpn: string, eng: string, cutBefore: boolean): string {
  let e = cleanUrlToken(eng);
  const j = cleanUrlToken(jpn);
  const extra = e.length - j.length;
  if (cutBefore && extra > 0 && extra <= 2 && e.toLowerCase().startsWith(j.toLowerCase()) && LINK_END.test(j))
    e = e.slice(0, j.length);
  if (e.length < 3 || e.length < 0.6 * jpn.length) return jpn;
  // A link's start the English pass lost ("ttps://") while the Japanese one had it.
  if (/^https?:\/\//i.test(jpn) && !/^https?:\/\//i.test(e) && /^t?tps?:\/\//i.test(e))
    return jpn.slice(0, /^https/i.test(jpn) ? 8 : 7) + e.replace(/^t?tps?:\/\//i, '');
  return mergeLinkReadings(jpn, e);
}

function hostOf(s: string): string | null {
  const m = /^(?:[a-z]+:\/\/)?([^/?#:@\s]+)/i.exec(cleanUrlToken(s));
  const host = m?.[1] ?? null;
  return host && host.includes('.') ? host : null;
}

export type { Gray };
