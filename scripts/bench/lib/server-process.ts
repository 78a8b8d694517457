// Helpers for benchmarks that run the server as a child process.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, readdirSync, readFileSync } from 'node:fs';

/** Waits until the server answers /readyz with 200, or fails after 30 s or when it exits. */
export async function waitReady(base: string, server: ChildProcess): Promise<void> {
  const until = Date.now() + 30_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}`);
    try {
      if ((await fetch(`${base}/readyz`)).status === 200) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > until) throw new Error('server not ready within 30 s');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Sends SIGTERM (the server finishes accepted events) and waits for the exit. */
export function stop(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    server.once('exit', () => resolve());
    server.kill('SIGTERM');
  });
}

/** CPU time (user + system) a process has used so far, from /proc (Linux). */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // Fields 14 and 15 of stat (utime, stime), counted after the command name; clock ticks of 1/100 s.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * CPU seconds by kind of thread (Linux names them): the thread that acknowledges webhooks
 * (MainThread), event threads (WorkerThread), V8's helpers (garbage collection, compiling) and the
 * rest (libuv's pool: log writes, crypto). Threads that ended are not counted.
 */
export function cpuByThread(
  pid: number,
): Record<'server' | 'events' | 'v8' | 'other', number> & { each: Map<string, number> } {
  const out = { server: 0, events: 0, v8: 0, other: 0, each: new Map<string, number>() };
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // ended meanwhile
    }
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
    const cpu = (Number(fields[11]) + Number(fields[12])) / 100;
    const kind =
      name === 'MainThread'
        ? 'server'
        : name === 'WorkerThread'
          ? 'events'
          : name.startsWith('V8')
            ? 'v8'
            : 'other';
    out[kind] += cpu;
    if (kind === 'events') out.each.set(tid, cpu); // each event thread alone: a spare's start shows
  }
  return out;
}

/**
 * Node flags for the server process: `BENCH_SERVER_PROFILE=DIR npm run bench -- webhook` writes a CPU
 * profile of the server to DIR (open it in Chrome DevTools) to see where its time goes.
 */
export function serverFlags(): string[] {
  const dir = process.env.BENCH_SERVER_PROFILE;
  return [...(dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : []), ...extraFlags()];
}

/** BENCH_SERVER_FLAGS="--trace-gc" (say) adds Node or V8 flags to the benched server, for a look. */
export function extraFlags(): string[] {
  return process.env.BENCH_SERVER_FLAGS?.split(/\s+/).filter(Boolean) ?? [];
}

/**
 * The server's standard output: `BENCH_SERVER_LOG=FILE npm run bench -- load` keeps its log lines in FILE
 * (to find why events failed); otherwise they are dropped.
 */
export function serverStdout(): 'ignore' | number {
  const file = process.env.BENCH_SERVER_LOG;
  return file ? openSync(file, 'w') : 'ignore';
}

/** A helper process that prints its URL on its first line and answers questions over IPC (a LINE stand-in). */
export interface StandIn {
  url: string;
  pid: number;
  /** Sends one message and resolves with the answer; questions go one at a time, so answers cannot cross. */
  ask<T>(msg: string): Promise<T>;
  close(): void;
}

export async function startStandIn(file: string): Promise<StandIn> {
  const child = spawn(process.execPath, [file], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    child.stdout!.setEncoding('utf8').once('data', (d: string) => resolve(d.trim()));
  });
  let chain: Promise<unknown> = Promise.resolve();
  return {
    url,
    pid: child.pid!,
    ask<T>(msg: string) {
      const next = chain.then(
        () =>
          new Promise<T>((resolve) => {
            child.once('message', (m) => resolve(m as T));
            child.send(msg);
          }),
      );
      chain = next.catch(() => {});
      return next;
    },
    close: () => child.disconnect(),
  };
}
