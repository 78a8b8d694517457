// The realistic screenshot set (scripts/fixtures/realistic-screenshots.ts) read and judged in one fresh
// process (scripts/bench/screenshots.ts runs it): the OCR pool as the server makes it, warmed, then each
// picture bytes in → verdict out, one at a time, twice over. Then the check set: as many pictures drawn
// with another seed, never looked at while the reading was tuned, read once: with 48 pictures (~55
// links) one link is ~2 %, and the figure that counts is the check set's. Prints one JSON line.
import { loadDetector } from '../../../src/detector/load.ts';
import { createOcrPool } from '../../../src/media/ocr-pool.ts';
import { joinParagraphs } from '../../../src/media/ocr-text.ts';
import { readScreenshot } from '../../../src/media/read-screenshot.ts';
import { realisticScreenshots, type RealisticShot } from '../../fixtures/realistic-screenshots.ts';

type Miss = { shown: string; picture: string };

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
  misses: Miss[];
  lines: { min: number; max: number };
  widths: number[];
  dark: number;
  jpeg: number;
  peakRss: number;
  /** CPU time of the whole process (every thread: tesseract's workers are threads) per reading, ms. */
  cpuPerReadingMs: number;
  seed: number;
  /** A second draw of the set (another seed, read once): what the link figures are worth beyond the first. */
  check: {
    seed: number;
    pictures: number;
    links: number;
    linksExact: number;
    phrases: number;
    phrasesRead: number;
    misses: Miss[];
    /** Bytes in → verdict out (ms), read once. */
    timedMs: number[];
  };
}

const ROUNDS = 2;
/**
 * The set the reading was tuned on, and the check set's seed (never looked at while tuning). Seeds 17
 * and 23 were check sets once and were looked at since: new readings are checked on a fresh seed.
 */
const SEED = 14;
const CHECK_SEED = 31;
const COUNT = Number(process.env.SCREENSHOTS ?? 48);
let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);

const detector = await loadDetector();
const shots = await realisticScreenshots(COUNT, SEED);
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
  cpuPerReadingMs: 0,
  seed: SEED,
  check: {
    seed: CHECK_SEED,
    pictures: 0,
    links: 0,
    linksExact: 0,
    phrases: 0,
    phrasesRead: 0,
    misses: [],
    timedMs: [],
  },
};
/** Reads one picture to a verdict; the reading and the text judged. */
async function judge(bytes: Buffer) {
  const reading = await readScreenshot(bytes, pool);
  const text = [joinParagraphs(reading.lines), ...reading.qr].join('\n');
  if (detector.analyze(text).risk === undefined) throw new Error('no verdict');
  return { reading, text };
}

/** Links read exactly (character for character, case aside) and bubble openings read. */
function score(
  shot: RealisticShot,
  text: string,
  into: { links: number; linksExact: number; phrases: number; phrasesRead: number; misses: Miss[] },
) {
  const lower = text.toLowerCase();
  for (const link of shot.links) {
    into.links++;
    if (lower.includes(link.toLowerCase())) into.linksExact++;
    else into.misses.push({ shown: link, picture: shot.name });
  }
  const flat = text.replace(/\s/g, '');
  for (const p of shot.phrases) {
    into.phrases++;
    if (flat.includes(p)) into.phrasesRead++;
  }
}

const cpu0 = process.cpuUsage();
for (let round = 0; round < ROUNDS; round++)
  for (const shot of shots) {
    const t = performance.now();
    const { reading, text } = await judge(shot.bytes);
    r.timedMs.push(performance.now() - t);
    r.stages.prepare.push(reading.ms.prepare);
    r.stages.ocr.push(reading.ms.ocr);
    r.stages.qr.push(reading.ms.qr);
    if (round === 0) score(shot, text, r);
  }
const cpu = process.cpuUsage(cpu0);
r.cpuPerReadingMs = (cpu.user + cpu.system) / 1000 / (ROUNDS * shots.length);
// The check set: other texts, sizes and themes from another seed, never looked at while tuning.
const check = await realisticScreenshots(COUNT, CHECK_SEED);
r.check.pictures = check.length;
for (const shot of check) {
  const t = performance.now();
  const { text } = await judge(shot.bytes);
  r.check.timedMs.push(performance.now() - t);
  score(shot, text, r.check);
}
clearInterval(sampler);
await pool.close();
r.peakRss = Math.max(peak, process.resourceUsage().maxRSS * 1024);
console.log(JSON.stringify(r));
