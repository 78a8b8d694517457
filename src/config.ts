// Server settings from the environment (../shared/CONTRACT.md §3). A bad value stops start-up with one
// line that names the variable, so an operator sees at once what to fix.
import { availableParallelism } from 'node:os';
import { z } from 'zod';

export interface LineCredentials {
  channelSecret: string;
  channelAccessToken: string;
}

export interface Config {
  port: number;
  host: string;
  /** null: local mode, the webhook answers 503. */
  line: LineCredentials | null;
  lineApiBaseUrl: string;
  lineDataApiBaseUrl: string;
  storeUrl: string;
  logLevel: LogLevel;
  /** Checks per chat and window; null: no limit. */
  rateLimits: { user: RateLimit | null; group: RateLimit | null };
  metrics: {
    /** Bearer token for GET /metrics on the main port; null: only loopback callers may read it. */
    token: string | null;
    /** A second listener serving only /metrics, without a token (fly.io's scraper); null: none. */
    port: number | null;
    /** Where that listener binds (METRICS_HOST, default HOST): it has no token, so keep it private. */
    host: string;
  };
  /**
   * The local simulator page (GET /, src/simulator/): SIMULATOR=1 on, SIMULATOR=0 off; unset, on only
   * without LINE credentials and with NODE_ENV unset, development or test (any other needs SIMULATOR=1).
   */
  simulator: boolean;
  /**
   * Host names the simulator page answers to besides localhost, 127.0.0.1 and [::1] (SIMULATOR_HOSTS):
   * a page that answers any Host can be reached from a web site through DNS rebinding.
   */
  simulatorHosts: string[];
  /** Threads that answer accepted events (src/server/event-threads.ts); 0: the server's own thread. */
  eventThreads: number;
}

export interface RateLimit {
  max: number;
  windowMs: number;
}

export const DEFAULT_RATE_LIMITS = { user: '20/10m', group: '100/10m' } as const;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export class ConfigError extends Error {
  readonly variable: string;
  constructor(variable: string, problem: string) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}

const httpUrl = (name: string) =>
  z.string().refine((s) => /^https?:$/.test(URL.parse(s)?.protocol ?? ''), `${name} must be an http(s) URL`);

/** An empty variable counts as unset (a blank line in a .env file must not switch modes). */
const optional = z
  .string()
  .optional()
  .transform((s) => (s === undefined || s.trim() === '' ? undefined : s.trim()));

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000 } as const;

/** "20/10m": at most 20 checks per 10 minutes (units s, m, h); "off": no limit. */
const rateLimit = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((s, ctx): RateLimit | null => {
      const v = s.trim().toLowerCase();
      if (v === 'off') return null;
      const m = /^(\d{1,6})\s*\/\s*(\d{1,5})\s*([smh])$/.exec(v);
      const max = Number(m?.[1]);
      const windowMs = Number(m?.[2]) * UNIT_MS[(m?.[3] ?? 's') as keyof typeof UNIT_MS];
      if (!m || max < 1 || windowMs < 1000) {
        ctx.addIssue({ code: 'custom', message: 'must be COUNT/WINDOW like 20/10m (s, m or h), or off' });
        return z.NEVER;
      }
      return { max, windowMs };
    });

const Env = z.object({
  PORT: z
    .string()
    .default('3000')
    .refine((s) => /^\d{1,5}$/.test(s) && Number(s) <= 65535, 'must be a port number from 0 to 65535')
    .transform(Number),
  HOST: z.string().trim().min(1, 'must not be empty').default('0.0.0.0'),
  LINE_CHANNEL_SECRET: optional,
  LINE_CHANNEL_ACCESS_TOKEN: optional,
  LINE_API_BASE_URL: httpUrl('LINE_API_BASE_URL').default('https://api.line.me'),
  LINE_DATA_API_BASE_URL: httpUrl('LINE_DATA_API_BASE_URL').default('https://api-data.line.me'),
  STORE_URL: z
    .string()
    .default('sqlite:./data/sagicheck.db')
    .refine(
      (s) => s === 'memory:' || /^sqlite:.+/.test(s) || /^rediss?:\/\/[^/]+/.test(s),
      'must be sqlite:PATH, memory: or redis://HOST:PORT[/DB]',
    ),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  RATE_LIMIT_USER: rateLimit(DEFAULT_RATE_LIMITS.user),
  RATE_LIMIT_GROUP: rateLimit(DEFAULT_RATE_LIMITS.group),
  METRICS_TOKEN: optional.refine(
    (s) => s === undefined || /^[\x21-\x7e]{16,}$/.test(s),
    'must be at least 16 printable characters without spaces',
  ),
  METRICS_PORT: optional.refine(
    (s) => s === undefined || (/^\d{1,5}$/.test(s) && Number(s) >= 1 && Number(s) <= 65535),
    'must be a port number from 1 to 65535',
  ),
  METRICS_HOST: optional,
  SIMULATOR: optional.refine(
    (s) => s === undefined || s === '0' || s === '1',
    'must be 1 (serve the simulator page at GET /) or 0 (never serve it)',
  ),
  SIMULATOR_HOSTS: optional.transform((s, ctx) => {
    const hosts = (s ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean);
    for (const h of hosts)
      if (!/^(?:[a-z0-9-]{1,63}\.)*[a-z0-9-]{1,63}$/.test(h) && !/^\[[0-9a-f:.]{2,45}\]$/.test(h)) {
        ctx.addIssue({
          code: 'custom',
          message: 'must be host names or addresses separated by commas, e.g. 192.168.1.20,mypc.local',
        });
        return z.NEVER;
      }
    return hosts;
  }),
  // Unset: one thread per core (the ones beyond the first start only while events wait: event-threads.ts).
  EVENT_THREADS: z
    .string()
    .optional()
    .refine(
      (s) => s === undefined || (/^\d{1,2}$/.test(s.trim()) && Number(s) <= 16),
      'must be a whole number from 0 to 16',
    )
    .transform((s) => (s === undefined ? undefined : Number(s))),
  NODE_ENV: optional,
});

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    // A URL may carry a password (redis://:secret@host): never echo it.
    const got = variable === 'METRICS_TOKEN' ? '***' : env[variable]?.replace(/\/\/[^/@]*@/, '//***@');
    throw new ConfigError(variable, `${issue.message}${got === undefined ? '' : ` (got "${got}")`}`);
  }
  const e = parsed.data;
  const secret = e.LINE_CHANNEL_SECRET;
  const token = e.LINE_CHANNEL_ACCESS_TOKEN;
  // Half a set of credentials is a deployment mistake, not local mode: say which one is missing.
  if (secret && !token)
    throw new ConfigError('LINE_CHANNEL_ACCESS_TOKEN', 'must be set together with LINE_CHANNEL_SECRET');
  if (token && !secret)
    throw new ConfigError('LINE_CHANNEL_SECRET', 'must be set together with LINE_CHANNEL_ACCESS_TOKEN');
  // Each thread would have its own memory: two of them could answer one event twice.
  const eventThreads =
    e.EVENT_THREADS ?? (e.STORE_URL === 'memory:' ? 1 : defaultEventThreads(availableParallelism()));
  if (eventThreads > 1 && e.STORE_URL === 'memory:')
    throw new ConfigError('EVENT_THREADS', 'above 1 needs a shared store (STORE_URL=sqlite:… or redis://…)');
  if (e.METRICS_PORT !== undefined && Number(e.METRICS_PORT) === e.PORT)
    throw new ConfigError('METRICS_PORT', `must differ from PORT (${e.PORT})`);
  return {
    port: e.PORT,
    host: e.HOST,
    line: secret && token ? { channelSecret: secret, channelAccessToken: token } : null,
    lineApiBaseUrl: e.LINE_API_BASE_URL,
    lineDataApiBaseUrl: e.LINE_DATA_API_BASE_URL,
    storeUrl: e.STORE_URL,
    logLevel: e.LOG_LEVEL,
    rateLimits: { user: e.RATE_LIMIT_USER, group: e.RATE_LIMIT_GROUP },
    metrics: {
      token: e.METRICS_TOKEN ?? null,
      port: e.METRICS_PORT === undefined ? null : Number(e.METRICS_PORT),
      host: e.METRICS_HOST ?? e.HOST,
    },
    // The page needs no login: unless asked for by name, it is on only without credentials and only when
    // NODE_ENV says development or test or nothing at all (Production, prod, staging … all mean off).
    simulator:
      e.SIMULATOR === undefined
        ? !(secret && token) && ['', 'development', 'test'].includes((e.NODE_ENV ?? '').toLowerCase())
        : e.SIMULATOR === '1',
    simulatorHosts: e.SIMULATOR_HOSTS,
    eventThreads,
  };
}

/**
 * EVENT_THREADS when unset: one per core. The thread that acknowledges webhooks needs little CPU
 * (~0.15 ms per event) and runs ahead of the event threads, whose nice value is higher
 * (event-worker.ts), so it needs no core of its own (BENCHMARKS.md, load).
 */
export function defaultEventThreads(cores: number): number {
  return Math.max(1, Math.min(16, cores));
}
