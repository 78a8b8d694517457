// A set of UTF-16 code units (or other 16-bit slots) as a bitmap: 8 KB where a byte per unit took 64 KB.
// Such tables are read at every character of a message, at random: small ones stay in the caches beside the
// tokenizer's tables instead of pushing them out.
export class UnitBits {
  private readonly words = new Int32Array(0x10000 >>> 5);

  add(unit: number): void {
    this.words[(unit >>> 5) & 0x7ff]! |= 1 << (unit & 31);
  }

  /** Whether `unit` (0 … 0xffff) was added. */
  has(unit: number): boolean {
    return (this.words[(unit >>> 5) & 0x7ff]! & (1 << (unit & 31))) !== 0;
  }
}
