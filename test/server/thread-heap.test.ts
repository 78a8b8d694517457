// startWorker (src/server/thread-heap.ts): under the process's --max-semi-space-size, as `npm start` runs,
// a worker that asks for a young generation gets it, and workers that ask nothing, started afterwards,
// still get the process's setting. Each worker fills its young generation with objects that stay alive
// for a while (as events in flight do), so V8 grows its new space to the most it allows, and reports it.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const THREAD_HEAP = new URL('../../src/server/thread-heap.ts', import.meta.url).href;

const GROW = `
const { parentPort } = process.getBuiltinModule('node:worker_threads');
const v8 = process.getBuiltinModule('node:v8');
let keep = [];
for (let i = 0; i < 2e6; i++) { keep.push({ a: i, b: 'x' + i }); if (keep.length > 20000) keep = []; }
const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
parentPort.postMessage(space.space_size / 2 ** 20);
`;

const MAIN = `
import { startWorker } from ${JSON.stringify(THREAD_HEAP)};
import { Worker } from 'node:worker_threads';
const newSpaceMb = (w) => new Promise((resolve, reject) => w.once('message', resolve).once('error', reject));
const asked = await newSpaceMb(startWorker(${JSON.stringify(GROW)}, { eval: true, resourceLimits: { maxYoungGenerationSizeMb: 48, maxOldGenerationSizeMb: 256 } }));
const plain = await newSpaceMb(new Worker(${JSON.stringify(GROW)}, { eval: true }));
console.log(JSON.stringify({ asked, plain }));
`;

describe('startWorker', () => {
  it("gives a worker the young generation it asks for under --max-semi-space-size, and later workers the process's", () => {
    const run = spawnSync(process.execPath, ['--max-semi-space-size=4', '--input-type=module', '-e', MAIN], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
    const { asked, plain } = JSON.parse(run.stdout) as { asked: number; plain: number };
    // New space = two semi-spaces: 48 MB of young generation is 16 MB semi-spaces; the flag's 4 MB gives 8 MB.
    expect(asked).toBe(32);
    expect(plain).toBe(8);
  });
});
