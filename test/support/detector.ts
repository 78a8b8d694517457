// The detector and the extraction pipeline as the tests use them.
import type { Detector } from '../../src/detector/index.ts';
import { MAX_CHARS } from '../../src/detector/index.ts';
import { loadDetector } from '../../src/detector/load.ts';
import { extract, type Extracted } from '../../src/detector/extract.ts';
import { normalize, refang } from '../../src/detector/normalize.ts';

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
