// The webhooks read in one turn of the event loop are written to the backlog in one store call
// (src/server/intake.ts, writesOfOneTurn); each still waits for its own events to be written.
import { describe, expect, it } from 'vitest';
import { writesOfOneTurn } from '../../src/server/intake.ts';

describe('backlog writes of one turn', () => {
  it('writes what one turn brought in one call, and answers each caller with its own part', async () => {
    const calls: string[][] = [];
    const write = writesOfOneTurn(async (items: string[]) => {
      calls.push([...items]);
      return items.map((i) => `${i}!`);
    });
    const a = write(['a1', 'a2']);
    const b = write(['b1']);
    const c = write([]);
    expect(calls).toEqual([]); // nothing written before the turn's I/O is done
    expect(await Promise.all([a, b, c])).toEqual([['a1!', 'a2!'], ['b1!'], []]);
    expect(calls).toEqual([['a1', 'a2', 'b1']]);
    // A later turn: a call of its own.
    expect(await write(['d1'])).toEqual(['d1!']);
    expect(calls).toEqual([['a1', 'a2', 'b1'], ['d1']]);
  });

  it('fails every caller of a call that fails, and the next turn writes again', async () => {
    let fail = true;
    const write = writesOfOneTurn(async (items: string[]) => {
      if (fail) throw new Error('store down');
      return items;
    });
    const results = await Promise.allSettled([write(['a']), write(['b'])]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await write(['c'])).toEqual(['c']);
  });

  it('holds webhooks of later turns while a call is in flight, and sends them together once it is answered', async () => {
    const calls: string[][] = [];
    const answers: (() => void)[] = [];
    const write = writesOfOneTurn((items: string[]) => {
      calls.push([...items]);
      return new Promise<string[]>((resolve) => answers.push(() => resolve(items.map((i) => `${i}!`))));
    });
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    const a = write(['a']);
    await turn();
    expect(calls).toEqual([['a']]); // a lone webhook leaves at the end of its turn
    const b = write(['b']);
    await turn();
    const c = write(['c1', 'c2']);
    await turn();
    expect(calls).toEqual([['a']]); // b and c wait for a's answer, in later turns
    answers[0]!();
    expect(await a).toEqual(['a!']);
    await turn();
    expect(calls).toEqual([['a'], ['b', 'c1', 'c2']]);
    answers[1]!();
    expect(await Promise.all([b, c])).toEqual([['b!'], ['c1!', 'c2!']]);
    // Nothing in flight: the next one leaves at the end of its turn again.
    const d = write(['d']);
    await turn();
    expect(calls).toHaveLength(3);
    answers[2]!();
    expect(await d).toEqual(['d!']);
  });

  it('sends the held webhooks after a call that failed', async () => {
    const calls: string[][] = [];
    let fail: (err: Error) => void = () => undefined;
    const write = writesOfOneTurn((items: string[]) => {
      calls.push([...items]);
      if (calls.length === 1) return new Promise<string[]>((_resolve, reject) => (fail = reject));
      return Promise.resolve(items);
    });
    const a = write(['a']);
    await new Promise((resolve) => setImmediate(resolve));
    const b = write(['b']);
    fail(new Error('store down'));
    await expect(a).rejects.toThrow('store down');
    expect(await b).toEqual(['b']);
    expect(calls).toEqual([['a'], ['b']]);
  });
});
