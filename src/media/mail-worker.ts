// A worker thread reading one mail file (mail-file.ts readMailFile starts it, with the bytes as its
// workerData, and terminates it at the time limit). Posts the reading, or the problem, back once.
import { parentPort, workerData } from 'node:worker_threads';
import { MailError, parseMailHere, type WorkerAnswer } from './mail-file.ts';

const data = workerData as Uint8Array;
const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
parseMailHere(bytes).then(
  (reading) => parentPort!.postMessage({ reading } satisfies WorkerAnswer),
  (err: unknown) =>
    parentPort!.postMessage({
      error: err instanceof Error ? err.message : String(err),
      kind: err instanceof MailError ? err.kind : 'unreadable',
    } satisfies WorkerAnswer),
);
