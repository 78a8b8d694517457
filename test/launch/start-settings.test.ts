// The memory settings the server starts with (docs/deploy.md, "Memory") are the same whether it starts
// with `npm start` or in the Docker image fly.io runs: MALLOC_ARENA_MAX (glibc's malloc arenas, read
// only when the process starts) and Node's flags before src/server/main.ts. The load bench reads them
// from package.json (scripts/bench/load.ts), so its memory figures are those of both.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');

function npmStart(): { env: Record<string, string>; flags: string[] } {
  const start = (JSON.parse(read('package.json')) as { scripts: { start: string } }).scripts.start;
  const words = start.trim().split(/\s+/);
  const node = words.indexOf('node');
  expect(words.at(-1)).toBe('src/server/main.ts');
  return {
    env: Object.fromEntries(words.slice(0, node).map((w) => w.split('=') as [string, string])),
    flags: words.slice(node + 1, -1),
  };
}

function docker(): { env: Record<string, string>; flags: string[] } {
  const text = read('Dockerfile');
  // ENV NAME=value \ NAME=value … (one instruction over continued lines)
  const envBlock = /^ENV ((?:.*\\\n)*.*)$/m.exec(text)![1]!;
  const env = Object.fromEntries(
    envBlock
      .split(/\s*\\\n\s*|\s+/)
      .filter((w) => w.includes('='))
      .map((w) => w.split('=') as [string, string]),
  );
  const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(text)![1]!) as string[];
  expect(cmd[0]).toBe('node');
  expect(cmd.at(-1)).toBe('src/server/main.ts');
  return { env, flags: cmd.slice(1, -1) };
}

describe('memory settings at start', () => {
  it('npm start and the Docker image give the server the same malloc arenas and Node flags', () => {
    const start = npmStart();
    const image = docker();
    expect(start.env.MALLOC_ARENA_MAX).toBe('2');
    expect(image.env.MALLOC_ARENA_MAX).toBe(start.env.MALLOC_ARENA_MAX);
    expect(start.flags).toContain('--max-semi-space-size=4');
    expect(image.flags).toEqual(start.flags);
  });
});
