// Runs a benchmark helper in a fresh Node process and returns the JSON object it prints last.
import { spawn } from 'node:child_process';

export interface ChildOptions {
  /** Node flags, e.g. ['--expose-gc']. */
  flags?: string[];
  env?: Record<string, string>;
}

export function runChild<T>(script: string | URL, opts: ChildOptions = {}): Promise<T> {
  const file = script instanceof URL ? script.pathname : script;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(opts.flags ?? []), file], {
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0) return reject(new Error(`${file} exited with ${code}`));
      try {
        resolve(JSON.parse(last) as T);
      } catch {
        reject(new Error(`${file} printed no JSON result: ${last.slice(0, 200)}`));
      }
    });
  });
}
