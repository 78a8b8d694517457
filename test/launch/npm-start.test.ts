// `npm start` as a newcomer runs it: one "listening" line with the address, and SIGTERM sent to the
// npm process (not to the server under it) stops the server and frees the port.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/stand-ins/redis-server.ts';
import { waitFor } from '../../scripts/stand-ins/webhook.ts';

const ROOT = new URL('../..', import.meta.url).pathname;

/** Whether something still listens on the port: try to take it. */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

describe('npm start', () => {
  it('says once where it listens, and stops when npm gets SIGTERM', { timeout: 60_000 }, async () => {
    const port = await freePort();
    const npm = spawn('npm', ['start'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PORT: String(port),
        HOST: '127.0.0.1',
        STORE_URL: 'memory:',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    npm.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
    npm.stderr!.on('data', (c: Buffer) => (out += c.toString('utf8')));
    try {
      await waitFor(() => out.includes('sagicheck server started'), 30_000, 'started');
      expect(out.match(/listening/gi)).toHaveLength(1);
      expect(out).toContain(`sagicheck: listening on http://127.0.0.1:${port}/`);
      expect(out).not.toContain('Server listening at');
      expect(await portFree(port)).toBe(false);

      npm.kill('SIGTERM');
      await waitFor(() => npm.exitCode !== null || npm.signalCode !== null, 10_000, 'npm exited');
      // The server under npm's shell notices and shuts down the way SIGTERM does.
      const freed = async () => portFree(port);
      let free = false;
      for (let i = 0; i < 40 && !free; i++) {
        free = await freed();
        if (!free) await new Promise((r) => setTimeout(r, 250));
      }
      expect(free).toBe(true);
    } finally {
      if (npm.exitCode === null) npm.kill('SIGKILL');
    }
  });
});
