// Properties over hostile mail headers, HTML, picture sizes and texts: every input is answered (a
// reading or a clear refusal), within a time bound, and the memory it takes is given back. The bounds
// are generous (a shared machine): they catch a parser or a regex going quadratic, or a picture
// blowing up to a gigabyte, not a few milliseconds.
import fc from 'fast-check';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defangText } from '../../src/line/defang.ts';
import { htmlToText, MAX_HTML } from '../../src/media/html-text.ts';
import {
  cutHeaders,
  MailError,
  MAX_HEADER_BYTES,
  MAX_MAIL_WAITING,
  MAX_MAIL_WORKERS,
  readMailFile,
} from '../../src/media/mail-file.ts';
import { MAX_HEIGHT, MAX_QR_PIXELS, prepareImage } from '../../src/media/prepare-image.ts';
import {
  mailWithEncodedSubject,
  mailWithHostileHtml,
  mailWithLongSubject,
  mailWithNestedEncodedName,
  whitePng,
} from '../../scripts/fixtures/hostile-inputs.ts';

const MB = 1024 * 1024;

/** Runs `f`, then says how long it took and how much the heap and RSS grew (after a GC if exposed). */
async function measured<T>(f: () => Promise<T> | T): Promise<{ value: T; ms: number; rssGrowth: number }> {
  const rss0 = process.memoryUsage().rss;
  const t = performance.now();
  const value = await f();
  const ms = performance.now() - t;
  return { value, ms, rssGrowth: process.memoryUsage().rss - rss0 };
}

/** The memory bound of every test here: the process's RSS may grow by at most this much over one. */
const RSS_GROWTH_LIMIT = 300 * MB;
let rssBefore = 0;
beforeEach(() => {
  rssBefore = process.memoryUsage().rss;
});
afterEach(() => {
  expect(process.memoryUsage().rss - rssBefore).toBeLessThan(RSS_GROWTH_LIMIT);
});

/** Pieces of hostile text: what parsers and regexes stumble on, repeated by the arbitraries. */
const PIECES = [
  'a',
  '.',
  'a.',
  '=?UTF-8?B?',
  '44GC',
  '?=',
  ' ',
  '\r\n ',
  '\t',
  '<',
  '>',
  '<a',
  ' href=',
  '"',
  "'",
  '</a>',
  '<!--',
  '-->',
  '<style>',
  '</style>',
  '<br>',
  '<p>',
  '&amp;',
  '&#x',
  '@',
  'https://',
  'amazon-co-jp.xyz',
  '様',
  '【Amazon】',
  ':',
  '://',
  '0',
  '1.2.3.4',
  'ア',
  '\u3000',
  '\n',
];
const hostile = (maxPieces: number) =>
  fc
    .array(fc.tuple(fc.constantFrom(...PIECES), fc.integer({ min: 1, max: 400 })), { maxLength: maxPieces })
    .map((xs) => xs.map(([p, n]) => p.repeat(n)).join(''));

describe('mail files', () => {
  it('the issue’s three: 100 KB Subject, 200 KB hostile HTML, 1 MB of encoded words, each read quickly', async () => {
    for (const [name, bytes] of [
      ['100 KB Subject', mailWithLongSubject(100_000)],
      ['200 KB HTML', mailWithHostileHtml(200_000)],
      ['1 MB encoded words', mailWithEncodedSubject(1_000_000)],
    ] as const) {
      const { value, ms } = await measured(() => readMailFile(bytes));
      console.log(`${name}: read in ${ms.toFixed(0)} ms, text ${value.text.length} characters`);
      expect(value.subject?.length ?? 0).toBeLessThanOrEqual(MAX_HEADER_BYTES);
      expect(value.text.length).toBeLessThan(30_000);
      expect(ms, name).toBeLessThan(5000);
    }
  }, 60_000);

  it('a mail that would take postal-mime 28 s is stopped at the limit, and this thread stays free meanwhile', async () => {
    const mail = mailWithNestedEncodedName();
    // Each tick's time: a thread blocked by the parse would show one gap as long as the whole wait.
    const tickAt: number[] = [];
    const t = performance.now();
    const ticker = setInterval(() => tickAt.push(performance.now()), 50);
    const err = await readMailFile(mail, 2000).catch((e: unknown) => e);
    const end = performance.now();
    const ms = end - t;
    clearInterval(ticker);
    const times = [t, ...tickAt, end];
    const longestGap = Math.max(...times.slice(1).map((x, i) => x - times[i]!));
    console.log(
      `1.5 MB encoded file name in a part: stopped (${(err as MailError).kind}) after ${ms.toFixed(0)} ms, ` +
        `${tickAt.length} timer ticks meanwhile, longest gap ${longestGap.toFixed(0)} ms`,
    );
    expect(err).toBeInstanceOf(MailError);
    // Stopped either way: at the time limit, or sooner at the worker's heap limit on a fast machine.
    expect(['timeout', 'too_large']).toContain((err as MailError).kind);
    expect(ms).toBeLessThan(10_000);
    // The parse ran in its own thread: timers here kept firing. The bound is relative to the wait,
    // not a tick count, so a stop at the heap limit after a few hundred ms or a busy CI host passes
    // while a blocked thread (one gap ≈ the whole wait) still fails.
    expect(longestGap).toBeLessThan(Math.max(ms / 2, 250));
  }, 60_000);

  it('reads at most MAX_MAIL_WORKERS mails at once; a few more wait, the rest are refused as busy at once', async () => {
    const slow = mailWithNestedEncodedName();
    const n = MAX_MAIL_WORKERS + MAX_MAIL_WAITING + 3;
    const outcomes = await Promise.all(
      Array.from({ length: n }, () =>
        readMailFile(slow, 300).then(
          () => 'read',
          (e: unknown) => (e instanceof MailError ? e.kind : 'other'),
        ),
      ),
    );
    expect(outcomes.filter((o) => o === 'busy')).toHaveLength(3);
    const stopped = outcomes.filter((o) => o === 'timeout' || o === 'too_large');
    expect(stopped).toHaveLength(MAX_MAIL_WORKERS + MAX_MAIL_WAITING);
    // Every turn was given back: the next mail is read.
    expect((await readMailFile(mailWithLongSubject(1000))).subject).toContain('【Amazon】');
  }, 60_000);

  it('any headers: read or refused as not a mail, within the bound, every header cut', async () => {
    await fc.assert(
      fc.asyncProperty(hostile(30), hostile(30), async (subject, from) => {
        const bytes = Buffer.from(
          `From: ${from}\r\nSubject: ${subject}\r\nX-A: ${subject}\r\n\r\nbody ${subject}\r\n`,
        );
        const { value, ms } = await measured(() =>
          readMailFile(bytes).catch((err: unknown) => {
            if (err instanceof MailError) return null;
            throw err;
          }),
        );
        expect(ms).toBeLessThan(3000);
        if (value) expect(value.subject?.length ?? 0).toBeLessThanOrEqual(MAX_HEADER_BYTES);
      }),
      { numRuns: 60 },
    );
  }, 120_000);

  it('cutHeaders leaves every header at most MAX_HEADER_BYTES and the body as it was', () => {
    fc.assert(
      fc.property(hostile(20), hostile(10), (raw, b) => {
        // Line breaks inside stay only as folds: a blank line would end the headers early.
        const h = raw.replace(/\r?\n(?![ \t])/g, ' ');
        const body = `\r\n\r\nBODY${b}`;
        const cut = cutHeaders(Buffer.from(`Subject: ${h}\r\nFrom: ${h.slice(0, 10)}${body}`)).toString(
          'utf8',
        );
        expect(cut.endsWith(body)).toBe(true);
        const head = cut.slice(0, cut.length - body.length);
        // Each header with its folded lines.
        for (const header of head.split(/\r?\n(?![ \t])/))
          expect(Buffer.byteLength(header)).toBeLessThanOrEqual(MAX_HEADER_BYTES + 2);
      }),
      { numRuns: 200 },
    );
  });
});

describe('HTML', () => {
  it('any HTML up to its cap becomes text within the bound', async () => {
    await fc.assert(
      fc.asyncProperty(hostile(60), async (html) => {
        const { value, ms } = await measured(() => htmlToText(html));
        expect(ms).toBeLessThan(2000);
        expect(value.text.length).toBeLessThanOrEqual(MAX_HTML + 8 * value.links.length + 8);
      }),
      { numRuns: 60 },
    );
  }, 120_000);

  it('300,000 characters of every hostile piece, each alone, within the bound', () => {
    for (const p of PIECES) {
      const html = p.repeat(Math.ceil(MAX_HTML / p.length));
      const t = performance.now();
      htmlToText(html);
      const ms = performance.now() - t;
      expect(ms, JSON.stringify(p)).toBeLessThan(2000);
    }
  }, 120_000);
});

describe('texts', () => {
  it('defangText on hostile texts of up to 100,000 characters: within the bound', () => {
    fc.assert(
      fc.property(hostile(300), (text) => {
        const t = performance.now();
        defangText(text);
        expect(performance.now() - t).toBeLessThan(2000);
      }),
      { numRuns: 40 },
    );
    for (const p of PIECES) {
      const t = performance.now();
      defangText(p.repeat(Math.ceil(100_000 / p.length)));
      expect(performance.now() - t, JSON.stringify(p)).toBeLessThan(2000);
    }
  }, 120_000);
});

describe('picture sizes', () => {
  it('the issue’s white 450×88,000 PNG: read as its top 4,800 px, memory given back', async () => {
    const png = await whitePng();
    const { value, ms, rssGrowth } = await measured(() => prepareImage(png));
    console.log(
      `450×88,000 PNG: prepared in ${ms.toFixed(0)} ms as ${value.width}×${value.height}, RSS +${(rssGrowth / MB).toFixed(0)} MB`,
    );
    expect(value.cut).toBe(true);
    expect(value.height).toBeLessThanOrEqual(MAX_HEIGHT);
    expect(value.blank).toBe(true);
    expect(rssGrowth).toBeLessThan(400 * MB);
  }, 60_000);

  it('any size: OCR and QR get bounded pictures, within the bound', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 40_000 }),
        async (width, height) => {
          fc.pre(width * height <= 40_000_000);
          const png = await sharp({ create: { width, height, channels: 3, background: '#f0f0f0' } })
            .png()
            .toBuffer();
          const { value, ms } = await measured(() => prepareImage(png));
          expect(ms).toBeLessThan(10_000);
          expect(value.width).toBeLessThanOrEqual(1600);
          expect(value.height).toBeLessThanOrEqual(MAX_HEIGHT);
          expect(value.rgba.width * value.rgba.height).toBeLessThanOrEqual(MAX_QR_PIXELS * 1.01);
          // Scaled as prepare-image.ts says (narrow up to 2×, wide down to 1,600), then cut.
          const scale = width < 900 ? Math.min(2, 900 / width) : width > 1600 ? 1600 / width : 1;
          if (value.cut) expect(value.height).toBeGreaterThanOrEqual(MAX_HEIGHT - 2);
          else expect(value.height).toBe(Math.max(1, Math.round(height * scale)));
        },
      ),
      { numRuns: 12 },
    );
  }, 180_000);
});
