// Benchmarks, reported and never asserted: npm run bench [-- SECTION ...]
// Every scripts/bench/*.ts is a section that exports `run(): Promise<Section>`. The runner prints each
// section's table and rewrites BENCHMARKS.md: the header, and the sections that ran, between their
// <!-- bench:NAME --> markers. Sections that did not run keep their earlier figures. A missed target is
// marked MISSED and still exits 0; only a section that crashes makes the exit code non-zero.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import type { Row, Section } from './bench/lib/report.ts';

const SECTIONS_DIR = new URL('./bench/', import.meta.url);
const OUTPUT = new URL('../BENCHMARKS.md', import.meta.url);

const available = readdirSync(SECTIONS_DIR)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -'.ts'.length))
  .sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((n) => !available.includes(n));
if (unknown.length > 0) {
  console.error(`unknown section ${unknown.join(', ')}; available: ${available.join(', ')}`);
  process.exit(2);
}
const names = wanted.length > 0 ? available.filter((n) => wanted.includes(n)) : available;

const cpus = os.cpus();
const machine = `${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cpus.length} cores, ${os.type()} ${os.release()}, Node ${process.version}`;
const when = new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC';

const blocks = readBlocks(existsSync(OUTPUT) ? readFileSync(OUTPUT, 'utf8') : '');
let missed = 0;
let crashed = 0;
for (const name of names) {
  console.error(`bench: ${name} …`);
  try {
    const mod = (await import(new URL(`${name}.ts`, SECTIONS_DIR).href)) as { run?: () => Promise<Section> };
    if (typeof mod.run !== 'function') throw new Error(`scripts/bench/${name}.ts exports no run()`);
    const loadBefore = os.loadavg()[0]!;
    const section = await mod.run();
    // Other work on a shared machine slows wall-clock figures down; say how busy it was.
    section.notes.push(
      `1-minute load average before / after: ${loadBefore.toFixed(2)} / ${os.loadavg()[0]!.toFixed(2)} (${cpus.length} cores).`,
    );
    console.log(toText(section));
    blocks.set(name, toMarkdown(name, section));
    missed += section.rows.filter((r) => r[3] === false).length;
  } catch (err) {
    crashed++;
    console.error(`bench: section ${name} failed; BENCHMARKS.md keeps its earlier figures\n`, err);
  }
}

writeFileSync(OUTPUT, toDocument(blocks, names));
console.log(
  `${missed === 0 ? 'all targets met' : `${missed} target(s) MISSED`}; wrote ${OUTPUT.pathname.split('/').at(-1)}`,
);
if (crashed > 0) process.exitCode = 1;

/** The sections already in the file, by name, markers included. */
function readBlocks(doc: string): Map<string, string> {
  const blocks = new Map<string, string>();
  for (const m of doc.matchAll(/<!-- bench:([\w-]+) -->\n[\s\S]*?<!-- \/bench:\1 -->/g))
    blocks.set(m[1]!, m[0]);
  return blocks;
}

function verdict(ok: Row[3]): string {
  return ok === null ? '' : ok ? 'ok' : 'MISSED';
}

function toText(s: Section): string {
  const rows = s.rows.map(([metric, measured, target, ok]) => [metric, measured, target, verdict(ok)]);
  const width = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) =>
    r
      .map((cell, i) => cell.padEnd(width[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
  return [`\n== ${s.title} (${s.command}) ==`, ...lines, ...s.notes.map((n) => `  · ${n}`), ''].join('\n');
}

function toMarkdown(name: string, s: Section): string {
  const cell = (x: string) => x.replaceAll('|', '\\|');
  const met = (ok: Row[3]) => (ok === null ? '' : ok ? 'yes' : '**MISSED**');
  return [
    `<!-- bench:${name} -->`,
    `## ${s.title}`,
    '',
    `\`${s.command}\` · ${when} · ${machine}`,
    '',
    '| metric | measured | target | met? |',
    '| --- | --- | --- | --- |',
    ...s.rows.map(
      ([metric, measured, target, ok]) =>
        `| ${cell(metric)} | ${cell(measured)} | ${cell(target)} | ${met(ok)} |`,
    ),
    '',
    ...s.notes.map((n) => `- ${n}`),
    `<!-- /bench:${name} -->`,
  ].join('\n');
}

function toDocument(blocks: Map<string, string>, ran: string[]): string {
  // Sections in file-name order; sections whose script is gone stay at the end rather than vanish.
  const order = [
    ...available.filter((n) => blocks.has(n)),
    ...[...blocks.keys()].filter((n) => !available.includes(n)),
  ];
  const header = [
    '# Benchmarks',
    '',
    'Produced by `npm run bench` (all sections) or `npm run bench -- NAME` (one section; the others keep their',
    'earlier figures). Each section names the date, machine and Node version it was measured with. These are',
    'reports, not tests: a missed target is marked **MISSED**. Generated file: change scripts/bench/, not this.',
    '',
    `Last run: ${when}, section(s) ${ran.join(', ')}, on ${machine}.`,
  ].join('\n');
  return [header, ...order.map((n) => blocks.get(n)!)].join('\n\n') + '\n';
}
