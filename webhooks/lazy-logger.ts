// Request loggers made on first use (webhooks/line.ts sets it as its routes' child logger factory).
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';

/**
 * Fastify makes a child logger (its request id bound) for every request; this one is made on the
 * first line the request logs, with the same bindings, so the lines are the same and a request that
 * logs nothing costs none (pino's child and the mask of its bindings, ~2 µs each).
 */
export function lazyChild(
  this: FastifyInstance,
  logger: FastifyBaseLogger,
  bindings: Record<string, unknown>,
  opts: object,
): FastifyBaseLogger {
  return new LazyChild(logger, bindings, opts) as unknown as FastifyBaseLogger;
}

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

class LazyChild {
  #made: FastifyBaseLogger | null = null;
  readonly #parent: FastifyBaseLogger;
  readonly #bindings: Record<string, unknown>;
  readonly #opts: object;
  constructor(parent: FastifyBaseLogger, bindings: Record<string, unknown>, opts: object) {
    this.#parent = parent;
    this.#bindings = bindings;
    this.#opts = opts;
  }
  get #real(): FastifyBaseLogger {
    return (this.#made ??= this.#parent.child(this.#bindings, this.#opts));
  }
  #log(level: Level, args: unknown[]): void {
    const real = this.#real;
    (real[level] as (...a: unknown[]) => void).apply(real, args);
  }
  get level(): string {
    return this.#real.level;
  }
  set level(level: string) {
    this.#real.level = level;
  }
  fatal(...a: unknown[]) {
    this.#log('fatal', a);
  }
  error(...a: unknown[]) {
    this.#log('error', a);
  }
  warn(...a: unknown[]) {
    this.#log('warn', a);
  }
  info(...a: unknown[]) {
    this.#log('info', a);
  }
  debug(...a: unknown[]) {
    this.#log('debug', a);
  }
  trace(...a: unknown[]) {
    this.#log('trace', a);
  }
  silent(...a: unknown[]) {
    this.#log('silent', a);
  }
  child(bindings: Record<string, unknown>, opts?: object) {
    return this.#real.child(bindings, opts);
  }
}
