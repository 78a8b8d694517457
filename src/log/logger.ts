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
        method.apply(
          this,
          args.map((a) => (typeof a === 'string' ? maskPersonalData(a) : maskDeep(a))),
        );
      },
    },
  };
  // Standard output, written asynchronously: lines that come while a write is under way go out together
  // with the next one (at 500 events/s, one write instead of dozens), and pino writes what is left
  // synchronously when the process exits.
  const root = pino(options, destination ?? pino.destination({ dest: 1, sync: false }));
  // Children are created from their parent's prototype chain, so this one override covers them all.
  type ChildFn = (this: unknown, bindings: Bindings, opts?: ChildLoggerOptions) => Logger;
  const child = (Object.getPrototypeOf(root) as { child: ChildFn }).child;
  root.child = function (this: unknown, bindings: Bindings, opts?: ChildLoggerOptions) {
    return child.call(this, maskDeep(bindings) as Bindings, opts);
  } as unknown as Logger['child'];
  return root;
}
