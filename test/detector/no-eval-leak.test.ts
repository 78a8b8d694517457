// The rules must generalise, not remember the evaluation data: no phishing host or domain of ../shared/eval
// may be named in rules/, and no rule phrase may be copied from an eval text beyond a few words.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseDomain } from 'tldts';
import { expect, it } from 'vitest';
import { describeWithEval, EVAL_DIR, REFERENCE_DIR } from '../support/eval-data.ts';
import { rules } from '../support/verdict.ts';

const REFERENCE = join(REFERENCE_DIR, 'sublime-static-files');
const RULES = fileURLToPath(new URL('../../rules/', import.meta.url));

/** Longest run of characters a rule phrase may share with an eval text (12 ≈ three or four Japanese words). */
export const MAX_SHARED = 11;

const lines = (file: string) =>
  readFileSync(join(EVAL_DIR, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { text: string });

const HOST = /[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+/g;
/** Registrable domain under a real public suffix (not file names such as signin.php). */
const domainOf = (host: string) => {
  const p = parseDomain(host);
  return p.isIcann ? p.domain : null;
};
/** Services open to anyone, named in rules/ as a kind of service, never as a phishing site. */
const SHARED_SECTIONS = [
  'shorteners',
  'dynamic_dns',
  'free_hosting',
  'shared_paths',
  'translate_proxies',
  'free_mail',
];
/** Named in a comment to say why it is NOT official: LINE's link shortener, open to every account. */
const NAMED_AS_NOT_OFFICIAL = new Set(['lin.ee']);

function domainsIn(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.toLowerCase().matchAll(HOST)) {
    const d = domainOf(m[0]);
    if (d) out.add(d);
  }
  return out;
}

describeWithEval('no fitting to the evaluation data by name', () => {
  const phishTexts = [...lines('phish_texts.jsonl'), ...lines('phish_texts_more.jsonl')];
  const legitTexts = [...lines('legit_texts.jsonl'), ...lines('legit_texts_more.jsonl')];

  it('names no phishing domain of ../shared/eval anywhere in rules/', () => {
    const phishing = new Set<string>();
    for (const r of [...lines('phish_urls.jsonl'), ...phishTexts])
      for (const d of domainsIn(r.text)) phishing.add(d);
    // Domains that also serve the public are not "phishing domains": genuine sites in the legitimate sets,
    // brands' official domains, and shared infrastructure in public lists (free hosting, shorteners …).
    const shared = new Set<string>();
    for (const file of ['legit_urls.jsonl', 'legit_urls_paths.jsonl'])
      for (const r of lines(file)) for (const d of domainsIn(r.text)) shared.add(d);
    for (const b of rules.brands) for (const d of b.domains) shared.add(domainOf(d.domain) ?? d.domain);
    for (const section of SHARED_SECTIONS)
      for (const h of rules.domains[section as 'shorteners']) shared.add(domainOf(h) ?? h);
    for (const d of NAMED_AS_NOT_OFFICIAL) shared.add(d);
    for (const file of readdirSync(REFERENCE).filter((f) => f.endsWith('.txt')))
      for (const d of domainsIn(readFileSync(join(REFERENCE, file), 'utf8'))) shared.add(d);
    const named: string[] = [];
    for (const file of ruleFiles()) {
      for (const d of domainsIn(readFileSync(join(RULES, file), 'utf8')))
        if (phishing.has(d) && !shared.has(d)) named.push(`${file}: ${d}`);
    }
    // The check has something to find: most phishing domains are nobody else's.
    expect([...phishing].filter((d) => !shared.has(d)).length).toBeGreaterThan(1000);
    expect(named).toEqual([]);
  });

  it(`shares no run of more than ${MAX_SHARED} characters between a rule phrase and an eval text`, () => {
    const n = MAX_SHARED + 1;
    const grams = new Set<string>();
    for (const r of [...phishTexts, ...legitTexts]) {
      const t = squash(r.text);
      for (let i = 0; i + n <= t.length; i++) grams.add(t.slice(i, i + n));
    }
    // The words the detector matches. (Brand names and the brands' own statements, quoted from their official
    // pages with the source beside them, are shared with the texts by nature.)
    const phrases = [
      ...rules.lexicon.groups.flatMap((g) => [...g.ja, ...g.en]),
      ...rules.language.broken_phrases.map((p) => p.pattern),
    ];
    const copied: string[] = [];
    for (const p of phrases) {
      const t = squash(p);
      for (let i = 0; i + n <= t.length; i++)
        if (grams.has(t.slice(i, i + n))) {
          copied.push(p);
          break;
        }
    }
    expect(grams.size).toBeGreaterThan(10_000);
    expect(copied).toEqual([]);
  });

  it('would notice a copied phrase (the check itself works)', () => {
    const sample = squash(phishTexts.find((r) => squash(r.text).length > 40)!.text).slice(
      5,
      5 + MAX_SHARED + 1,
    );
    const grams = new Set<string>();
    for (const r of phishTexts) {
      const t = squash(r.text);
      for (let i = 0; i + sample.length <= t.length; i++) grams.add(t.slice(i, i + sample.length));
    }
    expect(grams.has(sample)).toBe(true);
  });
});

/** Compared as a reader sees them: NFKC, lower case, no spaces. */
function squash(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

function ruleFiles(): string[] {
  const top = readdirSync(RULES).filter((f) => f.endsWith('.yaml'));
  const data = readdirSync(join(RULES, 'data'))
    .filter((f) => f.endsWith('.txt'))
    .map((f) => `data/${f}`);
  return [...top, ...data];
}
