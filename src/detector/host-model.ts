// A letter-trigram model of word spelling, used to tell host names made of words from machine-made ones.
// Trained by scripts/build-host-model.ts; the data is rules/data/host-letter-model.json.

/** Letters the model knows; ^ and $ mark the start and end of a word. */
export const ALPHABET = '^$abcdefghijklmnopqrstuvwxyz';
const N = ALPHABET.length;
const index = (ch: string) => ALPHABET.indexOf(ch);

export interface HostModelData {
  alphabet: string;
  /** log P(c | a b) for every trigram, ×100 and rounded, as a base64 Int16 array of N³ entries. */
  logprobs: string;
  /** Below this, a word is unusual (2 % of real words are). */
  threshold: number;
  /** Below this, a word is very unusual (0.2 % of real words are). */
  strictThreshold: number;
  minLength: number;
}

export class HostLetterModel {
  private readonly table: Int16Array;

  private constructor(table: Int16Array) {
    this.table = table;
  }

  static train(corpora: { words: string[]; weight: number }[]): HostLetterModel {
    const counts = new Float64Array(N * N * N);
    for (const { words, weight } of corpora) {
      for (const w of words) {
        const s = `^^${w}$`;
        for (let i = 2; i < s.length; i++)
          counts[(index(s[i - 2]!) * N + index(s[i - 1]!)) * N + index(s[i]!)]! += weight;
      }
    }
    const table = new Int16Array(N * N * N);
    const k = 0.1; // add-k smoothing: unseen trigrams are rare, not impossible
    for (let ctx = 0; ctx < N * N; ctx++) {
      let total = 0;
      for (let c = 0; c < N; c++) total += counts[ctx * N + c]!;
      for (let c = 0; c < N; c++)
        table[ctx * N + c] = Math.round(100 * Math.log((counts[ctx * N + c]! + k) / (total + k * N)));
    }
    return new HostLetterModel(table);
  }

  static fromJSON(data: HostModelData): HostLetterModel {
    if (data.alphabet !== ALPHABET) throw new Error('host letter model: alphabet mismatch, rebuild it');
    const bytes = Buffer.from(data.logprobs, 'base64');
    const table = new Int16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    if (table.length !== N * N * N) throw new Error('host letter model: wrong size, rebuild it');
    return new HostLetterModel(table);
  }

  toJSON(): Omit<HostModelData, 'threshold' | 'strictThreshold' | 'minLength'> {
    return { alphabet: ALPHABET, logprobs: Buffer.from(this.table.buffer).toString('base64') };
  }

  /** Average log-probability per letter of a lower-case a–z word (higher = more word-like). */
  score(word: string): number {
    const s = `^^${word}$`;
    let sum = 0;
    for (let i = 2; i < s.length; i++) {
      const a = index(s[i - 2]!);
      const b = index(s[i - 1]!);
      const c = index(s[i]!);
      if (a < 0 || b < 0 || c < 0) return 0;
      sum += this.table[(a * N + b) * N + c]! / 100;
    }
    return sum / (s.length - 2);
  }
}
