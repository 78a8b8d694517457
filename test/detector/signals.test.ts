// The catalogue of signal codes (src/detector/signals.ts) against the rule files: start-up stops when a
// code the detector raises has no scoring.yaml entry, when scoring.yaml weighs a code nothing raises, and
// when a lexicon group raises a code that is not a words signal.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { loadDetector } from '../../src/detector/load.ts';
import { SIGNALS, isSignalCode } from '../../src/detector/signals.ts';
import type { Signal } from '../../src/detector/types.ts';
import { DEFAULT_RULES_DIR, loadRules, RuleFileError } from '../../src/rules/load.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A copy of rules/ with one YAML file changed. */
function changedCopy(file: string, mutate: (doc: Record<string, unknown>) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'sagicheck-signals-'));
  dirs.push(dir);
  cpSync(DEFAULT_RULES_DIR, dir, { recursive: true });
  const path = join(dir, file);
  const doc = parseYaml(readFileSync(path, 'utf8')) as Record<string, unknown>;
  mutate(doc);
  writeFileSync(path, stringifyYaml(doc));
  return dir;
}

type ScoringDoc = { signals: Record<string, unknown> };

describe('the signal catalogue', () => {
  it('is exactly the codes rules/scoring.yaml weighs', () => {
    const scored = Object.keys(loadRules().scoring.signals).sort();
    expect(Object.keys(SIGNALS).sort()).toEqual(scored);
  });

  it('gives every lexicon group a words signal', () => {
    for (const g of loadRules().lexicon.groups) {
      expect(isSignalCode(g.signal) && SIGNALS[g.signal]).toBe('words');
    }
  });

  it('types Signal.code: a code missing from the catalogue does not compile', () => {
    // @ts-expect-error 'no_such_signal' is not in src/detector/signals.ts (npm run typecheck fails without the error)
    const bad: Signal = { code: 'no_such_signal' };
    expect(isSignalCode(bad.code)).toBe(false);
  });

  it('stops start-up when a code the detector raises has no scoring.yaml entry', async () => {
    const dir = changedCopy('scoring.yaml', (doc) => {
      delete (doc as ScoringDoc).signals.http_link;
    });
    // The rule files alone are valid: the catalogue is what misses the entry.
    expect(() => loadRules(dir)).not.toThrow();
    await expect(loadDetector(dir)).rejects.toBeInstanceOf(RuleFileError);
    await expect(loadDetector(dir)).rejects.toThrow(
      /^rules\/scoring\.yaml: signals\.http_link: missing; the detector raises "http_link"/,
    );
  });

  it('stops start-up when scoring.yaml weighs a code nothing raises', async () => {
    const dir = changedCopy('scoring.yaml', (doc) => {
      const signals = (doc as ScoringDoc).signals;
      signals.http_linc = signals.http_link; // a typo of a real code
    });
    expect(() => loadRules(dir)).not.toThrow();
    await expect(loadDetector(dir)).rejects.toThrow(
      /^rules\/scoring\.yaml: signals\.http_linc: no step raises "http_linc"/,
    );
  });

  it('stops start-up when a lexicon group raises a code that is not a words signal', async () => {
    const dir = changedCopy('lexicon.yaml', (doc) => {
      (doc.groups as { signal: string }[])[3]!.signal = 'ip_host';
    });
    expect(() => loadRules(dir)).not.toThrow();
    await expect(loadDetector(dir)).rejects.toThrow(
      /^rules\/lexicon\.yaml: groups\.3\.signal: "ip_host" is not a words signal/,
    );
  });
});
