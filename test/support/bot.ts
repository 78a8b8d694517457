// Starts the real app (buildApp on 127.0.0.1:0) against the fake LINE server, with logs captured.
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config.ts';
import { loadDetector } from '../../src/detector/load.ts';
import type { Detector } from '../../src/detector/index.ts';
import { createLogger } from '../../src/log/logger.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import type { Store } from '../../src/store/store.ts';
import { buildApp, type AppOptions } from '../../src/server/app.ts';
import { startRuntime, type RuntimeOptions } from '../../src/server/runtime.ts';
import { startFakeLine, type FakeLine } from '../../scripts/stand-ins/fake-line.ts';
import type { MediaDeps } from '../../src/media/media.ts';
import { SECRET, TOKEN } from '../../scripts/stand-ins/webhook.ts';

export interface Bot {
  url: string;
  app: FastifyInstance;
  fake: FakeLine;
  store: Store;
  /** Every log line, as written (JSON). */
  logs: string[];
  close(): Promise<void>;
}

export async function startBot(
  o: {
    store?: Store;
    detector?: Promise<Detector>;
    line?: boolean;
    options?: AppOptions & RuntimeOptions;
    fake?: FakeLine;
    /** More environment (RATE_LIMIT_USER, METRICS_TOKEN …) on top of the test defaults. */
    env?: Record<string, string | undefined>;
    /** Reading pictures and files, e.g. with an OCR pool shared by a test file (warm once). */
    media?: (fake: FakeLine) => MediaDeps;
    /** The app's clock (timestamps of the guide and its 相談メモ); give the store the same one. */
    now?: () => number;
  } = {},
): Promise<Bot> {
  const fake = o.fake ?? (await startFakeLine());
  const env: Record<string, string | undefined> = {
    LINE_API_BASE_URL: fake.url,
    LINE_DATA_API_BASE_URL: fake.url,
    STORE_URL: 'memory:',
  };
  if (o.line !== false) Object.assign(env, { LINE_CHANNEL_SECRET: SECRET, LINE_CHANNEL_ACCESS_TOKEN: TOKEN });
  Object.assign(env, o.env);
  const config = loadConfig(env);
  const logs: string[] = [];
  const logger = createLogger('debug', { write: (s: string) => void logs.push(s) });
  const store = o.store ?? new MemoryStore();
  const runtime = await startRuntime(
    config,
    { detector: o.detector ?? loadDetector(), store, logger, media: o.media?.(fake), now: o.now },
    { lineRetry: { baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 2000 }, ...o.options },
  );
  const app = await buildApp(config, runtime, o.options);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    app,
    fake,
    store,
    logs,
    async close() {
      await app.close();
      await store.close();
      if (!o.fake) await fake.close();
    },
  };
}
