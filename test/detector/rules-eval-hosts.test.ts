// No fitting to the evaluation data by name (issue 10, item 7), for host names: no host or registrable
// domain of a phishing URL in ../shared/eval appears in rules/, except services anyone can use (shorteners,
// dynamic DNS, free hosting …) whose addresses phishers borrowed — naming those is the point of the lists.
// The host lists derived from sublime-security are checked to be copied, not extended.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parse as parseDomain } from 'tldts';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { describeWithEval, EVAL_DIR, REFERENCE_DIR } from '../support/eval-data.ts';

const REFERENCE = join(REFERENCE_DIR, 'sublime-static-files');
const RULES = fileURLToPath(new URL('../../rules/', import.meta.url));

const readYaml = (name: string) =>
  parseYaml(readFileSync(join(RULES, name), 'utf8')) as Record<string, unknown>;

/** Every host-like string in a rule file: a-z labels with a dot, as a whole word. */
function hostsIn(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.toLowerCase().matchAll(/(?<![a-z0-9.@-])(?:[a-z0-9-]+\.)+[a-z]{2,}(?![a-z0-9-])/g))
    out.add(m[0]);
  return out;
}

function phishingNames(): Set<string> {
  const names = new Set<string>();
  for (const line of readFileSync(join(EVAL_DIR, 'phish_urls.jsonl'), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const text = (JSON.parse(line) as { text: string }).text.trim();
    const url = URL.parse(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`);
    const host = url?.hostname.toLowerCase();
    if (!host) continue;
    names.add(host);
    // A page on a free host is its sub-domain's; the service's own name is not the phisher's.
    const own = parseDomain(host, { allowPrivateDomains: true }).domain;
    if (own) names.add(own);
  }
  return names;
}

describeWithEval('rules/ and the evaluation data', () => {
  it('names no phishing host or domain of ../shared/eval outside the lists of services anyone can use', () => {
    const domains = readYaml('domains.yaml');
    const hosts = readYaml('hosts/sublime.yaml');
    const services = new Set<string>(
      [
        ...[
          'shorteners',
          'dynamic_dns',
          'free_hosting',
          'blog_hosting',
          'shared_paths',
          'translate_proxies',
        ].map((k) => domains[k] as string[]),
        ...Object.values(hosts).map((v) => v as string[]),
      ].flat(),
    );
    // Platforms whose own addresses carried phishing (an open redirect on google.com/url, a shared file
    // on onedrive.live.com, a redirect on www.linkedin.com): they are official or free-mail domains, not names
    // taken from the data.
    for (const platform of ['google.com', 'live.com', 'linkedin.com', 'www.linkedin.com'])
      services.add(platform);
    const phishing = phishingNames();
    const files = [
      ...readdirSync(RULES).filter((f) => f.endsWith('.yaml')),
      ...readdirSync(join(RULES, 'hosts')).map((f) => `hosts/${f}`),
    ];
    const found: string[] = [];
    for (const file of files)
      for (const h of hostsIn(readFileSync(join(RULES, file), 'utf8')))
        if (phishing.has(h) && !services.has(h)) found.push(`${file}: ${h}`);
    expect(found).toEqual([]);
  });
});

describe.skipIf(!existsSync(REFERENCE))('rules/hosts/sublime.yaml', () => {
  it('holds only entries of the upstream lists it names', () => {
    const upstream: Record<string, string> = {
      free_subdomain: 'free_subdomain_hosts.txt',
      shorteners: 'url_shorteners.txt',
      file_hosts: 'free_file_hosts.txt',
      site_builders: 'self_service_creation_platform_domains.txt',
      link_pages: 'social_landing_hosts.txt',
      click_tracking: 'bulk_mailer_url_root_domains.txt',
    };
    const lists = readYaml('hosts/sublime.yaml') as Record<string, string[]>;
    expect(Object.keys(lists).sort()).toEqual(Object.keys(upstream).sort());
    for (const [key, file] of Object.entries(upstream)) {
      const source = new Set(
        readFileSync(join(REFERENCE, file), 'utf8')
          .split('\n')
          .map((l) => l.trim().toLowerCase()),
      );
      expect(
        lists[key]!.filter((h) => !source.has(h)),
        key,
      ).toEqual([]);
    }
  });
});
