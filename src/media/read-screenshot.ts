// A screenshot (or any picture) to text the detector can judge: the Japanese pass reads the whole
// picture; every line holding a link is read again by the English worker (single line, link characters
// only), which reads links far more exactly (research notes: 71 % → 97 % of links exact); QR codes are
// decoded at the same time on the main thread. Decoding, QR and OCR all run inside one job of the OCR
// pool, so its cap on jobs at once and its time limit hold for the whole picture, not only tesseract.
// Never logs what was read.
import type { Line, Page, Word as TesseractWord } from 'tesseract.js';
import {
  ambiguousHost,
  cleanUrlToken,
  confusableReadings,
  looksLikeUrl,
  normalizeOcrLines,
  type Box,
  type ReadLine,
  type TextLine,
} from './ocr-text.ts';
import type { OcrPool, OcrWorkers } from './ocr-pool.ts';
import {
  cropRegion,
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
}

/** A line read with less confidence than this is noise (a photo's texture, an icon). */
const MIN_LINE_CONFIDENCE = 45;
/** In a photo, texture reads as letters more often: only lines read with more confidence count. */
const MIN_PHOTO_LINE_CONFIDENCE = 65;
/** A picture with more pixels than this (two 1080×2340 screens) has the slot's workers replaced after it. */
const RETIRE_PIXELS = 2 * 1080 * 2340;
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
  const ocr = await pool.run(async (w, control) => {
    const img = await prepareImage(bytes, o);
    // Larger than two phone screens: the workers' memory grew with it; new workers after this one.
    if (!img.blank && img.width * img.height > RETIRE_PIXELS) control.retire();
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
  });
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

/** The Japanese pass over the whole picture, then the English one over each line holding a link. */
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
  for (const r of regions) {
    const crop = await cropRegion(img.ocr, r.box).catch(() => null);
    if (!crop) continue;
    const eng = (await w.eng.recognize(crop)).data.text.replace(/\s+/g, '');
    const jpnReading = r.words.map((x) => x.text).join('');
    const chosen = betterReading(jpnReading, eng);
    const hj = hostOf(jpnReading);
    const he = hostOf(eng);
    if (hj && he && confusableReadings(hj, he)) uncertain.add(he.toLowerCase());
    const hc = hostOf(chosen);
    if (hc && ambiguousHost(hc)) uncertain.add(hc.toLowerCase());
    // The link's words become one word: the reading chosen.
    r.words[0]!.text = chosen;
    for (const x of r.words.slice(1)) x.text = '';
  }
  return { lines, urlPasses: regions.length, uncertain };
}

interface Word {
  text: string;
  box: Box;
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
        if (l.confidence < minConfidence && !goesOn) continue;
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
  if (at <= 0 || symbols.length === 0) return [{ text, box: w.bbox }];
  let chars = 0;
  let i = 0;
  while (i < symbols.length && chars < at) chars += symbols[i++]!.text.length;
  if (chars !== at || i >= symbols.length) return [{ text, box: w.bbox }];
  return [
    { text: text.slice(0, at), box: union(symbols.slice(0, i).map((x) => x.bbox)) },
    { text: text.slice(at), box: union(symbols.slice(i).map((x) => x.bbox)) },
  ];
}

/**
 * Runs of words holding a link: from a word that looks like a link to the last ASCII word after it; and
 * the ASCII words that start the next line of the same bubble when a link ended the line before.
 */
function urlRegions(lines: OcrLine[]): { words: Word[]; box: Box }[] {
  const regions: { words: Word[]; box: Box }[] = [];
  const ascii = (w: Word) => /^[\x21-\x7e]+$/.test(w.text.normalize('NFKC'));
  lines.forEach((line, i) => {
    const prev = lines[i - 1];
    const prevEndsWithLink =
      prev !== undefined &&
      prev.para === line.para &&
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
      regions.push({ words, box: union(words.map((x) => x.box)) });
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

/** The English reading unless it is clearly worse (empty, or much shorter than the Japanese one). */
function betterReading(jpn: string, eng: string): string {
  const e = cleanUrlToken(eng);
  if (e.length < 3 || e.length < 0.6 * jpn.length) return jpn;
  // A link's start the English pass lost ("ttps://") while the Japanese one had it.
  if (/^https?:\/\//i.test(jpn) && !/^https?:\/\//i.test(e) && /^t?tps?:\/\//i.test(e))
    return jpn.slice(0, /^https/i.test(jpn) ? 8 : 7) + e.replace(/^t?tps?:\/\//i, '');
  return e;
}

function hostOf(s: string): string | null {
  const m = /^(?:[a-z]+:\/\/)?([^/?#:@\s]+)/i.exec(cleanUrlToken(s));
  const host = m?.[1] ?? null;
  return host && host.includes('.') ? host : null;
}

export type { Gray };
