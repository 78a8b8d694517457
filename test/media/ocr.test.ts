// The OCR pool and the screenshot reader with real tesseract workers (one warm pool for the file, a few
// recognitions): no network at any time, what a screenshot is read as, the queue cap and the time limit.
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createOcrPool,
  langDir,
  OcrBusyError,
  OcrTimeoutError,
  type OcrPool,
} from '../../src/media/ocr-pool.ts';
import { decodeQr, qrWasmFile } from '../../src/media/qr.ts';
import { prepareImage } from '../../src/media/prepare-image.ts';
import { readScreenshot, type LinkPassTrace } from '../../src/media/read-screenshot.ts';
import { joinParagraphs } from '../../src/media/ocr-text.ts';
import {
  QR_POSTER,
  renderNoText,
  renderQrPoster,
  renderSmsScreenshot,
  SCREENSHOT_LINKS,
  SCREENSHOTS,
} from '../../scripts/fixtures/render-screenshots.ts';
import { realisticScreenshots } from '../../scripts/fixtures/realistic-screenshots.ts';

const NO_NETWORK_WORKER = fileURLToPath(new URL('../support/no-network-worker.cjs', import.meta.url));

describe('OCR pool', () => {
  let pool: OcrPool;
  beforeAll(async () => {
    // The workers run tesseract's own worker script behind one that makes every network call throw.
    pool = createOcrPool({ size: 1, maxQueue: 1, workerPath: NO_NETWORK_WORKER });
    await pool.warm();
  }, 60_000);
  afterAll(() => pool.close());

  it('loads the trained data from node_modules, never from the network, and writes no cache file', async () => {
    for (const lang of ['jpn', 'eng'] as const) {
      const o = pool.workerOptions[lang];
      expect(o.langPath).toBe(langDir(lang));
      expect(o.langPath).toMatch(new RegExp(`node_modules/@tesseract\\.js-data/${lang}/4\\.0\\.0_best_int$`));
      expect(existsSync(`${o.langPath}/${lang}.traineddata.gz`)).toBe(true);
      expect(o.gzip).toBe(true);
      // The default cache would write jpn.traineddata into the working directory.
      expect(o.cacheMethod).toBe('none');
    }
    // warm() started both workers and recognised with them behind the blocked network.
    const shot = await renderSmsScreenshot(SCREENSHOTS.sagawa);
    const r = await readScreenshot(shot, pool);
    expect(joinParagraphs(r.lines)).toContain(SCREENSHOT_LINKS.sagawa!);
    expect(readdirSync(process.cwd()).filter((f) => f.endsWith('.traineddata'))).toEqual([]);
  }, 30_000);

  it('reads a phone screenshot: Japanese without OCR spaces, a link wrapped inside its host joined and exact', async () => {
    const shot = await renderSmsScreenshot(SCREENSHOTS.amazonWrappedHost);
    const r = await readScreenshot(shot, pool);
    const text = joinParagraphs(r.lines);
    expect(text).toContain('お支払い方法に問題があります');
    expect(text).toContain('24時間以内に更新してください');
    expect(text.toLowerCase()).toContain(SCREENSHOT_LINKS.amazonWrappedHost!);
    expect(r.urlPasses).toBeGreaterThan(0);
  }, 30_000);

  it('reads a link wrapped right after "https://" onto a line the Japanese model is unsure of, in a JPEG phone screenshot', async () => {
    // real-08 and real-16 of the realistic set: 「…は https://」 then 「www.post.japanpost.jp/support/」,
    // which tesseract reads with confidence 15 and in a paragraph of its own.
    const shots = await realisticScreenshots(16);
    for (const name of ['real-08-', 'real-16-']) {
      const shot = shots.find((s) => s.name.startsWith(name))!;
      const text = joinParagraphs((await readScreenshot(shot.bytes, pool)).lines).toLowerCase();
      for (const link of shot.links.filter((l) => l.includes('www.')))
        expect(text).toContain(link.toLowerCase());
    }
  }, 60_000);

  it('reads the messages of a realistic screenshot, not the phone’s clock or the app’s header, and a link that a Japanese word follows exactly', async () => {
    // real-24 of the realistic set (1440 px, LINE JPEG): 「予約内容は https://www.eki-」 then
    // 「net.com/info/706.htmlから確認できます。」, where tesseract boxes the link up to the end of the line.
    const shot = (await realisticScreenshots(24)).find((s) => s.name.startsWith('real-24-'))!;
    const r = await readScreenshot(shot.bytes, pool);
    const text = joinParagraphs(r.lines);
    expect(text).not.toContain('9:41');
    expect(
      text.replace(/\s/g, '').startsWith(shot.phrases[0]!.slice(0, 4)) || text.startsWith('12月3日'),
    ).toBe(true);
    for (const link of shot.links) expect(text.toLowerCase()).toContain(link.toLowerCase());
  }, 60_000);

  it('reads a link exactly where the English pass alone misreads it: two more readings and a vote', async () => {
    // real-12 of the realistic set (1440 px, dark, LINE JPEG): the English pass read
    // 「Www.Ssagawa-exp.co.jp/」 and the Japanese one 「WWW.Sagawa-exp.Cco.jp/」.
    const shot = (await realisticScreenshots(12)).find((s) => s.name.startsWith('real-12-'))!;
    const traces: LinkPassTrace[] = [];
    const r = await readScreenshot(shot.bytes, pool, { trace: (t) => traces.push(t) });
    const text = joinParagraphs(r.lines).toLowerCase();
    for (const link of shot.links) expect(text).toContain(link.toLowerCase());
    const voted = traces.filter((t) => t.more.length === 2);
    expect(voted.length).toBeGreaterThan(0);
    expect(voted.some((t) => t.eng.toLowerCase() !== t.chosen.toLowerCase())).toBe(true);
  }, 60_000);

  it('decodes a QR code without fetching anything (the .wasm comes from node_modules)', async () => {
    expect(existsSync(qrWasmFile())).toBe(true);
    const fetchSpy = vi.fn(() => Promise.reject(new Error('network blocked')));
    vi.stubGlobal('fetch', fetchSpy);
    try {
      const img = await prepareImage(await renderQrPoster(QR_POSTER.url, QR_POSTER.caption));
      expect(await decodeQr(img.rgba)).toEqual([QR_POSTER.url]);
      expect(fetchSpy).not.toHaveBeenCalled();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('finds nothing to read in a blank picture', async () => {
    const r = await readScreenshot(await renderNoText('blank'), pool);
    expect(r.lines).toEqual([]);
    expect(r.qr).toEqual([]);
  }, 30_000);

  it('hands the job what `before` made while the workers started, and frees the slot when `before` fails', async () => {
    expect(
      await pool.run(
        async (w, _c, n: number) => `${typeof w.jpn.recognize} ${n}`,
        async () => 42,
      ),
    ).toBe('function 42');
    await expect(
      pool.run(
        async () => 'never',
        () => Promise.reject(new Error('bad picture')),
      ),
    ).rejects.toThrow('bad picture');
    expect(pool.stats()).toMatchObject({ running: 0, queued: 0 });
    expect(await pool.run(async () => 'next')).toBe('next');
  });

  it('refuses a job at once when every slot is busy and the queue is full, and says how long the queue is', async () => {
    let release!: () => void;
    const held = pool.run(() => new Promise<void>((r) => (release = r)));
    await vi.waitFor(() => expect(pool.stats().running).toBe(1));
    const queued = pool.run(async () => 'queued');
    expect(pool.stats()).toMatchObject({ running: 1, queued: 1, maxQueue: 1 });
    const before = pool.stats().rejected;
    await expect(pool.run(async () => 'refused')).rejects.toBeInstanceOf(OcrBusyError);
    expect(pool.stats().rejected).toBe(before + 1);
    release();
    await held;
    expect(await queued).toBe('queued');
    expect(pool.stats()).toMatchObject({ running: 0, queued: 0 });
  });
});

describe('OCR time limit', () => {
  it('stops a job past its limit, replaces the workers, and the next job runs', async () => {
    const pool = createOcrPool({ size: 1, maxQueue: 1, jobTimeoutMs: 300 });
    try {
      await expect(pool.run(() => new Promise(() => undefined))).rejects.toBeInstanceOf(OcrTimeoutError);
      expect(pool.stats().timedOut).toBe(1);
      expect(pool.stats().running).toBe(0);
      // The slot's workers were terminated; the next job gets a new pair.
      const next = createOcrPool({ size: 1, jobTimeoutMs: 20_000 });
      try {
        expect(await next.run(async (w) => typeof w.jpn.recognize)).toBe('function');
      } finally {
        await next.close();
      }
    } finally {
      await pool.close();
    }
  }, 30_000);
});

describe('OCR budgets', () => {
  it('replaces a slot’s workers after a job that asks (a large picture’s memory given back), not otherwise', async () => {
    const pool = createOcrPool({ size: 1, maxQueue: 1 });
    try {
      const first = await pool.run(async (w, control) => {
        control.retire();
        return w.jpn;
      });
      const second = await pool.run(async (w) => w.jpn);
      const third = await pool.run(async (w) => w.jpn);
      expect(second).not.toBe(first);
      expect(third).toBe(second);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('decodes the picture inside the pool: a busy pool refuses before decoding anything', async () => {
    const pool = createOcrPool({ size: 1, maxQueue: 0, jobTimeoutMs: 20_000 });
    try {
      let release!: () => void;
      const held = pool.run(() => new Promise<void>((r) => (release = r)));
      await vi.waitFor(() => expect(release).toBeTypeOf('function'), { timeout: 30_000 });
      // Not a picture at all: had it been decoded first, this would be an ImageError, not "busy".
      await expect(readScreenshot(Buffer.from('not a picture'), pool)).rejects.toBeInstanceOf(OcrBusyError);
      release();
      await held;
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('reads a tall screenshot (four screens) as its top, says so, and replaces the workers after it', async () => {
    const shot = await renderSmsScreenshot(SCREENSHOTS.sagawa);
    const tall = await sharp({
      create: { width: 1080, height: 4 * 2340, channels: 3, background: '#ffffff' },
    })
      .composite([0, 1, 2, 3].map((i) => ({ input: shot, top: i * 2340, left: 0 })))
      .png()
      .toBuffer();
    const pool = createOcrPool({ size: 1, maxQueue: 1, jobTimeoutMs: 60_000 });
    try {
      const before = await pool.run(async (w) => w.jpn);
      const r = await readScreenshot(tall, pool);
      expect(r.cut).toBe(true);
      expect(joinParagraphs(r.lines)).toContain(SCREENSHOT_LINKS.sagawa!);
      expect(await pool.run(async (w) => w.jpn)).not.toBe(before);
    } finally {
      await pool.close();
    }
  }, 120_000);
});
