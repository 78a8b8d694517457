// docs/deploy.md and fly.toml, checked where they can be without flyctl or a fly.io account:
// - fly.toml parses (a strict reader of the TOML subset it uses) and its settings agree with each other
//   and with what the server expects (port, checks, volume and store path, metrics port, memory);
// - every `fly …` command in docs/deploy.md uses a subcommand and flags that flyctl documents. The flags
//   below were read from flyctl's reference pages (superfly/docs, flyctl/cmd/fly_*.md) when this was
//   written; a command added to the guide must be looked up there and added here;
// - README.md and docs/*.md link only to files inside the repository, and those files exist.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const ROOT = resolve(import.meta.dirname, '../..');
const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');

type Table = Record<string, unknown>;

/** The TOML fly.toml uses: tables, arrays of tables, `key = "string" | integer | true/false`, comments. */
function parseFlyToml(text: string): Table {
  const root: Table = {};
  let current = root;
  const tableAt = (path: string[], array: boolean): Table => {
    let t = root;
    path.forEach((key, i) => {
      const last = i === path.length - 1;
      const existing = t[key];
      if (last && array) {
        const list = (existing ?? []) as Table[];
        if (!Array.isArray(list)) throw new Error(`${path.join('.')} is not an array of tables`);
        const next: Table = {};
        list.push(next);
        t[key] = list;
        t = next;
      } else {
        const v = Array.isArray(existing) ? existing.at(-1) : (existing ?? (t[key] = {}));
        if (typeof v !== 'object' || v === null) throw new Error(`${path.join('.')} is not a table`);
        if (last && existing !== undefined && !Array.isArray(existing))
          throw new Error(`table [${path.join('.')}] defined twice`);
        t = v as Table;
      }
    });
    return t;
  };
  text.split('\n').forEach((raw, n) => {
    const line = raw.replace(/\s+#[^"]*$|^\s*#.*$/, '').trim();
    if (!line) return;
    const where = `fly.toml:${n + 1}`;
    let m = /^\[\[([a-z_.]+)\]\]$/.exec(line);
    if (m) return void (current = tableAt(m[1]!.split('.'), true));
    m = /^\[([a-z_.]+)\]$/.exec(line);
    if (m) return void (current = tableAt(m[1]!.split('.'), false));
    m = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.+)$/.exec(line);
    if (!m) throw new Error(`${where}: not understood: ${line}`);
    const [, key, value] = m as unknown as [string, string, string];
    if (key in current) throw new Error(`${where}: ${key} set twice`);
    if (/^"(?:[^"\\]|\\.)*"$/.test(value)) current[key] = JSON.parse(value);
    else if (/^-?\d+$/.test(value)) current[key] = Number(value);
    else if (value === 'true' || value === 'false') current[key] = value === 'true';
    else throw new Error(`${where}: value not understood: ${value}`);
  });
  return root;
}

const FlyToml = z.strictObject({
  app: z.string().min(1),
  primary_region: z.literal('nrt'),
  kill_signal: z.literal('SIGTERM'),
  kill_timeout: z.number().int().min(10).max(300),
  build: z.strictObject({ dockerfile: z.literal('Dockerfile') }),
  env: z.record(z.string(), z.string()),
  http_service: z.strictObject({
    internal_port: z.number().int(),
    force_https: z.literal(true),
    auto_stop_machines: z.enum(['off', 'stop', 'suspend']),
    auto_start_machines: z.boolean(),
    min_machines_running: z.number().int().min(1),
    concurrency: z.strictObject({
      type: z.enum(['requests', 'connections']),
      soft_limit: z.number().int(),
      hard_limit: z.number().int(),
    }),
    checks: z
      .array(
        z.strictObject({
          grace_period: z.string().regex(/^\d+s$/),
          interval: z.string().regex(/^\d+s$/),
          method: z.literal('GET'),
          timeout: z.string().regex(/^\d+s$/),
          path: z.enum(['/healthz', '/readyz']),
        }),
      )
      .min(1),
  }),
  metrics: z.strictObject({ port: z.number().int(), path: z.literal('/metrics') }),
  mounts: z
    .strictObject({
      source: z.string().regex(/^[a-z0-9_]+$/),
      destination: z.string().startsWith('/'),
      initial_size: z.string().regex(/^\d+gb$/),
    })
    .optional(),
  vm: z.array(z.strictObject({ size: z.string(), memory: z.string().regex(/^\d+(gb|mb)$/) })).length(1),
});

describe('fly.toml', () => {
  const toml = FlyToml.parse(parseFlyToml(read('fly.toml')));

  it('serves on the port the server listens on, with the checks and metrics it answers', () => {
    expect(toml.env.PORT).toBe(String(toml.http_service.internal_port));
    expect(toml.env.HOST).toBe('0.0.0.0');
    expect(toml.env.NODE_ENV).toBe('production');
    expect(toml.env.METRICS_PORT).toBe(String(toml.metrics.port));
    // Fly's proxy must not count a Machine healthy before it started listening.
    expect(Number(toml.http_service.checks[0]!.grace_period.slice(0, -1))).toBeGreaterThanOrEqual(10);
  });

  it('keeps SQLite on the declared volume (or, without a volume, its store in Redis)', () => {
    if (toml.mounts) {
      expect(toml.env.STORE_URL).toBe(`sqlite:${toml.mounts.destination}/sagicheck.db`);
      expect(toml.mounts.source).toBe('sagicheck_data');
    } else expect(toml.env.STORE_URL).toBeUndefined();
  });

  it('gives the server the memory BENCHMARKS.md says it needs and the time to finish its events', () => {
    expect(toml.vm[0]!.memory).toBe('1gb');
    expect(toml.kill_timeout).toBeGreaterThanOrEqual(25); // main.ts gives up after 25 s
    expect(toml.app).toMatch(/^([a-z0-9-]+|sagicheck-CHANGE-ME)$/);
  });

  it('the reader refuses what it does not understand', () => {
    expect(() => parseFlyToml('a = [1, 2]')).toThrow(/value not understood/);
    expect(() => parseFlyToml('[x]\n[x]')).toThrow(/defined twice/);
    expect(() => parseFlyToml('a = 1\na = 2')).toThrow(/set twice/);
  });
});

/** Flags per command, from superfly/docs flyctl/cmd/fly_<command>.md (global: -t, --debug, --verbose). */
const FLY_FLAGS: Record<string, string[]> = {
  'auth login': [],
  launch: ['--copy-config', '--no-deploy', '--name', '--region', '-r', '--org', '-o', '--yes', '-y'],
  deploy: ['--app', '-a', '--image', '-i', '--strategy', '--detach', '--yes', '-y'],
  'secrets set': ['--app', '-a', '--stage', '--detach'],
  'secrets list': ['--app', '-a'],
  'secrets unset': ['--app', '-a', '--stage'],
  'secrets deploy': ['--app', '-a'],
  releases: ['--app', '-a', '--image', '--json', '-j'],
  status: ['--app', '-a'],
  logs: ['--app', '-a'],
  'apps create': ['--org', '-o'],
  'volumes list': ['--app', '-a'],
  'volumes create': ['--app', '-a', '--region', '-r', '--size', '-s', '--snapshot-id', '--yes', '-y'],
  'volumes destroy': ['--app', '-a', '--yes', '-y'],
  'volumes snapshots list': ['--json', '-j'],
  'volumes snapshots create': ['--json', '-j'],
  'machine destroy': ['--app', '-a', '--force', '-f'],
  'scale count': ['--app', '-a', '--region', '-r', '--yes', '-y'],
  'scale memory': ['--app', '-a'],
  'scale vm': ['--app', '-a'],
  'redis create': ['--org', '-o', '--region', '-r'],
  'redis status': [],
};

/** `fly …` commands in the guide's shell blocks and inline code. */
function flyCommands(md: string): string[] {
  const inBlocks = [...md.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.split('\n'));
  // An inline command may wrap onto the next line; a value computed by $(…) is not a flag.
  const inline = [...md.matchAll(/`(fly [^`]+)`/g)].map((m) => m[1]!.replace(/\s*\n\s*/g, ' '));
  return [...inBlocks, ...inline]
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter((l) => l.startsWith('fly '));
}

describe('the fly commands in docs/deploy.md', () => {
  const commands = flyCommands(read('docs/deploy.md'));

  it('are the documented ones with documented flags', () => {
    expect(commands.length).toBeGreaterThan(15);
    const wrong: string[] = [];
    for (const c of commands) {
      const words = c
        .replace(/\$\([^)]*\)/g, 'VALUE')
        .split(/\s+/)
        .slice(1);
      const name = Object.keys(FLY_FLAGS)
        .filter((k) => words.slice(0, k.split(' ').length).join(' ') === k)
        .sort((a, b) => b.length - a.length)[0];
      if (!name) {
        wrong.push(`${c}: unknown command`);
        continue;
      }
      for (const w of words.slice(name.split(' ').length)) {
        const flag = w.split('=')[0]!;
        if (flag.startsWith('-') && !FLY_FLAGS[name]!.includes(flag)) wrong.push(`${c}: ${flag}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('launch copies this fly.toml and never creates the volume by hand', () => {
    expect(commands).toContain('fly launch --copy-config --no-deploy --name <app> --region nrt');
    expect(commands.filter((c) => c.startsWith('fly volumes create'))).toEqual([
      expect.stringContaining('--snapshot-id'), // restoring a snapshot is the only case
    ]);
  });
});

describe('links in the docs', () => {
  const files = [
    'README.md',
    ...readdirSync(join(ROOT, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
  ];
  it('point inside the repository, at files that exist', () => {
    const bad: string[] = [];
    for (const f of files) {
      const md = read(f);
      const targets = [
        ...[...md.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!),
        ...[...md.matchAll(/\bsrc="([^"]+)"/g)].map((m) => m[1]!),
      ];
      for (const t of targets) {
        if (/^(https?:|mailto:|#)/.test(t)) continue;
        const path = resolve(ROOT, dirname(f), t.split('#')[0]!);
        if (!path.startsWith(ROOT + '/') || !existsSync(path)) bad.push(`${f}: ${t}`);
      }
    }
    expect(bad).toEqual([]);
  });
});
