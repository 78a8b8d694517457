// The one pino logger of the server; every line goes through the mask (./mask.ts): the fields and
// message of each call, and the bindings of every child logger (Fastify's included).
import { pino, type Logger, type DestinationStream, type Bindings, type ChildLoggerOptions } from 'pino';
import type { LogLevel } from '../config.ts';
import { maskDeep, maskPersonalData } from './mask.ts';

export type { Logger };

export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: undefined,
    serializers: { err: (e: unknown) => maskDeep(e) },
    hooks: {
      logMethod(this: Logger, args: unknown[], method: (...a: unknown[]) => void) {
        unflushed = true;
        method.apply(
          this,
          args.map((a) => (typeof a === 'string' ? maskPersonalData(a) : maskDeep(a))),
        );
      },
    },
  };
  // Standard output, written asynchronously and in pieces of at least 4 KB (at hundreds of events a
  // second, one write instead of dozens), and at the latest FLUSH_MS after a line came; pino writes
  // what is left synchronously when the process exits.
  const root = pino(options, destination ?? stdout());
  // Children are created from their parent's prototype chain, so this one override covers them all.
  type ChildFn = (this: unknown, bindings: Bindings, opts?: ChildLoggerOptions) => Logger;
  const child = (Object.getPrototypeOf(root) as { child: ChildFn }).child;
  root.child = function (this: unknown, bindings: Bindings, opts?: ChildLoggerOptions) {
    return child.call(this, maskDeep(bindings) as Bindings, opts);
  } as unknown as Logger['child'];
  return root;
}

/** Writes what the logger holds (a thread ends without the process's exit hooks); 200 ms at most. */
export function flushLogs(log: Logger): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 200);
    log.flush(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** A quiet server's last lines still go out this soon. */
export const FLUSH_MS = 500;

let unflushed = false;

function stdout(): DestinationStream {
  const dest = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  setInterval(() => {
    if (!unflushed) return;
    unflushed = false;
    try {
      dest.flush();
    } catch {
      // Not ready yet, or already closed: the next turn, or the exit, writes it.
    }
  }, FLUSH_MS).unref();
  return dest;
}
