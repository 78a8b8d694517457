// Where tests live: test/ mirrors src/ (a module's tests in the folder named after its src/ folder), plus a few
// folders for what is not one module. Tests may import scripts/ (they test the scripts, and the stand-ins and
// fixture generators live there, shared with the benchmarks); scripts/ never import test/.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Test folders that are not a src/ folder, and why. */
const NOT_SRC: Record<string, string> = {
  architecture: 'checks over the whole tree',
  hostile: 'hostile input across every entry point',
  launch: 'the repository as an operator uses it (npm start, deploy docs, check-line)',
  scripts: 'the scripts in scripts/',
  setup: 'vitest set-up files',
  support: 'helpers shared by the tests',
  webhooks: 'the HTTP entry points in webhooks/',
};

/** Folders, without hidden ones (test/.artifacts holds generated pictures, ignored by git). */
const dirs = (path: string) =>
  readdirSync(path, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
    .map((d) => d.name);

function filesUnder(path: string): string[] {
  return readdirSync(path, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile() && /\.(ts|cjs|mjs)$/.test(d.name))
    .map((d) => join(d.parentPath, d.name));
}

/** Relative module paths a file names: imports, dynamic imports and `new URL(…, import.meta.url)`. */
function relativeSpecifiers(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(/(?:from|import\(|new URL\()\s*['"`](\.{1,2}\/[^'"`$]*)/g)) out.push(m[1]!);
  return out;
}

describe('the layout of test/', () => {
  it('names each test folder after a src/ folder, or says why not', () => {
    const src = new Set(dirs(join(ROOT, 'src')));
    const odd = dirs(join(ROOT, 'test')).filter((d) => !src.has(d) && !(d in NOT_SRC));
    expect(odd, 'test folders with no src/ folder of that name').toEqual([]);
  });

  it('keeps scripts/ free of imports from test/', () => {
    const test = join(ROOT, 'test');
    const climbing: string[] = [];
    for (const file of filesUnder(join(ROOT, 'scripts')))
      for (const spec of relativeSpecifiers(readFileSync(file, 'utf8')))
        if (!relative(test, resolve(dirname(file), spec)).startsWith('..'))
          climbing.push(`${relative(ROOT, file)} → ${spec}`);
    expect(climbing).toEqual([]);
  });
});
