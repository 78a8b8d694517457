// Finding the messages in a phone screenshot from the picture itself (src/media/screen-regions.ts), on
// drawn grayscale pictures: the chrome bands at the top and the bottom, the ink between them.
import { describe, expect, it } from 'vitest';
import { cropGray, messageArea, messageRows } from '../../src/media/screen-regions.ts';
import type { Gray } from '../../src/media/prepare-image.ts';

/** A w×h picture of `page` grey, with bands and dark rectangles (x0, y0, x1, y1, value) drawn on it. */
function picture(
  w: number,
  h: number,
  page: number,
  rects: [number, number, number, number, number][],
): Gray {
  const data = Buffer.alloc(w * h, page);
  for (const [x0, y0, x1, y1, v] of rects) for (let y = y0; y < y1; y++) data.fill(v, y * w + x0, y * w + x1);
  return { data, width: w, height: h };
}

describe('message area of a screenshot', () => {
  const W = 540;
  const H = 1170;
  // Status bar and header (light grey, with a dark clock and title), bubbles' text, input bar.
  const phone = picture(W, H, 255, [
    [0, 0, W, 155, 242],
    [30, 20, 90, 40, 20],
    [200, 90, 340, 115, 20],
    [40, 300, 400, 330, 30],
    [40, 360, 380, 390, 30],
    [40, 700, 300, 730, 30],
    [0, H - 95, W, H, 242],
    [70, H - 75, 470, H - 30, 255],
  ]);

  it('finds the bands at the top and bottom whose grey is not the page’s', () => {
    expect(messageRows(phone)).toEqual({ y0: 155, y1: H - 95 });
  });

  it('reads only the ink between them, with a margin, and copies exactly that part', () => {
    const area = messageArea(phone, messageRows(phone))!;
    expect(area).toEqual({ x0: 0, y0: 300 - 48, x1: 400 + 48, y1: 730 + 48 });
    const g = cropGray(phone, area);
    expect([g.width, g.height]).toEqual([448, 730 + 48 - 252]);
    expect(g.data[(300 - 252) * g.width + 40]).toBe(30);
    expect(g.data[0]).toBe(255);
  });

  it('cuts nothing at the ends when the header has the page’s colour, and still narrows to the ink', () => {
    const plain = picture(W, H, 255, [
      [200, 90, 340, 115, 20],
      [40, 300, 400, 330, 30],
    ]);
    expect(messageRows(plain)).toBeNull();
    expect(messageArea(plain, null)).toEqual({ x0: 0, y0: 90 - 48, x1: 400 + 48, y1: 330 + 48 });
  });

  it('keeps a tall coloured block that starts the picture (content, not a bar) and a thin rule', () => {
    const banner = picture(W, H, 255, [
      [0, 0, W, 400, 200],
      [0, H - 10, W, H, 200],
      [40, 500, 400, 530, 30],
    ]);
    expect(messageRows(banner)).toBeNull();
  });

  it('gives nothing to cut in a picture with no ink or with ink everywhere', () => {
    expect(messageArea(picture(W, H, 255, []), null)).toBeNull();
    expect(messageArea(picture(W, H, 255, [[0, 0, W, H, 0]]), null)).toBeNull();
  });
});
