// One analysis thread of pool.ts: loads the rules and the dictionary, then answers each job with a
// verdict. Verdicts are plain data, so they cross to the server's thread as they are.
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { loadDetector } from './load.ts';
import type { AnalyzeExtra } from './index.ts';

export interface Job {
  id: number;
  text: string;
  extra?: AnalyzeExtra;
}

// Below the server's own thread in the CPU scheduler, so that when the cores are busy the thread that
// acknowledges webhooks runs first and analyses use the time left. Linux keeps a nice value per
// thread; elsewhere it would apply to the whole process, so it is left alone there.
if (process.platform === 'linux') setPriority(10);

const port = parentPort!;
const detector = await loadDetector((workerData as { rulesDir?: string }).rulesDir);
port.on('message', (job: Job) => {
  try {
    port.postMessage({ id: job.id, verdict: detector.analyze(job.text, job.extra) });
  } catch (err) {
    port.postMessage({ id: job.id, error: err instanceof Error ? err.message : String(err) });
  }
});
port.postMessage({ ready: true });
