#!/usr/bin/env node
// Entry point of `npx sagicheck`. The CLI is TypeScript run by Node 24's type stripping; when the `node`
// on PATH is older, re-run this command with the Node 24 that package.json pins (the `node` devDependency).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
if (Number(process.versions.node.split('.')[0]) >= 24) {
  await import(cli);
} else {
  let pinned;
  try {
    pinned = join(dirname(createRequire(import.meta.url).resolve('node/package.json')), 'bin', 'node');
  } catch {
    console.error('sagicheck needs Node.js 24 or later. Run `npm install` in the project first.');
    process.exit(1);
  }
  const run = spawnSync(pinned, [cli, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(run.status ?? 1);
}
