// rules/ is data: its content (brands.yaml facts and their sources) and how a broken rule file stops start-up
// with the file and the path inside it.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { loadDetector } from '../../src/detector/load.ts';
import { DEFAULT_RULES_DIR, loadRules, RuleFileError } from '../../src/rules/load.ts';
import { rules } from '../support/verdict.ts';

const RULES = fileURLToPath(new URL('../../rules/', import.meta.url));

describe('rules/brands.yaml', () => {
  const raw = parseYaml(readFileSync(join(RULES, 'brands.yaml'), 'utf8')) as {
    brands: { id: string; domains: { domain: string; use: string[] }[] }[];
  };

  it('the test reads the same directory the detector uses', () => {
    expect(DEFAULT_RULES_DIR.replace(/\/$/, '')).toBe(RULES.replace(/\/$/, ''));
  });

  it('lists at least 40 brands', () => {
    expect(rules.brands.length).toBeGreaterThanOrEqual(40);
  });

  it('has unique brand ids (read from the file itself, not through the loader)', () => {
    const ids = raw.brands.map((b) => b.id);
    const dupes = ids.filter((id, i) => ids.indexOf(id) !== i);
    expect(dupes).toEqual([]);
  });

  it('gives a source URL for every domain, sender and statement', () => {
    const missing: string[] = [];
    const isUrl = (s: unknown) =>
      typeof s === 'string' && /^https?:\/\/[^\s/]+\.[^\s]+/.test(s) && URL.canParse(s);
    for (const b of rules.brands) {
      b.domains.forEach((x, i) => isUrl(x.source) || missing.push(`${b.id}.domains.${i}`));
      b.sms_senders.forEach((x, i) => isUrl(x.source) || missing.push(`${b.id}.sms_senders.${i}`));
      b.never_does.forEach((x, i) => isUrl(x.source) || missing.push(`${b.id}.never_does.${i}`));
      if (b.official_check && !isUrl(b.official_check.source)) missing.push(`${b.id}.official_check`);
    }
    expect(missing).toEqual([]);
  });

  it("lists Amazon's sender domains as mail domains", () => {
    const amazon = rules.brands.find((b) => b.id === 'amazon');
    expect(amazon).toBeDefined();
    const mail = amazon!.domains.filter((x) => x.use.includes('mail')).map((x) => x.domain);
    expect(mail).toEqual(
      expect.arrayContaining([
        'amazon.co.jp',
        'amazon.jp',
        'amazon.com',
        'business.amazon.co.jp',
        'marketplace.amazon.co.jp',
        'gc.amazon.co.jp',
        'payments.amazon.co.jp',
        'email.amazon.com',
      ]),
    );
  });

  it('never lists a domain where anyone can publish or get an address as official', () => {
    const d = rules.domains;
    const open = new Set([...d.free_hosting, ...d.shared_paths, ...d.shorteners, ...d.dynamic_dns]);
    const freeMail = new Set(d.free_mail);
    const wrong: string[] = [];
    for (const b of rules.brands)
      for (const x of b.domains) {
        if (open.has(x.domain)) wrong.push(`${b.id}: ${x.domain} is open hosting`);
        if (x.use.includes('mail') && freeMail.has(x.domain)) wrong.push(`${b.id}: ${x.domain} is free mail`);
      }
    expect(wrong).toEqual([]);
  });

  it('lists each domain once per brand (one entry with several uses)', () => {
    for (const b of rules.brands) {
      const domains = b.domains.map((x) => x.domain);
      expect(new Set(domains).size, `${b.id} lists a domain twice`).toBe(domains.length);
    }
  });

  it('gives every brand an alias people would see in a message', () => {
    for (const b of rules.brands) expect(b.aliases.length, b.id).toBeGreaterThan(0);
  });

  it('only uses scenarios in never_does that the lexicon can produce', () => {
    const scenarios = new Set(rules.lexicon.groups.map((g) => g.scenario).filter(Boolean));
    scenarios.add('tax_refund');
    scenarios.add('callback'); // told by the detector: callback words plus a number that is not official
    const unknown: string[] = [];
    for (const b of rules.brands)
      for (const s of b.never_does)
        for (const sc of s.scenarios) if (!scenarios.has(sc)) unknown.push(`${b.id}: ${sc}`);
    expect(unknown).toEqual([]);
  });
});

describe('rules/scoring.yaml', () => {
  it('documents every sign the lexicon raises and the pressure list names', () => {
    for (const g of rules.lexicon.groups) expect(rules.scoring.signals[g.signal], g.signal).toBeDefined();
    for (const p of rules.scoring.pressure) expect(rules.scoring.signals[p], p).toBeDefined();
  });

  it('has a medium threshold below the high one', () => {
    expect(rules.scoring.thresholds.medium).toBeLessThan(rules.scoring.thresholds.high);
  });

  it('keeps official messages below high (official_cap < thresholds.high)', () => {
    expect(rules.scoring.official_cap).toBeLessThan(rules.scoring.thresholds.high);
  });

  it('words every message in Japanese', () => {
    const japanese = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;
    for (const [code, s] of Object.entries(rules.scoring.signals)) {
      // brand_never_does is just '{evidence}': the brand's own statement, checked below.
      if (s.message.replace(/\{\w+\}/g, '').trim() === '') continue;
      expect(s.message, code).toMatch(japanese);
    }
    for (const b of rules.brands) for (const st of b.never_does) expect(st.text, b.id).toMatch(japanese);
  });

  it('gives scenario advice only for scenarios the lexicon can produce', () => {
    const scenarios = new Set(rules.lexicon.groups.map((g) => g.scenario).filter(Boolean));
    scenarios.add('tax_refund');
    scenarios.add('callback'); // told by the detector: callback words plus a number that is not official
    for (const s of Object.keys(rules.advice.by_scenario)) expect(scenarios.has(s), s).toBe(true);
  });
});

describe('broken rule files stop start-up with the file and the path inside it', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** A copy of rules/ with one file changed. */
  function brokenCopy(file: string, change: (text: string) => string): string {
    const dir = mkdtempSync(join(tmpdir(), 'sagicheck-rules-'));
    dirs.push(dir);
    cpSync(RULES, dir, { recursive: true });
    const path = join(dir, file);
    writeFileSync(path, change(readFileSync(path, 'utf8')));
    return dir;
  }

  function editYaml(mutate: (doc: Record<string, unknown>) => void): (text: string) => string {
    return (text) => {
      const doc = parseYaml(text) as Record<string, unknown>;
      mutate(doc);
      return stringifyYaml(doc);
    };
  }

  function loadError(dir: string): RuleFileError {
    try {
      loadRules(dir);
    } catch (err) {
      expect(err).toBeInstanceOf(RuleFileError);
      return err as RuleFileError;
    }
    throw new Error('loadRules accepted a broken rule file');
  }

  it('loads an unchanged copy (the copies are a fair test)', () => {
    const dir = brokenCopy('brands.yaml', (t) => t);
    expect(loadRules(dir).brands.length).toBe(rules.brands.length);
  });

  it('names brands.yaml and brands.0.domains.0.source for an invalid source URL', () => {
    const dir = brokenCopy(
      'brands.yaml',
      editYaml((doc) => {
        const brands = doc.brands as { domains: { source: string }[] }[];
        brands[0]!.domains[0]!.source = 'not a url';
      }),
    );
    const err = loadError(dir);
    expect(err.message).toMatch(/^rules\/brands\.yaml: brands\.0\.domains\.0\.source: /);
    expect(err.file).toBe('rules/brands.yaml');
  });

  it('names the brand id when two brands share one', () => {
    const dir = brokenCopy(
      'brands.yaml',
      editYaml((doc) => {
        const brands = doc.brands as { id: string }[];
        brands[2]!.id = brands[0]!.id;
      }),
    );
    expect(loadError(dir).message).toMatch(/^rules\/brands\.yaml: brands\.2\.id: .*duplicate/);
  });

  it('names lexicon.yaml and the group for a signal scoring.yaml does not know', () => {
    const dir = brokenCopy(
      'lexicon.yaml',
      editYaml((doc) => {
        const groups = doc.groups as { signal: string }[];
        groups[1]!.signal = 'no_such_signal';
      }),
    );
    const err = loadError(dir);
    expect(err.message).toMatch(/^rules\/lexicon\.yaml: groups\.1\.signal: /);
    expect(err.message).toContain('no_such_signal');
  });

  it('names language.yaml and the pattern for a bad regular expression', () => {
    const dir = brokenCopy(
      'language.yaml',
      editYaml((doc) => {
        const phrases = doc.broken_phrases as { pattern: string }[];
        phrases[0]!.pattern = '(unclosed[';
      }),
    );
    expect(loadError(dir).message).toMatch(/^rules\/language\.yaml: broken_phrases\.0\.pattern: /);
  });

  it('names language.yaml and katakana_hyphen for a bad regular expression there', () => {
    const dir = brokenCopy(
      'language.yaml',
      editYaml((doc) => {
        doc.katakana_hyphen = '[ァ-ヶ';
      }),
    );
    expect(loadError(dir).message).toMatch(/^rules\/language\.yaml: katakana_hyphen: /);
  });

  it('names scoring.yaml for a YAML syntax error', () => {
    const dir = brokenCopy('scoring.yaml', (t) =>
      t.replace('thresholds:', 'thresholds: [unclosed\n  oops: {'),
    );
    const err = loadError(dir);
    expect(err.message).toMatch(/^rules\/scoring\.yaml: \S/);
    expect(err.file).toBe('rules/scoring.yaml');
  });

  it('names domains.yaml and the entry for a host that is not a host', () => {
    const dir = brokenCopy(
      'domains.yaml',
      editYaml((doc) => {
        (doc.shorteners as string[])[0] = 'Not A Host!';
      }),
    );
    expect(loadError(dir).message).toMatch(/^rules\/domains\.yaml: shorteners\.0: /);
  });

  it('names scoring.yaml and the signal for a weight out of range', () => {
    const dir = brokenCopy(
      'scoring.yaml',
      editYaml((doc) => {
        (doc.signals as Record<string, { weight: number }>).urgency!.weight = 30; // log-odds beyond ±20
      }),
    );
    expect(loadError(dir).message).toMatch(/^rules\/scoring\.yaml: signals\.urgency\.weight: /);
  });

  it('rejects an unknown key (a typo) instead of ignoring it', () => {
    const dir = brokenCopy(
      'brands.yaml',
      editYaml((doc) => {
        const brands = doc.brands as Record<string, unknown>[];
        brands[0]!.domian = 'amazon.co.jp';
      }),
    );
    expect(loadError(dir).message).toMatch(/^rules\/brands\.yaml: brands\.0/);
  });

  it('makes loadDetector(dir) reject with the same error', async () => {
    const dir = brokenCopy(
      'lexicon.yaml',
      editYaml((doc) => {
        (doc.groups as { signal: string }[])[0]!.signal = 'no_such_signal';
      }),
    );
    await expect(loadDetector(dir)).rejects.toBeInstanceOf(RuleFileError);
    await expect(loadDetector(dir)).rejects.toThrow(/rules\/lexicon\.yaml: groups\.0\.signal/);
  });
});

describe('a changed rule changes the verdict (no detection fact lives in code)', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it(
    'uses a shortener, a brand domain and a lexicon phrase added to a copy of rules/',
    { timeout: 60_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sagicheck-rules-'));
      dirs.push(dir);
      cpSync(RULES, dir, { recursive: true });
      const edit = (file: string, mutate: (doc: Record<string, unknown>) => void) => {
        const doc = parseYaml(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
        mutate(doc);
        writeFileSync(join(dir, file), stringifyYaml(doc));
      };
      edit('domains.yaml', (doc) => (doc.shorteners as string[]).push('tiny-links.example'));
      edit('brands.yaml', (doc) => {
        const amazon = (doc.brands as { id: string; domains: unknown[] }[]).find((b) => b.id === 'amazon')!;
        amazon.domains.push({
          domain: 'amazon-partner.example',
          use: ['web'],
          source: 'https://www.amazon.co.jp/',
        });
      });
      edit('lexicon.yaml', (doc) => {
        const urgency = (doc.groups as { signal: string; ja: string[] }[]).find(
          (g) => g.signal === 'urgency',
        )!;
        urgency.ja.push('きょうのうちに');
      });

      const custom = await loadDetector(dir);
      const standard = await loadDetector();
      expect(custom).not.toBe(standard);

      const short = 'https://tiny-links.example/abc';
      expect(custom.analyze(short).urls[0]!.codes).toContain('shortener');
      expect(standard.analyze(short).urls[0]!.codes).not.toContain('shortener');

      const partner = 'https://amazon-partner.example/';
      expect(custom.analyze(partner).urls[0]!.official).toBe(true);
      expect(standard.analyze(partner).urls[0]!.official).toBe(false);

      const words = 'きょうのうちにご対応ください。';
      expect(custom.analyze(words).reasons.map((r) => r.code)).toContain('urgency');
      expect(standard.analyze(words).reasons.map((r) => r.code)).not.toContain('urgency');
    },
  );
});
