// The deployed arrangement reading screenshots: `node src/server/main.ts` (event thread, OCR workers
// warm) receives each screenshot as a LINE image message through a stand-in LINE API on 127.0.0.1 and
// answers it; the server's RSS is read from /proc while it works (all its threads, one process).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeLine } from '../../../test/helpers/fake-line.ts';
import {
  body,
  inUser,
  messageEvent,
  postWebhook,
  serverEnv,
  waitFor,
} from '../../../test/helpers/webhook.ts';
import { renderSmsScreenshot, SCREENSHOTS } from '../../fixtures/render-screenshots.ts';
import { serverFlags, stop, waitReady } from './server-process.ts';
import { freePort } from '../../../test/helpers/redis-server.ts';

const MAIN = new URL('../../../src/server/main.ts', import.meta.url).pathname;
const ROUNDS = 6;

export interface ServerScreenshots {
  restRss: number;
  peakRss: number;
  /** Webhook sent → reply received at the stand-in, per screenshot. */
  replyMs: number[];
  eventThreads: string;
}

export async function serverScreenshots(): Promise<ServerScreenshots> {
  const fake = await startFakeLine();
  const shots = await Promise.all(Object.values(SCREENSHOTS).map((s) => renderSmsScreenshot(s)));
  const dir = mkdtempSync(join(tmpdir(), 'sagicheck-bench-ocr-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const eventThreads = process.env.EVENT_THREADS ?? '1';
  const server = spawn(process.execPath, [...serverFlags(), MAIN], {
    env: serverEnv(
      { port, lineUrl: fake.url, storeUrl: `sqlite:${join(dir, 'bench.db')}` },
      { RATE_LIMIT_USER: 'off', LOG_LEVEL: 'warn', EVENT_THREADS: eventThreads },
    ),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const rss = () =>
    Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))![1]) * 1024;
  try {
    await waitReady(base, server);
    // The OCR workers start and warm up after the dictionary: wait until the memory stops growing.
    let rest = rss();
    for (let last = 0; Math.abs(rest - last) > 2e6;) {
      await new Promise((r) => setTimeout(r, 1000));
      [last, rest] = [rest, rss()];
    }
    let peak = rest;
    const sampler = setInterval(() => (peak = Math.max(peak, rss())), 20);
    const replyMs: number[] = [];
    for (let round = 0, n = 0; round < ROUNDS; round++) {
      for (const png of shots) {
        const id = `bench-shot-${++n}`;
        fake.serveContent(id, { bytes: png, contentType: 'image/png' });
        const t = performance.now();
        await postWebhook(
          base,
          body(messageEvent({ type: 'image', id, contentProvider: { type: 'line' } }, inUser())),
        );
        await waitFor(() => fake.callsTo('reply').length >= n, 30_000, 'reply to a screenshot');
        replyMs.push(performance.now() - t);
      }
    }
    clearInterval(sampler);
    return { restRss: rest, peakRss: peak, replyMs, eventThreads };
  } finally {
    await stop(server);
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
