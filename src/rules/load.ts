// Reads and validates rules/*.yaml. A broken file stops start-up with the file, the path inside it and
// what is wrong, e.g. "rules/brands.yaml: brands.3.domains.0.source: Invalid URL".
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import {
  AdviceFile,
  BrandsFile,
  ContactsFile,
  DomainsFile,
  LanguageFile,
  HostModelFile,
  HostListsFile,
  LexiconFile,
  ScoringFile,
  type ContactRule,
  type RuleSet,
} from './schema.ts';

export const DEFAULT_RULES_DIR = fileURLToPath(new URL('../../rules/', import.meta.url));

export class RuleFileError extends Error {
  readonly file: string;
  readonly details: string[];
  constructor(file: string, details: string[]) {
    super(`${file}: ${details.join('; ')}`);
    this.name = 'RuleFileError';
    this.file = file;
    this.details = details;
  }
}

export function readRuleFile<S extends z.ZodType>(dir: string, name: string, schema: S): z.infer<S> {
  const file = join(dir, name);
  const shown = `rules/${name}`;
  let data: unknown;
  try {
    const text = readFileSync(file, 'utf8');
    data = name.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new RuleFileError(shown, [(err as Error).message.split('\n')[0] ?? 'cannot read']);
  }
  const result = schema.safeParse(data);
  if (!result.success) {
    throw new RuleFileError(
      shown,
      result.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.length ? i.path.join('.') : '(top)'}: ${i.message}`),
    );
  }
  return result.data;
}

export function loadRules(dir = DEFAULT_RULES_DIR): RuleSet {
  const brands = readRuleFile(dir, 'brands.yaml', BrandsFile).brands;
  const ids = new Set<string>();
  for (const [i, b] of brands.entries()) {
    if (ids.has(b.id))
      throw new RuleFileError('rules/brands.yaml', [`brands.${i}.id: duplicate id "${b.id}"`]);
    ids.add(b.id);
  }
  const scoring = readRuleFile(dir, 'scoring.yaml', ScoringFile);
  const lexicon = readRuleFile(dir, 'lexicon.yaml', LexiconFile);
  for (const [i, g] of lexicon.groups.entries()) {
    if (!scoring.signals[g.signal])
      throw new RuleFileError('rules/lexicon.yaml', [
        `groups.${i}.signal: "${g.signal}" has no entry in scoring.yaml`,
      ]);
  }
  for (const [i, code] of scoring.pressure.entries()) {
    if (!scoring.signals[code])
      throw new RuleFileError('rules/scoring.yaml', [`pressure.${i}: "${code}" is not a signal`]);
  }
  const simplified = readFileSync(join(dir, 'data', 'simplified-only-han.txt'), 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .join('');
  return {
    brands,
    domains: readRuleFile(dir, 'domains.yaml', DomainsFile),
    hostLists: readRuleFile(dir, 'hosts/sublime.yaml', HostListsFile),
    lexicon,
    scoring,
    language: readRuleFile(dir, 'language.yaml', LanguageFile),
    advice: readRuleFile(dir, 'advice.yaml', AdviceFile),
    simplifiedHan: simplified,
    hostModel: readRuleFile(dir, 'data/host-letter-model.json', HostModelFile),
  };
}

/**
 * rules/contacts.yaml: official helplines and pages, each with its source. Ids are unique and a
 * contact's brand must be an id of brands.yaml (given as brandIds).
 */
export function loadContacts(dir = DEFAULT_RULES_DIR, brandIds?: Set<string>): ContactRule[] {
  const contacts = readRuleFile(dir, 'contacts.yaml', ContactsFile).contacts;
  const ids = new Set<string>();
  for (const [i, c] of contacts.entries()) {
    if (ids.has(c.id))
      throw new RuleFileError('rules/contacts.yaml', [`contacts.${i}.id: duplicate id "${c.id}"`]);
    ids.add(c.id);
    if (c.brand && brandIds && !brandIds.has(c.brand))
      throw new RuleFileError('rules/contacts.yaml', [
        `contacts.${i}.brand: "${c.brand}" is not a brand of brands.yaml`,
      ]);
  }
  return contacts;
}
