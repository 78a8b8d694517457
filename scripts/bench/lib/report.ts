// What a benchmark section hands back to scripts/bench.ts, and the number formatting they share.

/** metric, measured value, target ('—' for none), target met (null when there is no target). */
export type Row = [metric: string, measured: string, target: string, ok: boolean | null];

export interface Section {
  title: string;
  /** How to reproduce just this section. */
  command: string;
  rows: Row[];
  notes: string[];
}

/** Every scripts/bench/*.ts exports this. */
export type RunSection = () => Promise<Section>;

/** Nearest-rank percentile of values sorted ascending (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function sortedCopy(xs: readonly number[]): number[] {
  return [...xs].sort((a, b) => a - b);
}

export const median = (xs: readonly number[]) => percentile(sortedCopy(xs), 50);

/** Milliseconds with enough digits to read sub-millisecond values. */
export function ms(x: number): string {
  return x < 10 ? `${x.toFixed(3)} ms` : x < 1000 ? `${x.toFixed(1)} ms` : `${(x / 1000).toFixed(2)} s`;
}

/** Megabytes (10^6 bytes), the unit of the targets. */
export const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

export const int = (x: number) => Math.round(x).toLocaleString('en-US');
