// Decodes a picture with sharp and prepares it for OCR and for the QR decoder. Preprocessing (measured in
// scripts/bench/ocr.ts): grayscale; dark-mode screenshots turned into dark text on white; a levels
// stretch that turns the light-grey bubble and the white page into one white, so tesseract's
// binarisation sees letters on a plain ground; small pictures scaled up so letters are tall enough.
// The grayscale picture goes to tesseract as PGM: no PNG encode here and decode in the worker.
import sharp, { type Sharp } from 'sharp';
import type { Box } from './ocr-text.ts';
import { cropGray, messageArea, messageRows } from './screen-regions.ts';

// libvips' operation cache keeps decoded pictures (up to 50 MB by default) for re-use that never comes
// here: every picture is new. Off, peak memory stays lower with the OCR workers beside it.
sharp.cache(false);

/** A grayscale picture, one byte per pixel. */
export interface Gray {
  data: Buffer;
  width: number;
  height: number;
}

export interface PreparedImage {
  /** What tesseract reads. */
  ocr: Gray;
  /** RGBA pixels for the QR decoder (ImageData-shaped). */
  rgba: { data: Uint8ClampedArray; width: number; height: number };
  /** The screenshot was light text on a dark ground (dark mode) and was inverted. */
  dark: boolean;
  /** A photo rather than a screenshot (mostly mid-tones): read smaller and with the grain smoothed. */
  photo: boolean;
  /** Next to nothing drawn (a blank screen): there is nothing for OCR to read. */
  blank: boolean;
  /** A very tall picture (a long scroll capture): only its top was read (MAX_HEIGHT after scaling). */
  cut: boolean;
  /** The part of the scaled picture that `ocr` holds (screen-regions.ts), or null for all of it. */
  area: Box | null;
  /** Pixels of the whole picture once scaled, before it was cut to its messages. */
  scaledPixels: number;
  width: number;
  height: number;
}

export type ImageProblem = 'unsupported' | 'too_many_pixels';

export class ImageError extends Error {
  readonly kind: ImageProblem;
  constructor(kind: ImageProblem, message: string) {
    super(message);
    this.name = 'ImageError';
    this.kind = kind;
  }
}

export interface PrepareOptions {
  /** false: only grayscale, as tesseract would see it anyway (the benchmark's baseline). */
  enhance?: boolean;
}

/** Larger than any phone screenshot (a 4K-by-4K photo is 16 Mpx); beyond it sharp refuses the file. */
export const MAX_PIXELS = 40_000_000;
/**
 * Height read at most, after scaling: about two phone screens (a 1080×2340 screenshot of text takes
 * 2–4 s to read; two stay well inside the 15 s OCR limit on a busy machine, three did not). A taller
 * picture is cut and its top read (the reply says so). With the width at most MAX_WIDTH, what OCR gets
 * is at most 1600 × 4800 = 7.7 Mpx whatever came in: a 450×88,000 picture scaled up 2× both ways had
 * been 158 Mpx, over 1 GB.
 */
export const MAX_HEIGHT = 4800;
/** The QR decoder's copy is scaled down to at most this many pixels (RGBA: 4 bytes each). */
export const MAX_QR_PIXELS = 4_000_000;
/** libvips gives up on one picture after this long (sharp's timeout), so no picture holds a slot. */
const SHARP_SECONDS = 10;
/** Pictures narrower than this are scaled up: letters under ~20 px tall are read badly. */
const MIN_WIDTH = 900;
/** Wider pictures (tablets, photos) are scaled down: more pixels only cost time. */
const MAX_WIDTH = 1600;
/** Below this mean brightness the picture is in dark mode. */
const DARK_MEAN = 110;
/** Levels: this grey and lighter becomes white, this dark and darker black. */
const WHITE_FROM = 212;
const BLACK_TO = 24;
/** Less than this share of dark pixels (after levels): blank. A line of text is ~0.3 %. */
const BLANK_INK = 0.0003;
/** A picture with more than this share of mid-tone pixels is a photo, not a screenshot. */
const PHOTO_MIDTONES = 0.5;
/** Photos are read at this width, after a median filter: camera grain makes tesseract crawl (a
 * 1080-wide photo with no text took 13–14 s; like this 2–4 s). */
const PHOTO_WIDTH = 720;

export async function prepareImage(bytes: Buffer, o: PrepareOptions = {}): Promise<PreparedImage> {
  const enhance = o.enhance ?? true;
  let base: Sharp;
  let width: number;
  let height: number;
  try {
    base = sharp(bytes, {
      limitInputPixels: MAX_PIXELS,
      failOn: 'error',
      animated: false,
      sequentialRead: true,
    }).rotate();
    const meta = await base.metadata();
    if (!meta.width || !meta.height) throw new Error('no size');
    // EXIF orientations 5–8 swap the sides.
    const swap = (meta.orientation ?? 1) >= 5;
    width = swap ? meta.height : meta.width;
    height = swap ? meta.width : meta.height;
  } catch (err) {
    const msg = (err as Error).message;
    if (/pixel limit/i.test(msg)) throw new ImageError('too_many_pixels', 'picture has too many pixels');
    throw new ImageError('unsupported', 'picture cannot be decoded');
  }
  // The scale is decided first, then the height cut, so every limit holds for the pixels produced.
  const scale =
    width < MIN_WIDTH ? Math.min(2, MIN_WIDTH / width) : width > MAX_WIDTH ? MAX_WIDTH / width : 1;
  const srcHeight = Math.min(height, Math.max(1, Math.floor(MAX_HEIGHT / scale)));
  const cut = srcHeight < height;
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(srcHeight * scale));
  const qrScale = Math.min(1, Math.sqrt(MAX_QR_PIXELS / (w * h)));
  try {
    let top = base.clone();
    if (cut) top = top.extract({ left: 0, top: 0, width, height: srcHeight });
    const flat = top.flatten({ background: '#ffffff' }).timeout({ seconds: SHARP_SECONDS });
    const sized = scale === 1 ? flat.clone() : flat.clone().resize(w, h, { kernel: 'lanczos3' });
    const forQr =
      scale === 1 && qrScale === 1
        ? flat.clone()
        : flat.clone().resize(Math.max(1, Math.round(w * qrScale)), Math.max(1, Math.round(h * qrScale)), {
            kernel: 'lanczos3',
          });
    const [gray, rgba] = await Promise.all([
      sized.grayscale().raw().toBuffer({ resolveWithObject: true }),
      forQr.ensureAlpha().raw().toBuffer({ resolveWithObject: true }),
    ]);
    let g: Gray = { data: gray.data, width: gray.info.width, height: gray.info.height };
    const dark = mean(g.data) < DARK_MEAN;
    const photo = midtones(g.data) > PHOTO_MIDTONES;
    if (photo && enhance) g = await smoothPhoto(g);
    const scaledPixels = g.width * g.height;
    let area: Box | null = null;
    if (enhance && !photo) {
      const rows = messageRows(g);
      levels(g.data, dark);
      area = messageArea(g, rows);
      if (area) g = cropGray(g, area);
    }
    return {
      ocr: g,
      rgba: {
        data: new Uint8ClampedArray(rgba.data.buffer, rgba.data.byteOffset, rgba.data.byteLength),
        width: rgba.info.width,
        height: rgba.info.height,
      },
      dark,
      photo,
      blank: inked(g.data) < BLANK_INK,
      cut,
      area,
      scaledPixels,
      width: g.width,
      height: g.height,
    };
  } catch {
    throw new ImageError('unsupported', 'picture cannot be decoded');
  }
}

function mean(data: Buffer): number {
  let sum = 0;
  // Every 7th pixel is plenty for an average and keeps this cheap.
  let n = 0;
  for (let i = 0; i < data.length; i += 7, n++) sum += data[i]!;
  return n ? sum / n : 255;
}

function inked(data: Buffer): number {
  let ink = 0;
  let n = 0;
  for (let i = 0; i < data.length; i += 3, n++) if (data[i]! < 128) ink++;
  return n ? ink / n : 0;
}

function midtones(data: Buffer): number {
  let mid = 0;
  let n = 0;
  for (let i = 0; i < data.length; i += 7, n++) if (data[i]! > 40 && data[i]! < 200) mid++;
  return n ? mid / n : 0;
}

async function smoothPhoto(g: Gray): Promise<Gray> {
  let img = sharp(g.data, { raw: { width: g.width, height: g.height, channels: 1 } });
  if (g.width > PHOTO_WIDTH) img = img.resize({ width: PHOTO_WIDTH });
  const { data, info } = await img.median(5).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** In place: optional inversion, then a linear stretch from BLACK_TO..WHITE_FROM to 0..255. */
function levels(data: Buffer, invert: boolean): void {
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v++) {
    const x = invert ? 255 - v : v;
    lut[v] = Math.max(0, Math.min(255, Math.round(((x - BLACK_TO) * 255) / (WHITE_FROM - BLACK_TO))));
  }
  for (let i = 0; i < data.length; i++) data[i] = lut[data[i]!]!;
}

/** PGM bytes: a header and the pixels, which tesseract (Leptonica) reads without decompressing. */
export function toPgm(g: Gray): Buffer {
  return Buffer.concat([Buffer.from(`P5\n${g.width} ${g.height}\n255\n`, 'ascii'), g.data]);
}

/** How a link's line is cut out for the English pass. */
export interface CropOptions {
  /** Height of the line once scaled, in pixels. */
  lineHeight: number;
  /** The crop's darkest ink stretched to black (links are drawn in a colour that greys to ~90–110). */
  stretch: boolean;
}

/** The English pass's first reading: lines ~48 px tall, as levelled. */
export const FIRST_CROP: CropOptions = { lineHeight: 48, stretch: false };
/**
 * The second reading, when the first disagrees with the Japanese pass: smaller (tesseract scales each
 * line to its own height, so another scale draws other strokes) and darker. Measured on the realistic
 * set: alone as good as the first (50/56 links either way), but wrong on other links.
 */
export const SECOND_CROP: CropOptions = { lineHeight: 32, stretch: true };

/**
 * One region (a line holding a link) cut out with a white margin and scaled: what the English
 * single-line pass reads. Nothing right of `rightLimit` (the next word) is taken.
 */
export async function cropRegion(
  g: Gray,
  box: Box,
  rightLimit = g.width,
  o: CropOptions = FIRST_CROP,
): Promise<Buffer> {
  const lineHeight = Math.max(1, box.y1 - box.y0);
  const pad = Math.round(lineHeight * 0.2);
  const left = Math.max(0, box.x0 - pad);
  const top = Math.max(0, box.y0 - pad);
  const width = Math.min(Math.min(g.width, rightLimit) - left, box.x1 - box.x0 + 2 * pad);
  const height = Math.min(g.height - top, lineHeight + 2 * pad);
  if (width < 4 || height < 4) throw new Error('region too small');
  // The first crop is never made smaller (as measured before the second existed); the second may be.
  const factor = Math.min(3, Math.max(o === FIRST_CROP ? 1 : 0.5, o.lineHeight / lineHeight));
  let img = sharp(g.data, { raw: { width: g.width, height: g.height, channels: 1 } }).extract({
    left,
    top,
    width,
    height,
  });
  if (o.stretch) {
    const part = cropGray(g, { x0: left, y0: top, x1: left + width, y1: top + height });
    stretchInk(part.data);
    img = sharp(part.data, { raw: { width, height, channels: 1 } });
  }
  if (factor > 1.05 || factor < 0.95)
    img = img.resize(Math.round(width * factor), Math.round(height * factor), { kernel: 'lanczos3' });
  const margin = Math.round(lineHeight * 0.5);
  const { data, info } = await img
    .extend({ top: margin, bottom: margin, left: margin, right: margin, background: '#ffffff' })
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 1) throw new Error(`expected 1 channel, got ${info.channels}`);
  return toPgm({ data, width: info.width, height: info.height });
}

/** In place: the darkest ink (the darkest 2 % of the pixels that are not white) becomes black. */
function stretchInk(data: Buffer): void {
  const hist = new Uint32Array(256);
  for (const v of data) hist[v]!++;
  let ink = 0;
  let n = 0;
  for (let v = 0; v < 200; v++) n += hist[v]!;
  let seen = 0;
  for (let v = 0; v < 200; v++) {
    seen += hist[v]!;
    if (seen >= 0.02 * n) {
      ink = v;
      break;
    }
  }
  if (ink < 8) return;
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v++)
    lut[v] = Math.max(0, Math.min(255, Math.round(((v - ink) * 255) / (255 - ink))));
  for (let i = 0; i < data.length; i++) data[i] = lut[data[i]!]!;
}
