// Screenshots as people send them (scripts/fixtures/realistic-screenshots.ts: phone widths 720–1440,
// dark mode, the phone's and the app's chrome, several bubbles, LINE-compressed JPEG): time from bytes to
// verdict with the OCR pool warm, and how exactly links and phrases are read. Runs in a fresh process
// (scripts/bench/lib/screenshots-run.ts).
import { runChild } from './lib/child.ts';
import type { ScreenshotsRunResult } from './lib/screenshots-run.ts';
import { mb, median, ms, percentile, sortedCopy, type Row, type Section } from './lib/report.ts';

const RUN = new URL('./lib/screenshots-run.ts', import.meta.url);
const P50_TARGET_MS = 1200;
const P95_TARGET_MS = 2000;
const LINKS_TARGET = 0.95;

export async function run(): Promise<Section> {
  const r = await runChild<ScreenshotsRunResult>(RUN);
  const times = sortedCopy(r.timedMs);
  const p50 = percentile(times, 50);
  const p95 = percentile(times, 95);
  const exact = r.linksExact / Math.max(1, r.links);
  const rows: Row[] = [
    [
      `realistic screenshot → verdict, p50 (${r.pictures} pictures × 2, pool warm)`,
      ms(p50),
      '≤ 1.2 s',
      p50 <= P50_TARGET_MS,
    ],
    ['realistic screenshot → verdict, p95', ms(p95), '≤ 2 s', p95 <= P95_TARGET_MS],
    [
      'stages (medians): decode+preprocess / OCR (jpn + eng link pass) / QR',
      `${ms(median(r.stages.prepare))} / ${ms(median(r.stages.ocr))} / ${ms(median(r.stages.qr))}`,
      '—',
      null,
    ],
    [
      'links read exactly (character for character)',
      `${r.linksExact}/${r.links} (${(exact * 100).toFixed(0)} %)`,
      '≥ 95 %',
      exact >= LINKS_TARGET,
    ],
    [
      `check set: links read exactly (seed ${r.check.seed}, ${r.check.pictures} other pictures, read once)`,
      `${r.check.linksExact}/${r.check.links} (${((r.check.linksExact / Math.max(1, r.check.links)) * 100).toFixed(0)} %)`,
      '—',
      null,
    ],
    [
      'bubble openings read (first 10 characters, OCR spaces removed)',
      `${r.phrasesRead}/${r.phrases}`,
      '—',
      null,
    ],
    ['peak RSS (detector + OCR workers + sharp)', mb(r.peakRss), '—', null],
  ];
  const missed = r.misses.slice(0, 8).map((m) => `${m.picture}: ${m.shown}`);
  return {
    title: 'Screenshots as people send them (OCR)',
    command: 'npm run bench -- screenshots',
    rows,
    notes: [
      `Set: ${r.pictures} pictures drawn with a fixed seed by scripts/fixtures/realistic-screenshots.ts (\`node scripts/fixtures/realistic-screenshots.ts DIR\` writes them out): phone widths ${r.widths.join(', ')} px as stored, ${r.dark} in dark mode, ${r.jpeg} as LINE-style JPEG (quality 55–75, wider than 1080 px scaled to 1080), status bar, header, date line, time stamps and input bar, 1–3 bubbles (${r.lines.min}–${r.lines.max} lines) of generated SMS texts (scripts/bench/lib/texts.ts) with their links, Noto Sans CJK.`,
      'Each picture is read by src/media/read-screenshot.ts with the pool the server makes (one slot per core but one), then judged by the detector; the set is read twice and both rounds are timed. Before OCR each picture is cut to its messages (the status bar, header and input bar found from the picture: src/media/screen-regions.ts).',
      'Wall-clock times depend on how busy the machine is (load average below): compare figures measured at the same time.',
      missed.length
        ? `Links not read exactly (first ${missed.length}): ${missed.join(' · ')}.`
        : 'Every link was read exactly.',
      `Check set (seed ${r.check.seed}), links not read exactly: ${r.check.misses.map((m) => `${m.picture}: ${m.shown}`).join(' · ') || 'none'}.`,
    ],
  };
}
