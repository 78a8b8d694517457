// Server settings from the environment (../shared/CONTRACT.md §3). A bad value stops start-up with one
// line that names the variable, so an operator sees at once what to fix.
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
}

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
});

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    // A URL may carry a password (redis://:secret@host): never echo it.
    const got = env[variable]?.replace(/\/\/[^/@]*@/, '//***@');
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
  return {
    port: e.PORT,
    host: e.HOST,
    line: secret && token ? { channelSecret: secret, channelAccessToken: token } : null,
    lineApiBaseUrl: e.LINE_API_BASE_URL,
    lineDataApiBaseUrl: e.LINE_DATA_API_BASE_URL,
    storeUrl: e.STORE_URL,
    logLevel: e.LOG_LEVEL,
  };
}
