// The layer order of src/ and webhooks/ (README, "Layers"): a module imports only from its own layer or
// the ones below it. Every relative import is read (type-only, re-exports and dynamic imports too), and
// each arrow that climbs is named with the file, the import and both layers.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** Lowest first. A path belongs to the first layer with a prefix it starts with. */
export const LAYERS: { name: string; paths: string[] }[] = [
  { name: 'base', paths: ['src/config.ts', 'src/log/'] },
  { name: 'rules', paths: ['src/rules/'] },
  { name: 'detector', paths: ['src/detector/'] },
  { name: 'words', paths: ['src/words.ts'] },
  { name: 'store', paths: ['src/store/'] },
  { name: 'media', paths: ['src/media/'] },
  { name: 'line', paths: ['src/line/'] },
  { name: 'richmenu', paths: ['src/richmenu/'] },
  { name: 'features', paths: ['src/report/', 'src/guide/'] },
  { name: 'conversation', paths: ['src/conversation/'] },
  { name: 'simulator', paths: ['src/simulator/'] },
  { name: 'webhooks', paths: ['webhooks/'] },
  { name: 'entry', paths: ['src/server/', 'src/cli/'] },
];

export function layerOf(path: string): number {
  return LAYERS.findIndex((l) => l.paths.some((p) => path === p || (p.endsWith('/') && path.startsWith(p))));
}

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.ts$/.test(f) && !f.endsWith('.d.ts'))
    .map((f) => join(dir, f).replaceAll('\\', '/'));
}

/** Relative imports of one file, as paths from the repository's root. */
function importsOf(file: string): { spec: string; target: string }[] {
  const info = ts.preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true);
  return info.importedFiles
    .map((f) => f.fileName)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => ({
      spec,
      target: relative(ROOT, resolve(ROOT, dirname(file), spec)).replaceAll('\\', '/'),
    }));
}

/** Every import that climbs from a lower layer to a higher one, in words. */
export function upwardImports(files: string[], read = importsOf): string[] {
  const found: string[] = [];
  for (const file of files) {
    const from = layerOf(file);
    for (const { spec, target } of read(file)) {
      const to = layerOf(target);
      if (to > from) found.push(`${file} (${LAYERS[from]!.name}) imports '${spec}' (${LAYERS[to]!.name})`);
    }
  }
  return found;
}

const FILES = [...sources('src'), ...sources('webhooks')];

describe('layers', () => {
  it('places every module of src/ and webhooks/ in a layer', () => {
    expect(FILES.length).toBeGreaterThan(50);
    expect(FILES.filter((f) => layerOf(f) < 0)).toEqual([]);
  });

  it('has no import that climbs to a higher layer', () => {
    expect(upwardImports(FILES)).toEqual([]);
  });

  it('names an upward import it is shown', () => {
    const fake = () => [{ spec: '../server/metrics.ts', target: 'src/server/metrics.ts' }];
    expect(upwardImports(['src/conversation/process.ts'], fake)).toEqual([
      "src/conversation/process.ts (conversation) imports '../server/metrics.ts' (entry)",
    ]);
    expect(upwardImports(['src/server/app.ts'], fake)).toEqual([]);
  });
});
