// Start-up: read the rules, load the dictionary, compile. The only part of the detector that does I/O.
import { loadRules, DEFAULT_RULES_DIR } from '../rules/load.ts';
import { compile } from './compile.ts';
import { createDetector, type InspectableDetector } from './index.ts';
import { loadTokenizer } from './tokenizer.ts';

let shared: Promise<InspectableDetector> | null = null;

/** Loads the detector; concurrent and repeated calls with the default rules share one load. */
export function loadDetector(rulesDir?: string): Promise<InspectableDetector> {
  if (rulesDir && rulesDir !== DEFAULT_RULES_DIR) return build(rulesDir);
  shared ??= build(DEFAULT_RULES_DIR).catch((err: unknown) => {
    shared = null;
    throw err;
  });
  return shared;
}

async function build(rulesDir: string): Promise<InspectableDetector> {
  const rules = loadRules(rulesDir); // throws RuleFileError before the slow dictionary load
  const tokenizer = await loadTokenizer();
  return createDetector(compile(rules, tokenizer));
}
