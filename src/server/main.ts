// `npm start`: configuration, store and detector, then the server on HOST:PORT. It listens at once
// (/healthz is up, /readyz says 503) while the dictionary loads, so a cold start answers LINE's first
// webhook within its 2 s; early events wait for the detector. SIGTERM/SIGINT: stop taking requests,
// answer acknowledged events for up to 20 s (the rest stays in the store's backlog), close the store.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { hostname } from 'node:os';
import { loadConfig, ConfigError } from '../config.ts';
import { createLogger } from '../log/logger.ts';
import { openStore } from '../store/open.ts';
import type { Copy } from '../words.ts';
import { loadCopy } from '../rules/replies.ts';
import { loadGuideRules } from '../rules/guide.ts';
import { loadReportRules } from '../rules/report.ts';
import { loadRichMenu } from '../richmenu/definition.ts';
import type { Store } from '../store/store.ts';
import { buildApp, DEFAULT_DRAIN_MS } from './app.ts';
import { modeOf, startRuntime } from './runtime.ts';

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
  loadGuideRules(); // the step-by-step guide's files: a broken one stops start-up here
  loadReportRules(); // 「報告する」 and the rich menu likewise (src/report/hook.ts reads them again)
  loadRichMenu();
  // With event threads, this thread's SQLite connection only writes webhooks to the backlog: the
  // threads' connections run the WAL checkpoints, which would hold a 200 (sqlite.ts).
  store = openStore(config.storeUrl, log, { checkpoints: modeOf(config).threads === 0 });
} catch (err) {
  stop((err as Error).message);
}

// Leases of events a previous run was answering when it was killed are given back, so they are answered
// now rather than once the lease runs out (consumer.ts): all of them with the embedded store, which
// belongs to this one machine; with Redis, those of this Fly Machine's earlier run (Fly runs one server
// process per Machine and names it in FLY_MACHINE_ID). Elsewhere, Redis leases run out (30 s).
const machine = process.env.FLY_MACHINE_ID?.trim() || null;
const ownerPrefix = `${machine ?? hostname()}/${randomUUID().slice(0, 8)}/`;
try {
  if (config.storeUrl.startsWith('sqlite:')) await store.backlog.release();
  else if (machine) await store.backlog.release(`${machine}/`);
  const { count } = await store.backlog.stats();
  if (count) log.warn({ events: count }, 'answering events acknowledged before the last stop');
} catch (err) {
  // Redis not reachable yet: the leases run out instead, and /readyz says 503 meanwhile.
  log.warn({ err }, 'event backlog: could not look for events of the last run');
}

// Event threads or not, decided in runtime.ts. The detector is loaded once the server listens (below):
// the load keeps the CPU busy. OCR workers start with the first picture (~250 MB a slot), not at start.
const runtime = await startRuntime(config, { store, logger: log, copy }, { ownerPrefix });
const app = await buildApp(config, runtime);

// METRICS_PORT: /metrics alone on a second port, without a token, for fly.io's Prometheus scraper. Fly
// routes only the service port (PORT) from the internet; this one is reachable on the private network.
// Elsewhere, METRICS_HOST binds it to a private address (docs/deploy.md, "Metrics").
const metricsServer =
  config.metrics.port === null
    ? null
    : createServer((req, res) => {
        if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
          res.writeHead(404).end();
          return;
        }
        runtime.metricsText().then(
          (body) => res.writeHead(200, { 'content-type': runtime.metrics.registry.contentType }).end(body),
          (err: unknown) => {
            log.error({ err }, 'metrics failed');
            res.writeHead(500).end();
          },
        );
      });

let closing: Promise<void> | null = null;
function shutdown(signal: string, code = 0): Promise<void> {
  closing ??= (async () => {
    log.info({ signal }, 'shutting down: answering acknowledged events');
    // Within fly's kill_timeout (30 s): answer for DEFAULT_DRAIN_MS, then close; what is left stays
    // in the backlog for the next start.
    const force = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, DEFAULT_DRAIN_MS + 6_000).unref();
    try {
      metricsServer?.close();
      await app.close(); // answers for DEFAULT_DRAIN_MS, then stops the event threads
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
// `npm start` runs this under `sh -c`, which does not pass on the SIGTERM npm forwards (it dies of it,
// or npm exits first and the shell stays). Started by npm, stop as if the signal had come once the
// shell or npm above it has gone.
if (process.env.npm_lifecycle_event) {
  const parent = process.ppid;
  const npm = parentOf(parent);
  setInterval(() => {
    if (process.ppid !== parent || (npm !== null && !alive(npm))) void shutdown('npm exited');
  }, 500).unref();
}

/** The parent of a process, from /proc (Linux); null elsewhere. */
function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (name) state ppid …": the name may hold spaces and brackets, so read after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return Number.isInteger(ppid) && ppid > 1 ? ppid : null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
// A bug in one event must not take the bot down for everyone: log it and carry on.
process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));

try {
  // Fastify logs one "Server listening at" per interface (twice on 0.0.0.0), with the address masked
  // by our logger: its own lines are quieted for the listen; ours below says where to connect.
  const level = app.log.level;
  app.log.level = 'warn';
  await app.listen({ host: config.host, port: config.port }).finally(() => (app.log.level = level));
} catch (err) {
  stop(`cannot listen on ${config.host}:${config.port}: ${(err as Error).message}`);
}
if (metricsServer) {
  const port = config.metrics.port!;
  await new Promise<void>((resolve) => {
    const host = config.metrics.host;
    metricsServer.once('error', (err) => stop(`cannot listen on ${host}:${port}: ${err.message}`));
    metricsServer.listen(port, host, resolve);
  });
}
log.info(
  {
    host: config.host,
    port: config.port,
    line: config.line ? 'live' : 'off (local mode: webhook answers 503)',
    store: config.storeUrl.split(':')[0],
    metricsPort: config.metrics.port ?? undefined,
    simulator: config.simulator ? 'on (GET /)' : 'off',
  },
  'sagicheck server started',
);
// The one "listening" line, with the address to open (the logger would mask it as a link).
{
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${host}:${config.port}/`;
  process.stderr.write(
    config.simulator
      ? `sagicheck: listening on ${url} — try the bot in your browser there\n`
      : `sagicheck: listening on ${url}\n`,
  );
}
if (!config.line && !config.simulator)
  log.warn(
    'no LINE credentials, and the simulator page is off (NODE_ENV=production or SIMULATOR=0): the ' +
      'webhook answers 503 and GET / 404; set the LINE credentials, or SIMULATOR=1 for the page',
  );

const started = performance.now();
runtime.load().then(
  () =>
    log.info(
      { ms: Math.round(performance.now() - started), eventThreads: runtime.mode.threads },
      'detector ready',
    ),
  (err: unknown) => {
    log.fatal({ err }, 'detector failed to load');
    void shutdown('detector', 1);
  },
);
