// The one pino logger of the server; every line goes through the mask (./mask.ts): the fields and
// message of each call, and the bindings of every child logger (Fastify's included).
import { isMainThread } from 'node:worker_threads';
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
  // second, one write instead of dozens), and at the latest FLUSH_MS after a line came; what is left
  // is written synchronously when the process exits.
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
  const dest = pino.destination({ dest: 1, sync: false });
  const out = gathered(dest);
  setInterval(() => {
    if (!unflushed) return;
    unflushed = false;
    try {
      out.flush();
    } catch {
      // Not ready yet, or already closed: the next turn, or the exit, writes it.
    }
  }, FLUSH_MS).unref();
  return out;
}

/** Lines are handed on in pieces of at least this many characters. */
const GATHER_CHARS = 4096;

type Boom = ReturnType<typeof pino.destination>;

/**
 * Lines gathered here and handed to the writer joined, GATHER_CHARS at a time: it keeps what it was
 * given as one string that it measures in bytes again at every write, so a line at a time flattened
 * and measured that whole string once per line (~2 KB and ~1.5 µs a line, one line per event). The
 * writer still does the writing (partial writes, EAGAIN, EPIPE); what is gathered goes to it before
 * any flush and before pino's own at the process's exit.
 */
function gathered(dest: Boom): DestinationStream & { flush(cb?: (err?: Error) => void): void } {
  let lines: string[] = [];
  let chars = 0;
  const hand = () => {
    if (chars === 0 || (dest as unknown as { destroyed: boolean }).destroyed) return;
    const joined = lines.join('');
    lines = [];
    chars = 0;
    dest.write(joined);
  };
  if (isMainThread) {
    process.prependListener('beforeExit', hand);
    process.prependListener('exit', hand);
  }
  return {
    write(line: string) {
      lines.push(line);
      chars += line.length;
      if (chars >= GATHER_CHARS) hand();
    },
    flush(cb?: (err?: Error) => void) {
      hand();
      dest.flush(cb);
    },
    flushSync() {
      hand();
      dest.flushSync();
    },
  } as DestinationStream & { flush(cb?: (err?: Error) => void): void };
}
