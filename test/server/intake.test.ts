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
});
