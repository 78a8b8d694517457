// The realistic screenshot set (scripts/fixtures/realistic-screenshots.ts) read and judged in one fresh
// process (scripts/bench/screenshots.ts runs it): the OCR pool as the server makes it, warmed, then each
// picture bytes in → verdict out, one at a time, twice over. Prints one JSON line.
import { loadDetector } from '../../../src/detector/load.ts';
import { createOcrPool } from '../../../src/media/ocr-pool.ts';
import { joinParagraphs } from '../../../src/media/ocr-text.ts';
import { readScreenshot } from '../../../src/media/read-screenshot.ts';
import { realisticScreenshots } from '../../fixtures/realistic-screenshots.ts';

export interface ScreenshotsRunResult {
  pictures: number;
  /** Per picture, every round: bytes in → verdict out (ms), pool warm. */
  timedMs: number[];
  /** Medians of the reader's own stages. */
  stages: { prepare: number[]; ocr: number[]; qr: number[] };
  links: number;
  linksExact: number;
  phrases: number;
  phrasesRead: number;
  /** Links read wrong, as shown and as read (for looking into misses; made-up hosts only). */
  misses: { shown: string; picture: string }[];
  lines: { min: number; max: number };
  widths: number[];
  dark: number;
  jpeg: number;
  peakRss: number;
  /** A second draw of the set (another seed, read once): what the link figures are worth beyond the first. */
  check: {
    seed: number;
    pictures: number;
    links: number;
    linksExact: number;
    misses: { shown: string; picture: string }[];
  };
}

const ROUNDS = 2;
let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);

const detector = await loadDetector();
const shots = await realisticScreenshots(Number(process.env.SCREENSHOTS ?? 24));
const pool = createOcrPool();
await pool.warm();

const r: ScreenshotsRunResult = {
  pictures: shots.length,
  timedMs: [],
  stages: { prepare: [], ocr: [], qr: [] },
  links: 0,
  linksExact: 0,
  phrases: 0,
  phrasesRead: 0,
  misses: [],
  lines: { min: Math.min(...shots.map((s) => s.lines)), max: Math.max(...shots.map((s) => s.lines)) },
  widths: [...new Set(shots.map((s) => s.width))].sort((a, b) => a - b),
  dark: shots.filter((s) => s.theme === 'dark').length,
  jpeg: shots.filter((s) => s.jpeg).length,
  peakRss: 0,
  check: { seed: 0, pictures: 0, links: 0, linksExact: 0, misses: [] },
};
for (let round = 0; round < ROUNDS; round++)
  for (const shot of shots) {
    const t = performance.now();
    const reading = await readScreenshot(shot.bytes, pool);
    const text = [joinParagraphs(reading.lines), ...reading.qr].join('\n');
    if (detector.analyze(text).risk === undefined) throw new Error('no verdict');
    r.timedMs.push(performance.now() - t);
    r.stages.prepare.push(reading.ms.prepare);
    r.stages.ocr.push(reading.ms.ocr);
    r.stages.qr.push(reading.ms.qr);
    if (round > 0) continue;
    const lower = text.toLowerCase();
    for (const link of shot.links) {
      r.links++;
      if (lower.includes(link.toLowerCase())) r.linksExact++;
      else r.misses.push({ shown: link, picture: shot.name });
    }
    const flat = text.replace(/\s/g, '');
    for (const p of shot.phrases) {
      r.phrases++;
      if (flat.includes(p)) r.phrasesRead++;
    }
  }
// The check set: other texts, sizes and themes from another seed, never looked at while tuning.
const CHECK_SEED = 17;
const check = await realisticScreenshots(Number(process.env.SCREENSHOTS ?? 24), CHECK_SEED);
r.check = { seed: CHECK_SEED, pictures: check.length, links: 0, linksExact: 0, misses: [] };
for (const shot of check) {
  const reading = await readScreenshot(shot.bytes, pool);
  const lower = [joinParagraphs(reading.lines), ...reading.qr].join('\n').toLowerCase();
  for (const link of shot.links) {
    r.check.links++;
    if (lower.includes(link.toLowerCase())) r.check.linksExact++;
    else r.check.misses.push({ shown: link, picture: shot.name });
  }
}
clearInterval(sampler);
await pool.close();
r.peakRss = Math.max(peak, process.resourceUsage().maxRSS * 1024);
console.log(JSON.stringify(r));
