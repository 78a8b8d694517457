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

const pct = (n: number, of: number) => `${n}/${of} (${((n / Math.max(1, of)) * 100).toFixed(0)} %)`;

export async function run(): Promise<Section> {
  const r = await runChild<ScreenshotsRunResult>(RUN);
  const c = r.check;
  const times = sortedCopy([...r.timedMs, ...c.timedMs]);
  const p50 = percentile(times, 50);
  const p95 = percentile(times, 95);
  const exact = c.linksExact / Math.max(1, c.links);
  const rows: Row[] = [
    [
      `realistic screenshot → verdict, p50 (${r.pictures} pictures × 2 + ${c.pictures} others once, pool warm)`,
      ms(p50),
      '≤ 1.2 s',
      p50 <= P50_TARGET_MS,
    ],
    ['realistic screenshot → verdict, p95', ms(p95), '≤ 2 s', p95 <= P95_TARGET_MS],
    [
      'stages (medians): decode+preprocess / OCR (jpn + eng link pass + vote) / QR',
      `${ms(median(r.stages.prepare))} / ${ms(median(r.stages.ocr))} / ${ms(median(r.stages.qr))}`,
      '—',
      null,
    ],
    [
      `links read exactly, check set (seed ${c.seed}, ${c.pictures} pictures never looked at while tuning)`,
      pct(c.linksExact, c.links),
      '≥ 95 %',
      exact >= LINKS_TARGET,
    ],
    [
      `links read exactly, tuning set (seed ${r.seed}, ${r.pictures} pictures)`,
      pct(r.linksExact, r.links),
      '—',
      null,
    ],
    [
      'bubble openings read (first 10 characters, OCR spaces removed): check / tuning set',
      `${c.phrasesRead}/${c.phrases} / ${r.phrasesRead}/${r.phrases}`,
      '—',
      null,
    ],
    [
      'CPU per picture, every thread of the process (tuning set; steadier than wall-clock on a busy machine)',
      ms(r.cpuPerReadingMs),
      '—',
      null,
    ],
    ['peak RSS (detector + OCR workers + sharp)', mb(r.peakRss), '—', null],
  ];
  const list = (ms: { picture: string; shown: string }[]) =>
    ms.map((m) => `${m.picture}: ${m.shown}`).join(' · ') || 'none';
  return {
    title: 'Screenshots as people send them (OCR)',
    command: 'npm run bench -- screenshots',
    rows,
    notes: [
      `Sets: ${r.pictures} pictures drawn with seed ${r.seed} (the tuning set) and ${c.pictures} with seed ${c.seed} (the check set) by scripts/fixtures/realistic-screenshots.ts (\`node scripts/fixtures/realistic-screenshots.ts DIR [COUNT] [SEED]\` writes them out): phone widths ${r.widths.join(', ')} px as stored, ${r.dark} of the tuning set in dark mode, ${r.jpeg} as LINE-style JPEG (quality 55–75, wider than 1080 px scaled to 1080), status bar, header, date line, time stamps and input bar, 1–3 bubbles (${r.lines.min}–${r.lines.max} lines) of generated SMS texts (scripts/bench/lib/texts.ts) with their links, Noto Sans CJK. A link is read exactly when the text judged holds it character for character (case aside).`,
      'Each picture is read by src/media/read-screenshot.ts with the pool the server makes (one slot per core but one), then judged by the detector; the tuning set is read twice and the check set once, every reading timed. Before OCR each picture is cut to its messages (the status bar, header and input bar found from the picture: src/media/screen-regions.ts). Where the English link pass and the Japanese pass disagree, two more readings vote (src/media/link-vote.ts).',
      'Wall-clock times depend on how busy the machine is (load average below; above 2 on these 2 cores other processes share them, and the times grow with the load): compare figures measured at the same time, or the CPU per picture, which the load disturbs less.',
      `Links not read exactly, check set: ${list(c.misses)}; tuning set: ${list(r.misses)}.`,
    ],
  };
}
