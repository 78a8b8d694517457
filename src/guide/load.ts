// Start-up: the guide's rule files (checked at once, a broken one throws) and the shared dictionary.
import { DEFAULT_RULES_DIR } from '../rules/load.ts';
import { loadTokenizer, type Tokenizer } from '../detector/tokenizer.ts';
import { loadGuideRules, type GuideRules } from '../rules/guide.ts';
import { compileIntents, type IntentMatcher } from './understand.ts';

export interface Guide {
  rules: GuideRules;
  matcher: IntentMatcher;
}

export function createGuide(rules: GuideRules, tokenizer: Tokenizer): Guide {
  const helplines = [...rules.contacts.values()].flatMap((c) => (c.phone ? [c.phone] : []));
  return { rules, matcher: compileIntents(rules.intents, tokenizer, helplines) };
}

let shared: Promise<Guide> | null = null;

/**
 * Reads and checks the rule files now (a RuleFileError is thrown, not returned), then waits for the
 * dictionary the detector loads too. Repeated calls with the default rules share one guide.
 */
export function loadGuide(rulesDir?: string): Promise<Guide> {
  if (rulesDir && rulesDir !== DEFAULT_RULES_DIR) {
    const rules = loadGuideRules(rulesDir);
    return loadTokenizer().then((t) => createGuide(rules, t));
  }
  if (!shared) {
    const rules = loadGuideRules();
    shared = loadTokenizer().then((t) => createGuide(rules, t));
  }
  return shared;
}
