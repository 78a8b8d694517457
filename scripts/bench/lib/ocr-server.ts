// The deployed arrangement reading screenshots: `node src/server/main.ts` (event threads; OCR workers
// start with the first picture) first answers a burst of texts, then receives each screenshot as a LINE
// image message through a stand-in LINE API on 127.0.0.1 and answers it; the server's RSS is read from
// /proc while it works (all its threads, one process): at rest, after texts only, and with pictures.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeLine } from '../../stand-ins/fake-line.ts';
import {
  body,
  inUser,
  messageEvent,
  postWebhook,
  serverEnv,
  textEvent,
  waitFor,
} from '../../stand-ins/webhook.ts';
import { renderSmsScreenshot, SCREENSHOTS } from '../../fixtures/render-screenshots.ts';
import { smsCorpus } from './texts.ts';
import { serverFlags, stop, waitReady } from './server-process.ts';
import { freePort } from '../../stand-ins/redis-server.ts';

const MAIN = new URL('../../../src/server/main.ts', import.meta.url).pathname;
const ROUNDS = 6;

export interface ServerScreenshots {
  /** Ready, before any event. */
  restRss: number;
  /** The highest while answering TEXTS texts, before any picture. */
  textPeakRss: number;
  /** The highest while answering the screenshots. */
  peakRss: number;
  /** The first screenshot after start: its OCR workers start for it. */
  firstMs: number;
  /** Webhook sent → reply received at the stand-in, per screenshot after the first. */
  replyMs: number[];
  eventThreads: string;
}

const TEXTS = 300;

export async function serverScreenshots(): Promise<ServerScreenshots> {
  const fake = await startFakeLine();
  const shots = await Promise.all(Object.values(SCREENSHOTS).map((s) => renderSmsScreenshot(s)));
  const dir = mkdtempSync(join(tmpdir(), 'sagicheck-bench-ocr-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // Passed on from the environment; unset, the server's default (one thread per core but one).
  const eventThreads = process.env.EVENT_THREADS ?? 'default';
  const server = spawn(process.execPath, [...serverFlags(), MAIN], {
    env: serverEnv(
      { port, lineUrl: fake.url, storeUrl: `sqlite:${join(dir, 'bench.db')}` },
      { RATE_LIMIT_USER: 'off', LOG_LEVEL: 'warn' },
    ),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const rss = () =>
    Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))![1]) * 1024;
  try {
    await waitReady(base, server);
    // Settled: the dictionary loaded, nothing else started.
    let rest = rss();
    for (let last = 0; Math.abs(rest - last) > 2e6;) {
      await new Promise((r) => setTimeout(r, 1000));
      [last, rest] = [rest, rss()];
    }
    let peak = rest;
    const sampler = setInterval(() => (peak = Math.max(peak, rss())), 20);
    // Texts only, 20 at a time from 20 people: what most of the traffic is.
    const texts = smsCorpus(TEXTS, 7).map((x) => x.text);
    for (let i = 0; i < TEXTS; i += 20)
      await Promise.all(
        texts
          .slice(i, i + 20)
          .map((t, j) => postWebhook(base, body(textEvent(t, inUser(`U${String(j).padStart(32, '0')}`))))),
      );
    await waitFor(() => fake.callsTo('reply').length >= TEXTS, 60_000, 'replies to the texts');
    const textPeak = peak;
    const replyMs: number[] = [];
    let firstMs = NaN;
    for (let round = 0, n = 0; round < ROUNDS; round++) {
      for (const png of shots) {
        const id = `bench-shot-${++n}`;
        fake.serveContent(id, { bytes: png, contentType: 'image/png' });
        const t = performance.now();
        await postWebhook(
          base,
          body(messageEvent({ type: 'image', id, contentProvider: { type: 'line' } }, inUser())),
        );
        await waitFor(() => fake.callsTo('reply').length >= TEXTS + n, 30_000, 'reply to a screenshot');
        if (n === 1) firstMs = performance.now() - t;
        else replyMs.push(performance.now() - t);
      }
    }
    clearInterval(sampler);
    return { restRss: rest, textPeakRss: textPeak, peakRss: peak, firstMs, replyMs, eventThreads };
  } finally {
    await stop(server);
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
