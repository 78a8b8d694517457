// Server settings (contract §3): defaults, and one clear line naming the variable for a bad value.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

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
    });
    expect(loadConfig({ LINE_CHANNEL_SECRET: ' ', LINE_CHANNEL_ACCESS_TOKEN: '' }).line).toBeNull();
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
});
