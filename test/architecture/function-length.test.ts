// No function in src/ or webhooks/ runs over 80 lines, unless a `// long: why` comment just above it
// says why (a long function is hard to read and test in one look). Function declarations, methods,
// function expressions and arrow functions all count, nested ones separately.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const MAX_LINES = 80;
/**
 * Files left out of the check while another branch reshapes them (the lead lists them and empties the
 * list when they land). Empty: every long function is split or carries its reason.
 */
const SKIPPED: string[] = [];

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.ts$/.test(f) && !f.endsWith('.d.ts'))
    .map((f) => join(dir, f).replaceAll('\\', '/'));
}

function nameOf(node: ts.Node, source: ts.SourceFile): string {
  const named = node as ts.Node & { name?: ts.Node };
  if (named.name) return named.name.getText(source);
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) return parent.name.getText(source);
  if (ts.isCallExpression(parent)) return `callback of ${parent.expression.getText(source).slice(0, 40)}`;
  return '(anonymous)';
}

/** A `// long:` comment right above the function, or above the statement that holds it. */
function excused(node: ts.Node, text: string): boolean {
  let at: ts.Node = node;
  while (at.parent && !ts.isSourceFile(at.parent) && at.parent.getStart() === node.getStart()) at = at.parent;
  const holders = [node, at, node.parent, node.parent?.parent].filter((n): n is ts.Node => !!n);
  return holders.some((n) =>
    (ts.getLeadingCommentRanges(text, n.getFullStart()) ?? []).some((c) =>
      /^\/\/\s*long:\s*\S/.test(text.slice(c.pos, c.end)),
    ),
  );
}

/** Functions longer than `max` lines without a `// long:` reason, as "file:line name (n lines)". */
export function longFunctions(file: string, text: string, max = MAX_LINES): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = last - first + 1;
      if (lines > max && !excused(node, text))
        found.push(`${file}:${first + 1} ${nameOf(node, source)} (${lines} lines)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('function length', () => {
  it(`has no function over ${MAX_LINES} lines without a "// long: why" comment`, () => {
    const files = [...sources('src'), ...sources('webhooks')].filter(
      (f) => !SKIPPED.some((p) => f.startsWith(p)),
    );
    const found = files.flatMap((f) => longFunctions(f, readFileSync(join(ROOT, f), 'utf8')));
    expect(found).toEqual([]);
  });

  it('counts nested functions and accepts a reason given above', () => {
    const body = (n: number) => Array.from({ length: n }, (_, i) => `  x${i}();`).join('\n');
    const src = `function outer() {\n  const inner = () => {\n${body(5)}\n  };\n${body(3)}\n}\n`;
    expect(longFunctions('a.ts', src, 8)).toEqual(['a.ts:1 outer (12 lines)']);
    expect(longFunctions('a.ts', src, 4)).toEqual(['a.ts:1 outer (12 lines)', 'a.ts:2 inner (7 lines)']);
    expect(longFunctions('a.ts', `// long: one table of cases\n${src}`, 8)).toEqual([]);
    expect(longFunctions('a.ts', `// a comment\n${src}`, 8)).toEqual(['a.ts:2 outer (12 lines)']);
  });
});
