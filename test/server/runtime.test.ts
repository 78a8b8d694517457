// The three ways of running, decided in one place (src/server/runtime.ts): event threads, events answered
// in the server's thread, or none answered; the simulator page always handles its events here.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { modeOf } from '../../src/server/runtime.ts';

const LINE = { LINE_CHANNEL_SECRET: 's'.repeat(32), LINE_CHANNEL_ACCESS_TOKEN: 't'.repeat(40) };
const mode = (env: Record<string, string>) => modeOf(loadConfig({ NODE_ENV: 'production', ...env }));

describe('modeOf', () => {
  it('answers in event threads with LINE credentials, EVENT_THREADS ≥ 1 and a shared store', () => {
    expect(mode({ ...LINE, EVENT_THREADS: '2', STORE_URL: 'sqlite:/tmp/x.db' })).toEqual({
      threads: 2,
      answersHere: false,
      handlesHere: false,
    });
  });

  it('answers in the server thread with EVENT_THREADS=0, or a memory: store no thread can share', () => {
    const here = { threads: 0, answersHere: true, handlesHere: true };
    expect(mode({ ...LINE, EVENT_THREADS: '0', STORE_URL: 'sqlite:/tmp/x.db' })).toEqual(here);
    expect(mode({ ...LINE, EVENT_THREADS: '1', STORE_URL: 'memory:' })).toEqual(here);
  });

  it('answers no LINE event without credentials, and holds the handler here for the simulator page', () => {
    expect(mode({ EVENT_THREADS: '2', STORE_URL: 'sqlite:/tmp/x.db' })).toMatchObject({
      threads: 0,
      answersHere: false,
    });
    expect(mode({ ...LINE, EVENT_THREADS: '2', STORE_URL: 'sqlite:/tmp/x.db', SIMULATOR: '1' })).toEqual({
      threads: 2,
      answersHere: false,
      handlesHere: true,
    });
  });
});
