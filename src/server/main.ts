// `npm start`: configuration, store and detector, then the server on HOST:PORT. It listens at once
// (/healthz is up, /readyz says 503) while the dictionary loads, so a cold start answers LINE's first
// webhook within its 2 s; early events wait for the detector. SIGTERM/SIGINT: stop taking requests,
// answer every accepted event, close the store.
import { loadConfig, ConfigError } from '../config.ts';
import { loadDetector } from '../detector/load.ts';
import { createLogger } from '../log/logger.ts';
import { openStore } from '../store/open.ts';
import { loadCopy, type Copy } from '../conversation/copy.ts';
import type { Detector } from '../detector/index.ts';
import type { Store } from '../store/store.ts';
import { buildApp } from './app.ts';

function stop(message: string): never {
  process.stderr.write(`sagicheck: ${message}\n`);
  process.exit(1);
}

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) stop(`invalid ${err.message}`);
  throw err;
}

const log = createLogger(config.logLevel);
let store: Store;
let copy: Copy;
try {
  copy = loadCopy();
  store = openStore(config.storeUrl);
} catch (err) {
  stop((err as Error).message);
}

// Settled once the dictionary is loaded, after the server listens (the load keeps the CPU busy).
let detectorLoaded!: { resolve: (d: Detector) => void; reject: (err: unknown) => void };
const detector = new Promise<Detector>((resolve, reject) => (detectorLoaded = { resolve, reject }));
const app = await buildApp(config, { detector, store, logger: log, copy });

let closing: Promise<void> | null = null;
function shutdown(signal: string, code = 0): Promise<void> {
  closing ??= (async () => {
    log.info({ signal }, 'shutting down: finishing accepted events');
    const force = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, 25_000).unref();
    try {
      await app.close();
      await store.close();
    } catch (err) {
      log.error({ err }, 'error while shutting down');
      code = 1;
    }
    clearTimeout(force);
    log.info('stopped');
    process.exit(code);
  })();
  return closing;
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
// A bug in one event must not take the bot down for everyone: log it and carry on.
process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));

try {
  await app.listen({ host: config.host, port: config.port });
} catch (err) {
  stop(`cannot listen on ${config.host}:${config.port}: ${(err as Error).message}`);
}
log.info(
  {
    host: config.host,
    port: config.port,
    line: config.line ? 'live' : 'off (local mode: webhook answers 503)',
  },
  'sagicheck server started',
);

const started = performance.now();
loadDetector().then(
  (d) => {
    detectorLoaded.resolve(d);
    log.info({ ms: Math.round(performance.now() - started) }, 'detector ready');
  },
  (err: unknown) => {
    detectorLoaded.reject(err);
    log.fatal({ err }, 'detector failed to load');
    void shutdown('detector', 1);
  },
);
