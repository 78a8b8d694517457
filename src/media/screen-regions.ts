// Where the messages are in a phone screenshot, found from the picture itself: the phone's status bar,
// the app's header (back arrow, sender) and its input bar are bands at the top and the bottom whose
// background is not the conversation's; the messages are the ink between them. Tesseract then reads
// only that part: the chrome's clock, icons and sender name are not message text (they came out as
// 「く NTT ( う12月3日」 in front of it), and fewer pixels cost the OCR workers less time and memory.
// Nothing is cut when no such band is found (an app whose header has the page's colour): the whole
// picture is read, as before.
import type { Gray } from './prepare-image.ts';
import type { Box } from './ocr-text.ts';

/** The top band (status bar + header) is at most this share of the height: a taller one is content. */
const MAX_TOP = 0.18;
/** The bottom band (input bar, navigation bar) is at most this share of the height. */
const MAX_BOTTOM = 0.14;
/** A band thinner than this share of the height is a rule or a border, not chrome. */
const MIN_BAND = 0.02;
/** Grey levels a row's background may differ from the page's and still be page (JPEG noise). */
const SAME = 4;
/** Darker than this in the levelled picture: ink (grey captions such as #777 on white included). */
const INK = 192;
/** Margin kept around the ink, in pixels of the prepared picture. */
const MARGIN = 48;

/**
 * The rows between the chrome bands, from the picture before levels (the bands' greys still apart from
 * the page's); null when no band was found.
 */
export function messageRows(gray: Gray): { y0: number; y1: number } | null {
  const { width: w, height: h } = gray;
  if (w < 64 || h < 128) return null;
  const bg = rowBackgrounds(gray);
  const page = pageBackground(bg, h);
  if (page === null) return null;
  const differs = (y: number) => bg[y] !== -1 && Math.abs(bg[y]! - page) > SAME;
  const y0 = band(h, MAX_TOP, (i) => differs(i));
  const y1 = h - band(h, MAX_BOTTOM, (i) => differs(h - 1 - i));
  return (y0 === 0 && y1 === h) || y1 - y0 < h / 2 ? null : { y0, y1 };
}

/**
 * The part of the levelled picture (dark ink on white) to read: the ink between `rows` (all rows when
 * null), with a margin. Null when that is next to the whole picture, or has no ink.
 */
export function messageArea(g: Gray, rows: { y0: number; y1: number } | null): Box | null {
  const { width: w, height: h } = g;
  const y0 = rows?.y0 ?? 0;
  const y1 = rows?.y1 ?? h;
  const ink = inkBox(g.data, w, y0, y1);
  if (!ink) return null;
  const box = {
    x0: Math.max(0, ink.x0 - MARGIN),
    y0: Math.max(y0, ink.y0 - MARGIN),
    x1: Math.min(w, ink.x1 + 1 + MARGIN),
    y1: Math.min(y1, ink.y1 + 1 + MARGIN),
  };
  // Not worth a copy when next to nothing is cut.
  return (box.x1 - box.x0) * (box.y1 - box.y0) > 0.9 * w * h ? null : box;
}

/** The part of a grayscale picture inside `box`, copied. */
export function cropGray(g: Gray, box: Box): Gray {
  const width = box.x1 - box.x0;
  const height = box.y1 - box.y0;
  const data = Buffer.allocUnsafe(width * height);
  for (let y = 0; y < height; y++)
    g.data.copy(data, y * width, (box.y0 + y) * g.width + box.x0, (box.y0 + y) * g.width + box.x1);
  return { data, width, height };
}

/**
 * Each row's background: the median of a few pixels at its two edges, where neither bubbles nor text
 * reach; -1 when the edges disagree (something drawn across the row).
 */
function rowBackgrounds(g: Gray): Int16Array {
  const { width: w, height: h, data } = g;
  const xs = [1, 2, 3, w - 4, w - 3, w - 2];
  const out = new Int16Array(h);
  const v = new Array<number>(xs.length);
  for (let y = 0; y < h; y++) {
    for (let i = 0; i < xs.length; i++) v[i] = data[y * w + xs[i]!]!;
    v.sort((a, b) => a - b);
    out[y] = v[v.length - 1]! - v[0]! > 3 * SAME ? -1 : v[v.length >> 1]!;
  }
  return out;
}

/** The background most rows of the middle half share, or null when no value is common enough. */
function pageBackground(bg: Int16Array, h: number): number | null {
  const counts = new Array<number>(256).fill(0);
  let n = 0;
  for (let y = h >> 2; y < (3 * h) >> 2; y++)
    if (bg[y] !== -1) {
      counts[bg[y]!]!++;
      n++;
    }
  let best = 0;
  for (let v = 1; v < 256; v++) if (counts[v]! > counts[best]!) best = v;
  // Within SAME of the most common value: the page.
  let near = 0;
  for (let v = Math.max(0, best - SAME); v <= Math.min(255, best + SAME); v++) near += counts[v]!;
  return n > 0 && near > 0.6 * n ? best : null;
}

/**
 * Rows to cut from one end: through the last row, within `max` of the height, whose background is not
 * the page's; 0 when those rows are too few to be a bar, or still go on at that limit.
 */
function band(h: number, max: number, differs: (i: number) => boolean): number {
  const limit = Math.floor(h * max);
  let last = -1;
  let count = 0;
  for (let i = 0; i < limit; i++)
    if (differs(i)) {
      last = i;
      count++;
    }
  // A band still going on at the limit is taller than any bar: content (a banner, a picture).
  return count >= h * MIN_BAND && last < limit - 1 ? last + 1 : 0;
}

/** The bounding box of the ink between rows y0 and y1, or null when there is none. */
function inkBox(data: Buffer, w: number, y0: number, y1: number): Box | null {
  let x0 = w;
  let x1 = -1;
  let top = -1;
  let bottom = -1;
  for (let y = y0; y < y1; y++) {
    const row = y * w;
    let any = false;
    for (let x = 0; x < w; x++)
      if (data[row + x]! < INK) {
        any = true;
        if (x < x0) x0 = x;
        break;
      }
    if (!any) continue;
    for (let x = w - 1; x > x1; x--)
      if (data[row + x]! < INK) {
        x1 = x;
        break;
      }
    if (top === -1) top = y;
    bottom = y;
  }
  return top === -1 ? null : { x0, y0: top, x1, y1: bottom };
}
