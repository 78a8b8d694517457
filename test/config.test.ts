// Server settings (contract §3): defaults, and one clear line naming the variable for a bad value.
import { describe, expect, it } from 'vitest';
import { availableParallelism } from 'node:os';
import { ConfigError, defaultEventThreads, loadConfig } from '../src/config.ts';

describe('loadConfig', () => {
  it('has the contract defaults and local mode without credentials', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: '0.0.0.0',
      line: null,
      lineApiBaseUrl: 'https://api.line.me',
      lineDataApiBaseUrl: 'https://api-data.line.me',
      storeUrl: 'sqlite:./data/sagicheck.db',
      logLevel: 'info',
      rateLimits: { user: { max: 20, windowMs: 600_000 }, group: { max: 100, windowMs: 600_000 } },
      metrics: { token: null, port: null, host: '0.0.0.0' },
      simulator: true,
      simulatorHosts: [],
      eventThreads: defaultEventThreads(availableParallelism()),
    });
    expect(loadConfig({ LINE_CHANNEL_SECRET: ' ', LINE_CHANNEL_ACCESS_TOKEN: '' }).line).toBeNull();
  });

  it('serves the simulator page without credentials, never by default with them or in production', () => {
    const line = { LINE_CHANNEL_SECRET: 's', LINE_CHANNEL_ACCESS_TOKEN: 't' };
    expect(loadConfig({}).simulator).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development' }).simulator).toBe(true);
    expect(loadConfig(line).simulator).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production' }).simulator).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', SIMULATOR: '1' }).simulator).toBe(true);
    expect(loadConfig({ ...line, SIMULATOR: '1' }).simulator).toBe(true);
    expect(loadConfig({ SIMULATOR: '0' }).simulator).toBe(false);
    expect(loadConfig({ SIMULATOR: ' ' }).simulator).toBe(true);
    // Any spelling of production, and any environment that is not plainly local, keeps it off.
    for (const NODE_ENV of ['Production', ' PRODUCTION ', 'prod', 'staging'])
      expect(loadConfig({ NODE_ENV }).simulator).toBe(false);
    expect(loadConfig({ NODE_ENV: 'Test' }).simulator).toBe(true);
  });

  it('reads SIMULATOR_HOSTS as a list of host names', () => {
    expect(loadConfig({}).simulatorHosts).toEqual([]);
    expect(loadConfig({ SIMULATOR_HOSTS: ' MyPC.local, 192.168.1.20 ,[fd00::1]' }).simulatorHosts).toEqual([
      'mypc.local',
      '192.168.1.20',
      '[fd00::1]',
    ]);
    expect(() => loadConfig({ SIMULATOR_HOSTS: 'http://mypc.local' })).toThrow(/^SIMULATOR_HOSTS: must be/);
  });

  it('answers events in EVENT_THREADS threads, or in the server thread with 0', () => {
    expect(loadConfig({ EVENT_THREADS: '2' }).eventThreads).toBe(2);
    // Unset: one per core (spares beyond the first start only while events wait).
    expect([1, 2, 4, 64].map(defaultEventThreads)).toEqual([1, 2, 4, 16]);
    expect(loadConfig({ STORE_URL: 'memory:' }).eventThreads).toBe(1);
    expect(loadConfig({ EVENT_THREADS: '0' }).eventThreads).toBe(0);
    expect(loadConfig({ EVENT_THREADS: '1', STORE_URL: 'memory:' }).eventThreads).toBe(1);
  });

  it('turns the webhook on when both credentials are set', () => {
    const c = loadConfig({ LINE_CHANNEL_SECRET: 's', LINE_CHANNEL_ACCESS_TOKEN: 't', PORT: '8080' });
    expect(c.line).toEqual({ channelSecret: 's', channelAccessToken: 't' });
    expect(c.port).toBe(8080);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ HOST: '' }, 'HOST'],
    [{ LINE_API_BASE_URL: 'api.line.me' }, 'LINE_API_BASE_URL'],
    [{ LINE_DATA_API_BASE_URL: 'ftp://x' }, 'LINE_DATA_API_BASE_URL'],
    [{ STORE_URL: 'mysql://x' }, 'STORE_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ RATE_LIMIT_USER: '20' }, 'RATE_LIMIT_USER'],
    [{ RATE_LIMIT_USER: '0/10m' }, 'RATE_LIMIT_USER'],
    [{ RATE_LIMIT_GROUP: '5/10d' }, 'RATE_LIMIT_GROUP'],
    [{ METRICS_TOKEN: 'short' }, 'METRICS_TOKEN'],
    [{ METRICS_PORT: '0' }, 'METRICS_PORT'],
    [{ METRICS_PORT: '3000' }, 'METRICS_PORT'],
    [{ SIMULATOR: 'true' }, 'SIMULATOR'],
    [{ SIMULATOR: 'yes' }, 'SIMULATOR'],
    [{ EVENT_THREADS: 'two' }, 'EVENT_THREADS'],
    [{ EVENT_THREADS: '17' }, 'EVENT_THREADS'],
    [{ EVENT_THREADS: '-1' }, 'EVENT_THREADS'],
    [{ EVENT_THREADS: '2', STORE_URL: 'memory:' }, 'EVENT_THREADS'],
    [{ LINE_CHANNEL_SECRET: 's' }, 'LINE_CHANNEL_ACCESS_TOKEN'],
    [{ LINE_CHANNEL_ACCESS_TOKEN: 't' }, 'LINE_CHANNEL_SECRET'],
  ])('%o is refused, naming %s', (env, variable) => {
    let err: unknown;
    try {
      loadConfig(env);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).variable).toBe(variable);
    expect((err as Error).message.startsWith(`${variable}: `)).toBe(true);
    expect((err as Error).message).not.toContain('\n');
  });

  it('never echoes a password from a URL', () => {
    expect(() => loadConfig({ STORE_URL: 'mysql://user:hunter2@db' })).toThrow(/^STORE_URL: .*\/\/\*\*\*@db/);
    expect(() => loadConfig({ STORE_URL: 'mysql://user:hunter2@db' })).not.toThrow(/hunter2/);
    expect(loadConfig({ STORE_URL: 'redis://localhost:6379/1' }).storeUrl).toBe('redis://localhost:6379/1');
  });

  it('reads rate limits as COUNT/WINDOW or off, and the metrics settings', () => {
    const c = loadConfig({
      RATE_LIMIT_USER: ' 5 / 30s ',
      RATE_LIMIT_GROUP: 'off',
      METRICS_TOKEN: 'abcdefghijklmnop1234',
      METRICS_PORT: '9091',
    });
    expect(c.rateLimits).toEqual({ user: { max: 5, windowMs: 30_000 }, group: null });
    expect(c.metrics).toEqual({ token: 'abcdefghijklmnop1234', port: 9091, host: '0.0.0.0' });
    expect(loadConfig({ HOST: '::', METRICS_HOST: 'fly-local-6pn' }).metrics.host).toBe('fly-local-6pn');
    expect(loadConfig({ HOST: '127.0.0.1' }).metrics.host).toBe('127.0.0.1');
    expect(loadConfig({ RATE_LIMIT_GROUP: '300/1h' }).rateLimits.group).toEqual({
      max: 300,
      windowMs: 3_600_000,
    });
  });

  it('never echoes a metrics token', () => {
    expect(() => loadConfig({ METRICS_TOKEN: 'hunter2 hunter2 hunter2' })).toThrow(/METRICS_TOKEN: .*\*\*\*/);
    expect(() => loadConfig({ METRICS_TOKEN: 'hunter2 hunter2 hunter2' })).not.toThrow(/hunter2/);
  });
});
