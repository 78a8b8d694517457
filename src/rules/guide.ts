// The guide's rule files, read and checked together at start-up: contacts.yaml (official helplines),
// intents.yaml (what people say they did), playbooks.yaml (the steps), guide.yaml (the words), and
// brands.yaml for each brand's official way to check. A broken reference stops start-up with the file,
// the place inside it and the problem, like every other rule file. Used by the guide (src/guide/).
import {
  BrandsFile,
  GuideFile,
  IntentsFile,
  PlaybooksFile,
  type ActionIntent,
  type BrandRule,
  type ContactRule,
  type GuideCopy,
  type IntentRules,
  type PlaybookRules,
  type StepRule,
} from './schema.ts';
import { DEFAULT_RULES_DIR, loadContacts, readRuleFile, RuleFileError } from './load.ts';

/** A step of any origin: the general list, a brand's extras or a story's extras. */
export interface StepDef extends StepRule {
  id: string;
  origin: 'general' | 'brand' | 'scenario';
  /** Intents an extra step belongs to (all when absent). */
  for?: ActionIntent[];
  replaces?: string;
}

export interface GuideRules {
  contacts: Map<string, ContactRule>;
  brands: Map<string, BrandRule>;
  intents: IntentRules;
  playbooks: PlaybookRules;
  copy: GuideCopy;
  steps: Map<string, StepDef>;
}

const CONTACT_FIELDS = new Set(['phone', 'email', 'url', 'name', 'hours', 'note']);
const BRAND_FIELDS = new Set(['brand', 'official_check', 'domain', 'never_does']);
const ALWAYS = new Set(['service', 'more']);
const PLACEHOLDER = /\{(\w+)(?::(\w+))?\}/g;

export function loadGuideRules(dir = DEFAULT_RULES_DIR): GuideRules {
  const brandList = readRuleFile(dir, 'brands.yaml', BrandsFile).brands;
  const brands = new Map(brandList.map((b) => [b.id, b]));
  const contactList = loadContacts(dir, new Set(brands.keys()));
  const contacts = new Map(contactList.map((c) => [c.id, c]));
  const intents = readRuleFile(dir, 'intents.yaml', IntentsFile);
  const playbooks = readRuleFile(dir, 'playbooks.yaml', PlaybooksFile);
  const copy = readRuleFile(dir, 'guide.yaml', GuideFile);

  checkIntents(intents);
  const steps = checkPlaybooks(playbooks, contacts, brands, copy);
  checkCopyPlaceholders(copy, contacts);
  checkChoices(copy);
  return { contacts, brands, intents, playbooks, copy, steps };
}

function fail(file: string, path: string, problem: string): never {
  throw new RuleFileError(`rules/${file}`, [`${path}: ${problem}`]);
}

function checkIntents(r: IntentRules): void {
  for (const [i, p] of r.pairs.entries()) {
    if (p.thing !== undefined && !r.things[p.thing])
      fail('intents.yaml', `pairs.${i}.thing`, `"${p.thing}" is not one of things`);
    if (!r.acts[p.act]) fail('intents.yaml', `pairs.${i}.act`, `"${p.act}" is not one of acts`);
  }
  const seen = new Map<string, number>();
  for (const [i, p] of r.pairs.entries()) {
    const key = `${p.thing ?? ''}:${p.act}`;
    const before = seen.get(key);
    if (before !== undefined) fail('intents.yaml', `pairs.${i}`, `the same thing and act as pairs.${before}`);
    seen.set(key, i);
  }
}

function checkPlaybooks(
  p: PlaybookRules,
  contacts: Map<string, ContactRule>,
  brands: Map<string, BrandRule>,
  copy: GuideCopy,
): Map<string, StepDef> {
  const file = 'playbooks.yaml';
  const steps = new Map<string, StepDef>();
  const checkStep = (s: StepRule, path: string, brand: BrandRule | null) => {
    for (const [i, id] of s.contacts.entries())
      if (!contacts.has(id)) fail(file, `${path}.contacts.${i}`, `unknown contact "${id}"`);
    for (const [i, id] of s.sources.entries())
      if (!contacts.has(id)) fail(file, `${path}.sources.${i}`, `unknown contact "${id}"`);
    for (const [i, id] of s.covers.entries())
      if (
        !p.steps[id] &&
        !Object.values(p.brands)
          .concat(Object.values(p.scenarios))
          .flat()
          .some((x) => x.id === id)
      )
        fail(file, `${path}.covers.${i}`, `unknown step "${id}"`);
    if (s.reached !== undefined && !s.contacts.includes(s.reached))
      fail(file, `${path}.reached`, `"${s.reached}" is not one of the step's contacts`);
    checkPlaceholders(s.text, `${path}.text`, contacts, brand === null ? 'none' : brand);
    checkPlaceholders(s.memo, `${path}.memo`, contacts, 'none');
    if (s.text_with_brand !== undefined)
      checkPlaceholders(s.text_with_brand, `${path}.text_with_brand`, contacts, 'any');
  };

  for (const [id, s] of Object.entries(p.steps)) {
    checkStep(s, `steps.${id}`, null);
    steps.set(id, { ...s, id, origin: 'general' });
  }
  const used = new Set<string>();
  for (const [intent, ids] of Object.entries(p.playbooks)) {
    for (const [i, id] of ids.entries()) {
      if (!p.steps[id]) fail(file, `playbooks.${intent}.${i}`, `unknown step "${id}"`);
      if (ids.indexOf(id) !== i) fail(file, `playbooks.${intent}.${i}`, `step "${id}" listed twice`);
      used.add(id);
    }
  }
  for (const id of Object.keys(p.steps))
    if (!used.has(id)) fail(file, `steps.${id}`, 'not used by any playbook');

  const extras = (section: 'brands' | 'scenarios', key: string, list: PlaybookRules['brands'][string]) => {
    const brand = section === 'brands' ? brands.get(key) : undefined;
    if (section === 'brands' && !brand) fail(file, `brands.${key}`, `"${key}" is not a brand of brands.yaml`);
    if (section === 'scenarios' && !copy.scenario_labels[key])
      fail(file, `scenarios.${key}`, `"${key}" has no scenario_labels entry in guide.yaml`);
    for (const [i, s] of list.entries()) {
      const path = `${section}.${key}.${i}`;
      if (steps.has(s.id)) fail(file, `${path}.id`, `step id "${s.id}" is used twice`);
      if (s.replaces !== undefined && !p.steps[s.replaces])
        fail(file, `${path}.replaces`, `unknown step "${s.replaces}"`);
      checkStep(s, path, brand ?? null);
      steps.set(s.id, { ...s, origin: section === 'brands' ? 'brand' : 'scenario' });
    }
  };
  for (const [key, list] of Object.entries(p.brands)) extras('brands', key, list);
  for (const [key, list] of Object.entries(p.scenarios)) extras('scenarios', key, list);
  return steps;
}

/**
 * Every placeholder names something that exists. `brand`: 'none' (no brand placeholder allowed),
 * 'any' (filled at run time when the brand has it), or the brand whose data must fill it.
 */
function checkPlaceholders(
  text: string,
  path: string,
  contacts: Map<string, ContactRule>,
  brand: 'none' | 'any' | BrandRule,
): void {
  const file = 'playbooks.yaml';
  for (const m of text.matchAll(PLACEHOLDER)) {
    const [whole, name, arg] = m as unknown as [string, string, string | undefined];
    if (arg !== undefined) {
      if (!CONTACT_FIELDS.has(name)) fail(file, path, `unknown placeholder ${whole}`);
      const c = contacts.get(arg);
      if (!c) fail(file, path, `${whole}: unknown contact "${arg}"`);
      if (c[name as keyof ContactRule] === undefined)
        fail(file, path, `${whole}: contact "${arg}" has no ${name}`);
    } else if (BRAND_FIELDS.has(name)) {
      if (brand === 'none') fail(file, path, `${whole} only in text_with_brand or a brand step`);
      if (brand !== 'any' && brandValue(brand, name) === null)
        fail(file, path, `${whole}: brand "${brand.id}" has nothing for it in brands.yaml`);
    } else if (!ALWAYS.has(name)) fail(file, path, `unknown placeholder ${whole}`);
  }
}

function checkChoices(copy: GuideCopy): void {
  const ids = new Set(copy.options.happened.map((o) => o.id));
  const lists: [string, string[]][] = [
    ['first_choices.default', copy.first_choices.default],
    ['first_choices.phone', copy.first_choices.phone],
    ...Object.entries(copy.first_choices.scenarios).map(
      ([k, v]) => [`first_choices.scenarios.${k}`, v] as [string, string[]],
    ),
  ];
  for (const [path, list] of lists)
    for (const [i, id] of list.entries())
      if (!ids.has(id)) fail('guide.yaml', `${path}.${i}`, `"${id}" is not an id of options.happened`);
}

function checkCopyPlaceholders(copy: GuideCopy, contacts: Map<string, ContactRule>): void {
  const walk = (v: unknown, path: string) => {
    if (typeof v === 'string') {
      for (const m of v.matchAll(PLACEHOLDER)) {
        if (m[2] === undefined) continue;
        const c = contacts.get(m[2]);
        if (!CONTACT_FIELDS.has(m[1]!) || !c || c[m[1] as keyof ContactRule] === undefined)
          fail('guide.yaml', path, `${m[0]}: no such contact detail in contacts.yaml`);
      }
    } else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
  };
  walk(copy, '');
}

/** A brand's data for a placeholder, or null when brands.yaml has none. */
export function brandValue(b: BrandRule, name: string): string | null {
  switch (name) {
    case 'brand':
      return b.name;
    case 'official_check':
      return b.official_check?.text ?? null;
    case 'domain':
      return b.domains.find((d) => d.use.includes('web'))?.domain ?? null;
    case 'never_does':
      return b.never_does[0]?.text ?? null;
    default:
      return null;
  }
}
