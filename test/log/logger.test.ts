// The server's logger on standard output: lines are gathered and written in pieces, and none is lost
// when the process ends, whether by process.exit, by running out of work, or by an uncaught error.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const LOGGER = new URL('../../src/log/logger.ts', import.meta.url).pathname;

function run(end: string): string[] {
  const script = `
    const { createLogger } = await import(${JSON.stringify(LOGGER)});
    const log = createLogger('info');
    for (let i = 0; i < 3; i++) log.info({ i }, 'line');
    ${end}`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  return r.stdout.split('\n').filter((l) => l !== '');
}

describe('the logger on standard output', () => {
  it.each([
    ['process.exit', 'process.exit(0);'],
    ['the end of its work', ''],
    ['an uncaught error', "setTimeout(() => { throw new Error('boom'); }, 5);"],
  ])('writes every line before the process ends by %s', (_, end) => {
    const lines = run(end);
    expect(lines.map((l) => (JSON.parse(l) as { i: number; msg: string }).i)).toEqual([0, 1, 2]);
  });

  it('writes a busy stream in pieces and keeps the lines whole and in order', () => {
    const lines = run("for (let i = 3; i < 2000; i++) log.info({ i, pad: 'x'.repeat(i % 97) }, 'line');");
    expect(lines.map((l) => (JSON.parse(l) as { i: number }).i)).toEqual(
      Array.from({ length: 2000 }, (_, i) => i),
    );
  });
});
