// Screenshot-to-verdict measurements in one fresh process (scripts/bench/ocr.ts runs it): the OCR pool as
// the server makes it (sized to the machine), warmed, then phone screenshots read and judged one after
// another; the same pictures without preprocessing and without the English link pass, for what each
// step buys; peak RSS of the whole process (worker threads included). Prints one JSON line.
import sharp from 'sharp';
import { loadDetector } from '../../../src/detector/load.ts';
import { createOcrPool, defaultPoolSize } from '../../../src/media/ocr-pool.ts';
import { joinParagraphs } from '../../../src/media/ocr-text.ts';
import { readScreenshot, type ReadOptions } from '../../../src/media/read-screenshot.ts';
import {
  QR_POSTER,
  renderNoText,
  renderQrPoster,
  renderSmsScreenshot,
  SCREENSHOT_LINKS,
  SCREENSHOTS,
} from '../../fixtures/render-screenshots.ts';

const ROUNDS = 6;

export interface OcrRunResult {
  poolSize: number;
  startMs: number;
  /** Screenshot bytes in → verdict out, per picture, pool warm. */
  timedMs: number[];
  stages: { prepare: number[]; ocr: number[]; qr: number[]; analyze: number[] };
  variants: Record<
    string,
    { linksExact: number; links: number; phrases: number; phraseTotal: number; ms: number[] }
  >;
  photoMs: { enhanced: number; plain: number };
  qrFound: boolean;
  peakRss: number;
  pictures: number;
}

let peak = 0;
const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));
const sampler = setInterval(sample, 20);

const detector = await loadDetector();
const names = Object.keys(SCREENSHOTS) as (keyof typeof SCREENSHOTS)[];
const shots = await Promise.all(names.map((n) => renderSmsScreenshot(SCREENSHOTS[n])));
/** The same screenshots as LINE may deliver them: scaled down and JPEG-compressed. */
const compressed = await Promise.all(
  shots.map((png) => sharp(png).resize({ width: 720 }).jpeg({ quality: 60 }).toBuffer()),
);
const poster = await renderQrPoster(QR_POSTER.url, QR_POSTER.caption);
const photo = await renderNoText('photo');
/** Phrases each screenshot must be read with (Japanese without OCR spaces). */
const PHRASES: Record<keyof typeof SCREENSHOTS, string[]> = {
  sagawa: ['不在の為持ち帰りました', '下記よりご確認ください'],
  amazonWrappedHost: ['お支払い方法に問題があります', '24時間以内に更新してください'],
  smbcDark: ['一時利用停止になりました', 'ログインしてください'],
  genuineOtp: ['確認コードは482913です', '共有しないでください'],
};

const size = defaultPoolSize();
const pool = createOcrPool({ size });
let t = performance.now();
await pool.warm();
const startMs = performance.now() - t;

const timedMs: number[] = [];
const stages = { prepare: [] as number[], ocr: [] as number[], qr: [] as number[], analyze: [] as number[] };
const variants: OcrRunResult['variants'] = {};
const VARIANTS: Record<string, ReadOptions & { jpeg?: boolean }> = {
  full: {},
  'no preprocessing': { enhance: false },
  'no English link pass': { urlPass: false },
  'jpeg full': { jpeg: true },
  'jpeg no preprocessing': { jpeg: true, enhance: false },
};
for (const [name, opts] of Object.entries(VARIANTS)) {
  const v = { linksExact: 0, links: 0, phrases: 0, phraseTotal: 0, ms: [] as number[] };
  variants[name] = v;
  const rounds = name === 'full' ? ROUNDS : 1;
  for (let round = 0; round < rounds; round++)
    for (let i = 0; i < names.length; i++) {
      t = performance.now();
      const r = await readScreenshot((opts.jpeg ? compressed : shots)[i]!, pool, opts);
      const a0 = performance.now();
      const text = [joinParagraphs(r.lines), ...r.qr].join('\n');
      const verdict = detector.analyze(text);
      const end = performance.now();
      if (verdict.risk === undefined) throw new Error('no verdict');
      v.ms.push(end - t);
      if (name === 'full') {
        timedMs.push(end - t);
        stages.prepare.push(r.ms.prepare);
        stages.ocr.push(r.ms.ocr);
        stages.qr.push(r.ms.qr);
        stages.analyze.push(end - a0);
      }
      if (round === 0) {
        const link = SCREENSHOT_LINKS[names[i]!];
        if (link) {
          v.links++;
          if (text.toLowerCase().includes(link)) v.linksExact++;
        }
        for (const p of PHRASES[names[i]!]) {
          v.phraseTotal++;
          if (text.includes(p)) v.phrases++;
        }
      }
      sample();
    }
}

t = performance.now();
const posterReading = await readScreenshot(poster, pool);
timedMs.push(performance.now() - t);
const qrFound = posterReading.qr.includes(QR_POSTER.url);

t = performance.now();
await readScreenshot(photo, pool);
const enhanced = performance.now() - t;
t = performance.now();
// Without the photo path tesseract may run into the job's time limit: reported as -1.
const plain = await readScreenshot(photo, pool, { enhance: false }).then(
  () => performance.now() - t,
  () => -1,
);

sample();
clearInterval(sampler);
await pool.close();
const result: OcrRunResult = {
  poolSize: size,
  startMs,
  timedMs,
  stages,
  variants,
  photoMs: { enhanced, plain },
  qrFound,
  // maxRSS (KiB) covers moments between samples too.
  peakRss: Math.max(peak, process.resourceUsage().maxRSS * 1024),
  pictures: timedMs.length,
};
console.log(JSON.stringify(result));
