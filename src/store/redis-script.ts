// A Lua script called by its SHA1 (EVALSHA), its command written here as Redis reads it. ioredis's
// defineCommand goes through a rest-argument array, an options object, two copies of the arguments, a
// command subclass with a closure and a WeakSet look-up per call, and a second promise that watches for
// NOSCRIPT: ~3 KB and ~1.5 µs for every call, and an answered event makes three or four. Here a call
// is one ioredis Command carrying the bytes written below; it waits in the same queues (reconnects,
// the offline queue and redis.ts's timeout sweep work as for any command) and is answered the same way.
// NOSCRIPT (Redis restarted or its script cache flushed) is answered by sending the script itself once
// (EVAL), which loads it for the calls after.
import { createHash } from 'node:crypto';
import { Command, type Redis } from 'ioredis';

/** A script's argument: strings and numbers, as ioredis took them. */
export type ScriptArg = string | number;

export class RedisScript {
  private readonly lua: string;
  private readonly keys: number;
  /** "$7 EVALSHA $40 <sha> $n <keys>" in RESP, everything after the argument count. */
  private readonly evalsha: string;

  constructor(lua: string, numberOfKeys: number) {
    this.lua = lua;
    this.keys = numberOfKeys;
    const sha = createHash('sha1').update(lua).digest('hex');
    this.evalsha = `\r\n$7\r\nevalsha${bulk(sha)}${bulk(String(numberOfKeys))}`;
  }

  /** Runs the script with its keys first, then its other arguments; the reply as ioredis gives it (utf8). */
  call<T>(client: Redis, args: ScriptArg[]): Promise<T> {
    const command = new ScriptCommand(this.write(this.evalsha, args));
    const reject = command.reject;
    // Not loaded on this server (any more): the script itself, once, answers this call, unless the
    // call has failed already (timed out): its caller was told so, and the script must not run after.
    command.reject = (err: Error) => {
      if (!err.message.startsWith('NOSCRIPT') || command.isSettled) return reject(err);
      const again = new ScriptCommand(
        this.write(`\r\n$4\r\neval${bulk(this.lua)}${bulk(String(this.keys))}`, args),
      );
      // resolve() hands back the command's own promise: not returned here, so nothing rejects twice.
      (client.sendCommand(again) as Promise<unknown>).then((reply) => void command.resolve(reply), reject);
    };
    return client.sendCommand(command) as Promise<T>;
  }

  private write(head: string, args: ScriptArg[]): string {
    let out = `*${args.length + 3}${head}`;
    for (const a of args) out += bulk(typeof a === 'string' ? a : String(a));
    return out;
  }
}

/** A RESP bulk string, behind the previous item's CRLF; its length is in UTF-8 bytes. */
function bulk(s: string): string {
  return `\r\n$${Buffer.byteLength(s, 'utf8')}\r\n${s}`;
}

/** A command whose bytes are given (the final CRLF added here); its reply is decoded as UTF-8 text. */
class ScriptCommand extends Command {
  private readonly bytes: string;

  constructor(bytes: string) {
    // No arguments for ioredis to convert, look up keys in or read a blocking timeout from.
    super('evalsha', [], { replyEncoding: 'utf8' });
    this.bytes = `${bytes}\r\n`;
  }

  override toWritable(): string {
    return this.bytes;
  }
}
