// Screenshots: phone screenshot (1080×2340) in → verdict out, with the OCR pool warm, p50/p95, and the
// peak RSS of the process (the server's detector, tesseract's workers and sharp together). Also what the
// preprocessing and the English link pass each buy, measured on the same pictures. Runs in a fresh
// process (scripts/bench/lib/ocr-run.ts) so nothing else loaded counts toward the memory figure.
import { runChild } from './lib/child.ts';
import { serverScreenshots } from './lib/ocr-server.ts';
import type { OcrRunResult } from './lib/ocr-run.ts';
import { mb, median, ms, percentile, sortedCopy, type Row, type Section } from './lib/report.ts';

const P50_TARGET_MS = 1500;
const RSS_TARGET = 600e6;
const REST_RSS_TARGET = 300e6;
const FIRST_TARGET_MS = 2500;
const RUN = new URL('./lib/ocr-run.ts', import.meta.url);

export async function run(): Promise<Section> {
  const r = await runChild<OcrRunResult>(RUN);
  const srv = await serverScreenshots();
  const srvTimes = sortedCopy(srv.replyMs);
  const times = sortedCopy(r.timedMs);
  const p50 = percentile(times, 50);
  const p95 = percentile(times, 95);
  const med = (xs: number[]) => ms(median(xs));
  const variant = (name: string) => {
    const v = r.variants[name]!;
    return `links exact ${v.linksExact}/${v.links}, phrases ${v.phrases}/${v.phraseTotal}, median ${med(v.ms)}`;
  };
  const rows: Row[] = [
    [
      `screenshot → verdict, p50 (${times.length} pictures, pool warm)`,
      ms(p50),
      '≤ 1.5 s',
      p50 <= P50_TARGET_MS,
    ],
    ['screenshot → verdict, p95', ms(p95), '—', null],
    [
      'stages (medians): decode+preprocess / OCR (jpn + eng link pass) / QR (parallel) / detector',
      `${med(r.stages.prepare)} / ${med(r.stages.ocr)} / ${med(r.stages.qr)} / ${med(r.stages.analyze)}`,
      '—',
      null,
    ],
    ['peak RSS (detector + OCR workers + sharp)', mb(r.peakRss), '≤ 600 MB', r.peakRss <= RSS_TARGET],
    [
      `the server (npm start, EVENT_THREADS=${srv.eventThreads}) answering the same screenshots as LINE image messages: webhook → reply p50 / p95 (${srvTimes.length}, after the first)`,
      `${ms(percentile(srvTimes, 50))} / ${ms(percentile(srvTimes, 95))}`,
      '—',
      null,
    ],
    [
      'the server: first screenshot after start (its OCR workers start for it)',
      ms(srv.firstMs),
      '≤ 2.5 s',
      srv.firstMs <= FIRST_TARGET_MS,
    ],
    [
      'the server: RSS at rest before any picture / peak answering texts only',
      `${mb(srv.restRss)} / ${mb(srv.textPeakRss)}`,
      '≤ 300 MB (rest)',
      srv.restRss <= REST_RSS_TARGET,
    ],
    [
      'the server: peak RSS with pictures (OCR workers running)',
      mb(srv.peakRss),
      '≤ 600 MB (peak)',
      srv.peakRss <= RSS_TARGET,
    ],
    [`OCR pool: ${r.poolSize} slot(s) (jpn + eng worker each), start + warm-up`, ms(r.startMs), '—', null],
    ['full pipeline (preprocessing + link pass)', variant('full'), '—', null],
    ['without preprocessing', variant('no preprocessing'), '—', null],
    ['without the English link pass', variant('no English link pass'), '—', null],
    ['LINE-compressed (720 px wide, JPEG q60): full pipeline', variant('jpeg full'), '—', null],
    [
      'LINE-compressed (720 px wide, JPEG q60): without preprocessing',
      variant('jpeg no preprocessing'),
      '—',
      null,
    ],
    [
      'photo with no text (1080×2340, grain): preprocessed / not',
      `${ms(r.photoMs.enhanced)} / ${r.photoMs.plain < 0 ? 'stopped at the 15 s time limit' : ms(r.photoMs.plain)}`,
      '—',
      null,
    ],
    ['QR code on a poster decoded', r.qrFound ? 'yes' : 'no', 'yes', r.qrFound],
  ];
  return {
    title: 'Screenshots (OCR)',
    command: 'npm run bench -- ocr',
    rows,
    notes: [
      'Pictures: 4 SMS screenshots rendered by scripts/fixtures/render-screenshots.ts (light and dark mode, links wrapped over 2–3 lines) and a QR poster; the timed set is 6 rounds of the screenshots plus the poster, read one at a time.',
      '"links exact": the link read character for character; "phrases": key Japanese phrases read without OCR spaces. The variants run once over the 4 screenshots.',
      'The server rows: the whole process as deployed — the thread that acknowledges webhooks, the event thread with its own detector (src/server/event-threads.ts), the OCR workers (started by the first picture) and sharp — first 300 texts, then the screenshots, with the sqlite store and a stand-in LINE API on 127.0.0.1 serving the pictures; the first rows measure the OCR path alone in one process, as issue 5 set its target. With EVENT_THREADS=0 the server holds one detector fewer (~110 MB less). Event threads run with a young generation of 16 MB (src/server/event-threads.ts): reading screenshots peaked at 576–597 MB with it, 619 MB with V8’s default for a thread, for a few percent more garbage-collection time.',
      'Preprocessing: grayscale, dark mode inverted, levels (light-grey bubbles to white), small pictures scaled up; photos scaled to 720 px wide with a median filter.',
    ],
  };
}
