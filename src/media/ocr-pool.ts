// The tesseract.js workers: a few slots, each a Japanese worker (the whole screenshot) and an English
// worker (the links again, one line at a time), created once and reused. A global cap on OCR jobs: at
// most `size` run at once, at most `maxQueue` wait, and beyond that run() refuses at once (OcrBusyError)
// so the person hears 「混み合っています」 instead of waiting without end. Each job has a time limit; a
// job past it has its slot's workers terminated (the only way to stop tesseract) and new ones started.
//
// No network, ever: the trained data is read from node_modules (@tesseract.js-data/{jpn,eng},
// 4.0.0_best_int, gzipped) through a local langPath, and cacheMethod 'none' keeps tesseract from
// writing jpn.traineddata into the working directory. test/media/ocr-pool.test.ts proves it with a
// worker whose fetch and sockets throw.
import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { createWorker, OEM, PSM, type Worker, type WorkerOptions } from 'tesseract.js';

export interface OcrWorkers {
  /** Japanese (with the Latin letters jpn knows): the whole picture. */
  jpn: Worker;
  /** English, single line, link characters only: a link's line again. */
  eng: Worker;
}

export interface OcrPoolOptions {
  /** Jobs at once; default: one per core less one for the server, 1 to 4. */
  size?: number;
  /** Jobs waiting at most; default 4 per slot. */
  maxQueue?: number;
  /** One job's time limit, queue wait excluded. */
  jobTimeoutMs?: number;
  /** Tests only: a worker script wrapping tesseract's (e.g. one that blocks the network). */
  workerPath?: string;
}

export interface OcrStats {
  size: number;
  running: number;
  /** Jobs waiting for a slot: the queue length. */
  queued: number;
  maxQueue: number;
  /** Jobs refused because the queue was full, since start. */
  rejected: number;
  /** Jobs stopped at their time limit, since start. */
  timedOut: number;
}

/** What a job may ask of its slot. */
export interface JobControl {
  /**
   * Replace this slot's workers after the job: tesseract's WebAssembly memory grows to fit the largest
   * picture read and never shrinks, so after a large one the memory is given back this way.
   */
  retire(): void;
}

export interface OcrPool {
  /**
   * Runs a job on a free slot's workers; rejects with OcrBusyError or OcrTimeoutError. `before` (e.g.
   * decoding the picture) runs in the slot while its workers start, if they must, and its result is
   * handed to the job: the first picture after start does not wait for both one after the other.
   */
  run<T, P = undefined>(
    job: (w: OcrWorkers, control: JobControl, before: P) => Promise<T>,
    before?: () => Promise<P>,
  ): Promise<T>;
  /** Starts every slot's workers now (otherwise the first job does) and warms them up. */
  warm(): Promise<void>;
  stats(): OcrStats;
  /** Options given to tesseract's createWorker, per language: what the no-network test checks. */
  readonly workerOptions: Record<'jpn' | 'eng', Partial<WorkerOptions>>;
  close(): Promise<void>;
}

export class OcrBusyError extends Error {
  constructor() {
    super('OCR queue is full');
    this.name = 'OcrBusyError';
  }
}

export class OcrTimeoutError extends Error {
  constructor(ms: number) {
    super(`OCR took longer than ${ms} ms`);
    this.name = 'OcrTimeoutError';
  }
}

/** Characters a link can contain: the English pass reads nothing else. */
export const URL_WHITELIST =
  'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~:/?#[]@!$&()*+,;=%';

export const DEFAULT_JOB_TIMEOUT_MS = 15_000;

/** A 240×60 picture of three dark bars: something to recognise while warming up. */
const WARM_UP = (() => {
  const w = 240;
  const h = 60;
  const px = Buffer.alloc(w * h, 255);
  for (let y = 22; y < 38; y++) for (const x0 of [20, 100, 180]) px.fill(0, y * w + x0, y * w + x0 + 40);
  return Buffer.concat([Buffer.from(`P5\n${w} ${h}\n255\n`), px]);
})();

/** The folder holding <lang>.traineddata.gz in the npm package @tesseract.js-data/<lang>. */
export function langDir(lang: 'jpn' | 'eng'): string {
  const pkg = fileURLToPath(import.meta.resolve(`@tesseract.js-data/${lang}/package.json`));
  const dir = pkg.replace(/package\.json$/, '4.0.0_best_int');
  if (!existsSync(`${dir}/${lang}.traineddata.gz`))
    throw new Error(`trained data missing: ${dir}/${lang}.traineddata.gz (npm install)`);
  return dir;
}

export function defaultPoolSize(): number {
  return Math.max(1, Math.min(4, os.availableParallelism() - 1));
}

interface Slot {
  workers: Promise<OcrWorkers> | null;
  busy: boolean;
}

// long: the pool's state (slots, queue, counters) is shared by its methods as closures; each method and
// helper inside is short.
export function createOcrPool(o: OcrPoolOptions = {}): OcrPool {
  const size = o.size ?? defaultPoolSize();
  const maxQueue = o.maxQueue ?? 4 * size;
  const jobTimeoutMs = o.jobTimeoutMs ?? DEFAULT_JOB_TIMEOUT_MS;
  const workerOptions = {
    jpn: options('jpn', o.workerPath),
    eng: options('eng', o.workerPath),
  };
  const slots: Slot[] = Array.from({ length: size }, () => ({ workers: null, busy: false }));
  const waiting: ((slot: Slot) => void)[] = [];
  let rejected = 0;
  let timedOut = 0;
  let closed = false;

  const start = (slot: Slot): Promise<OcrWorkers> => {
    slot.workers ??= startWorkers(workerOptions).catch((err: unknown) => {
      slot.workers = null; // the next job tries again
      throw err;
    });
    return slot.workers;
  };
  const release = (slot: Slot) => {
    const next = waiting.shift();
    if (next) next(slot);
    else slot.busy = false;
  };
  const stop = (slot: Slot) => {
    const old = slot.workers;
    slot.workers = null;
    void old?.then(terminate, () => undefined);
  };
  /** A free slot, or a place in the queue for the next one; refused when the queue is full. */
  const takeSlot = async (): Promise<Slot> => {
    if (closed) throw new Error('OCR pool is closed');
    const free = slots.find((s) => !s.busy);
    if (free) {
      free.busy = true;
      return free;
    }
    if (waiting.length >= maxQueue) {
      rejected++;
      throw new OcrBusyError();
    }
    return new Promise<Slot>((resolve) => waiting.push(resolve));
  };
  const warmSlot = async (slot: Slot) => {
    const w = await start(slot);
    // The first recognize of a worker is ~2× slower (WebAssembly tiers up): pay it now, on a
    // few bars (an empty page makes tesseract print statistics to stdout).
    await Promise.all([w.jpn.recognize(WARM_UP), w.eng.recognize(WARM_UP)]);
  };

  return {
    workerOptions,
    async run<T, P>(
      job: (w: OcrWorkers, control: JobControl, before: P) => Promise<T>,
      before?: () => Promise<P>,
    ): Promise<T> {
      const slot = await takeSlot();
      let timer: NodeJS.Timeout | undefined;
      let expired = false;
      let retired = false;
      const control: JobControl = { retire: () => (retired = true) };
      try {
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            expired = true;
            reject(new OcrTimeoutError(jobTimeoutMs));
          }, jobTimeoutMs);
        });
        const ready = Promise.all([start(slot), before ? before() : (undefined as P)]);
        return await Promise.race([ready.then(([w, b]) => job(w, control, b)), timeout]);
      } finally {
        clearTimeout(timer);
        if (expired) {
          timedOut++;
          // tesseract cannot be interrupted: stop this slot's workers; the next job starts new ones.
          stop(slot);
        } else if (retired) stop(slot);
        release(slot);
      }
    },
    async warm() {
      await Promise.all(slots.map(warmSlot));
    },
    stats: () => ({
      size,
      running: slots.filter((s) => s.busy).length,
      queued: waiting.length,
      maxQueue,
      rejected,
      timedOut,
    }),
    async close() {
      closed = true;
      await Promise.all(
        slots.map(async (slot) => {
          const w = slot.workers;
          slot.workers = null;
          if (w) await w.then(terminate, () => undefined);
        }),
      );
    },
  };
}

function options(lang: 'jpn' | 'eng', workerPath?: string): Partial<WorkerOptions> {
  const opts: Partial<WorkerOptions> = {
    langPath: langDir(lang),
    gzip: true,
    cacheMethod: 'none',
    // tesseract's own logging would print progress lines; errors still reject the job.
    logger: () => undefined,
    errorHandler: () => undefined,
  };
  if (workerPath) opts.workerPath = workerPath;
  return opts;
}

async function startWorkers(opts: Record<'jpn' | 'eng', Partial<WorkerOptions>>): Promise<OcrWorkers> {
  const [jpn, eng] = await Promise.all([
    createWorker('jpn', OEM.LSTM_ONLY, opts.jpn),
    createWorker('eng', OEM.LSTM_ONLY, opts.eng),
  ]);
  await Promise.all([
    // Without this, jpn puts a space between every two Japanese characters.
    jpn.setParameters({ preserve_interword_spaces: '1', user_defined_dpi: '300' }),
    eng.setParameters({
      tessedit_pageseg_mode: PSM.SINGLE_LINE,
      tessedit_char_whitelist: URL_WHITELIST,
      user_defined_dpi: '300',
    }),
  ]);
  return { jpn, eng };
}

async function terminate(w: OcrWorkers): Promise<void> {
  await Promise.allSettled([w.jpn.terminate(), w.eng.terminate()]);
}
