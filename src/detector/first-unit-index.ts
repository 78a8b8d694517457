// Word lists indexed by their first UTF-16 code unit, for scanning a text once, position by position:
// at each position only the entries that can start there are tried. Replaces one indexOf per entry
// (hundreds of brand aliases, a thousand phrases) with one table read per character of the text.
import { UnitBits } from './unit-bits.ts';

/** Entries by first code unit; built once at start-up, read per message. */
export class FirstUnitIndex<T> {
  /** The code units that start an entry (8 KB, read first: most characters start none). */
  private readonly present = new UnitBits();
  /** Code unit → 1 + bucket number, 0 for none (128 KB, read only for the units in `present`). */
  private readonly slot = new Uint16Array(0x10000);
  private readonly buckets: T[][] = [];

  /** Appends an entry to the bucket of `unit`; entries of one bucket keep the order they were added in. */
  add(unit: number, entry: T): void {
    let s = this.slot[unit]!;
    if (s === 0) {
      if (this.buckets.length >= 0xffff) throw new Error('FirstUnitIndex: too many distinct first units');
      s = this.slot[unit] = this.buckets.push([]);
      this.present.add(unit);
    }
    this.buckets[s - 1]!.push(entry);
  }

  /** The entries whose text starts with this code unit, or undefined. */
  at(unit: number): T[] | undefined {
    if (!this.present.has(unit)) return undefined;
    const s = this.slot[unit]!;
    return s === 0 ? undefined : this.buckets[s - 1];
  }
}
