// The detector in worker threads, so the server's event loop never runs an analysis (~1 ms per SMS,
// 10–20 ms per long mail): that loop reads webhooks, and LINE's acknowledgements must not queue behind
// a burst of analyses. Each thread loads its own rules and dictionary (~115 MB RSS). A thread that dies,
// or spends longer than timeoutMs on one job (a bug: the detector is bounded), is replaced; its jobs
// fail, and the conversation answers those events as any failed event.
import { Worker } from 'node:worker_threads';
import { MAX_CHARS, type AnalyzeExtra, type Analyzer } from './index.ts';
import type { Verdict } from './types.ts';
import type { Job } from './worker.ts';

export interface DetectorPoolOptions {
  /** Analysis threads. */
  threads?: number;
  /** Rules directory; default: rules/. */
  rulesDir?: string;
  /** One job running longer than this stops its thread. */
  timeoutMs?: number;
  /** Told when a thread stops unexpectedly (it is replaced if it had loaded). */
  onThreadError?: (err: Error) => void;
}

export interface DetectorPool extends Analyzer {
  analyze(text: string, extra?: AnalyzeExtra): Promise<Verdict>;
  /** Threads loaded and running, and jobs sent to them not answered yet. */
  stats(): { threads: number; pending: number };
  /** Waits for the jobs sent so far, then stops the threads. */
  close(): Promise<void>;
}

export class AnalysisError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AnalysisError';
  }
}

interface Waiting {
  resolve: (v: Verdict) => void;
  reject: (err: Error) => void;
}

interface Thread {
  worker: Worker;
  /** In the order sent; the thread answers them in that order, the first is the one running. */
  jobs: Map<number, Waiting>;
  ready: Promise<void>;
  loaded: boolean;
  stopped: boolean;
  timer: NodeJS.Timeout | null;
}

type Reply = { ready: true } | { id: number; verdict: Verdict } | { id: number; error: string };

const WORKER = new URL('./worker.ts', import.meta.url);

/** Starts the threads; resolves once every one has loaded, rejects if one cannot. */
export async function startDetectorPool(o: DetectorPoolOptions = {}): Promise<DetectorPool> {
  const size = Math.max(1, o.threads ?? 1);
  const timeoutMs = o.timeoutMs ?? 10_000;
  let nextId = 1;
  let closing = false;
  let idle: (() => void)[] = [];
  /** Jobs not answered yet, or answered and not handed back yet. */
  const pending = () => handBack.length + threads.reduce((n, t) => n + t.jobs.size, 0);

  // A thread's answers arrive in batches, and the work that follows each verdict (the card, the store,
  // the reply) would run back to back in front of new webhooks. Handed back one per event-loop turn,
  // the loop reads waiting requests in between.
  const handBack: (() => void)[] = [];
  let handing = false;
  const handOne = () => {
    handBack.shift()?.();
    if (handBack.length > 0) setImmediate(handOne);
    else handing = false;
  };
  const hand = (deliver: () => void) => {
    handBack.push(deliver);
    if (!handing) {
      handing = true;
      setImmediate(handOne);
    }
  };

  const settleIdle = () => {
    if (pending() > 0) return;
    for (const resolve of idle) resolve();
    idle = [];
  };

  /** Times the job now at the head of the thread's line. */
  const arm = (t: Thread) => {
    if (t.timer) clearTimeout(t.timer);
    t.timer =
      t.jobs.size > 0 ? setTimeout(() => stop(t, `one analysis took over ${timeoutMs} ms`), timeoutMs) : null;
  };

  const stop = (t: Thread, why: string) => {
    if (t.stopped) return;
    t.stopped = true;
    if (t.timer) clearTimeout(t.timer);
    for (const job of t.jobs.values()) job.reject(new AnalysisError(why));
    t.jobs.clear();
    void t.worker.terminate();
    settleIdle();
    if (closing) return;
    o.onThreadError?.(new AnalysisError(why));
    if (!t.loaded) return; // one that cannot even load would fail again: not replaced
    const i = threads.indexOf(t);
    if (i >= 0) threads[i] = spawn();
  };

  const spawn = (): Thread => {
    const worker = new Worker(WORKER, { workerData: { rulesDir: o.rulesDir } });
    let loaded!: () => void;
    let failed!: (err: Error) => void;
    const t: Thread = {
      worker,
      jobs: new Map(),
      ready: new Promise<void>((resolve, reject) => ((loaded = resolve), (failed = reject))),
      loaded: false,
      stopped: false,
      timer: null,
    };
    t.ready.catch(() => undefined); // awaited at start-up only; a replacement's failure fails its jobs
    worker.on('message', (m: Reply) => {
      if ('ready' in m) {
        t.loaded = true;
        return loaded();
      }
      const job = t.jobs.get(m.id);
      if (!job) return;
      t.jobs.delete(m.id);
      arm(t);
      hand(() => {
        if ('verdict' in m) job.resolve(m.verdict);
        else job.reject(new AnalysisError(`analysis failed: ${m.error}`));
        settleIdle();
      });
    });
    worker.on('error', (err) => {
      failed(err);
      stop(t, `analysis thread failed: ${err.message}`);
    });
    worker.on('exit', (code) => {
      failed(new AnalysisError(`analysis thread exited with code ${code} before loading`));
      stop(t, `analysis thread exited with code ${code}`);
    });
    return t;
  };

  const threads: Thread[] = Array.from({ length: size }, spawn);
  try {
    await Promise.all(threads.map((t) => t.ready));
  } catch (err) {
    closing = true;
    await Promise.all(threads.map((t) => t.worker.terminate()));
    throw err;
  }

  return {
    analyze(text, extra) {
      if (closing) return Promise.reject(new AnalysisError('the detector pool is closed'));
      // The live thread with the fewest jobs waiting.
      let t: Thread | null = null;
      for (const u of threads) if (!u.stopped && (!t || u.jobs.size < t.jobs.size)) t = u;
      if (!t) return Promise.reject(new AnalysisError('no analysis thread is running'));
      const thread = t;
      const id = nextId++;
      // The detector reads the first MAX_CHARS (and says so); sending more would only be copied.
      const cut = text.length > MAX_CHARS + 1 ? text.slice(0, MAX_CHARS + 1) : text;
      const job: Job = extra?.links?.length ? { id, text: cut, extra } : { id, text: cut };
      return new Promise<Verdict>((resolve, reject) => {
        thread.worker.postMessage(job); // throws (rejecting) if the job cannot be copied
        thread.jobs.set(id, { resolve, reject });
        if (thread.jobs.size === 1) arm(thread);
      });
    },
    stats() {
      return { threads: threads.filter((t) => t.loaded && !t.stopped).length, pending: pending() };
    },
    async close() {
      closing = true;
      if (pending() > 0) await new Promise<void>((resolve) => idle.push(resolve));
      for (const t of threads) {
        t.stopped = true;
        if (t.timer) clearTimeout(t.timer);
      }
      await Promise.all(threads.map((t) => t.worker.terminate()));
    },
  };
}
