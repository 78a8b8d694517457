// The detector and the extraction pipeline as the tests use them.
import { beforeAll } from 'vitest';
import type { Detector, Verdict } from '../../src/detector/index.ts';
import { MAX_CHARS } from '../../src/detector/index.ts';
import { loadDetector } from '../../src/detector/load.ts';
import { extract, type Extracted } from '../../src/detector/extract.ts';
import { normalize, refang } from '../../src/detector/normalize.ts';
import { expectContract } from './verdict.ts';

/** The shared detector (one load per test file). */
export function sharedDetector(): Promise<Detector> {
  return loadDetector();
}

/** Exactly what analyze() does before judging anything: clean up, undo defanging, find things. */
export function extractFrom(text: string): Extracted {
  return extract(refang(normalize(text, MAX_CHARS).text));
}

/** Hosts of the links found in a text, in order. */
export function hostsIn(text: string): string[] {
  return extractFrom(text).urls.map((u) => u.url.hostname);
}

/**
 * The detector for one test file, loaded before its tests (call at the top of the file): `analyze` as the
 * detector's; `check` also holds each verdict to the contract (CONTRACT §2).
 */
export function useDetector(): { analyze: (text: string) => Verdict; check: (text: string) => Verdict } {
  let d: Detector | undefined;
  beforeAll(async () => {
    d = await loadDetector();
  }, 60_000);
  const analyze = (text: string): Verdict => d!.analyze(text);
  const check = (text: string): Verdict => {
    const v = analyze(text);
    expectContract(v);
    return v;
  };
  return { analyze, check };
}
