// The bot's words (src/words.ts) and rules/replies.yaml (src/rules/replies.ts): loads, keeps to the house
// rules, and typed commands map to the buttons.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commandFor, fill, renderAnswer } from '../src/words.ts';
import { DEFAULT_REPLIES_FILE, loadCopy } from '../src/rules/replies.ts';
import { RuleFileError } from '../src/rules/load.ts';
import { checkMessages } from '../src/line/limits.ts';
import { text } from '../src/line/messages.ts';

const copy = loadCopy();

describe('replies', () => {
  it('every answer renders completely (no placeholder left) and fits one LINE text with the buttons', () => {
    for (const [name, answer] of Object.entries(copy.answers)) {
      if (typeof answer === 'string') continue;
      const t = renderAnswer(answer, {
        when: '今日 9:00',
        brand_part: '',
        title: '危険',
        minutes: 10,
        summary: '詐欺の可能性が高いメッセージです。',
      });
      expect(t, name).not.toMatch(/[{}]/);
      expect(checkMessages([text(t, copy)]), name).toEqual([]);
    }
  });

  it('the file refuses an all-clear wording and says where the problem is', () => {
    const dir = mkdtempSync(join(tmpdir(), 'replies-'));
    try {
      const file = join(dir, 'replies.yaml');
      const original = readFileSync(DEFAULT_REPLIES_FILE, 'utf8');
      writeFileSync(
        file,
        original.replace(/low: 危険なサインは見つかりませんでした。[^\n]*/, 'low: 安全です。'),
      );
      expect(() => loadCopy(file)).toThrow(RuleFileError);
      expect(() => loadCopy(file)).toThrow(
        /rules\/replies\.yaml: verdict\.summary\.low: must not say 安全です/,
      );
      writeFileSync(
        file,
        original.replace(
          '  usage: 使い方\n',
          '  usage: これはとても長いボタンの名前でLINEの上限を超えます\n',
        ),
      );
      expect(() => loadCopy(file)).toThrow(/buttons\.usage/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('maps typed words to the buttons, but not a forwarded message that happens to contain them', () => {
    expect(commandFor(copy, 'どうすればいい？')).toBe('help');
    expect(commandFor(copy, ' どうすればいい? ')).toBe('help');
    expect(commandFor(copy, 'どうしたらいいですか')).toBe('help');
    expect(commandFor(copy, 'リンクを開いてしまった')).toBe('opened_link');
    expect(commandFor(copy, '情報を入力してしまった！')).toBe('entered_info');
    expect(commandFor(copy, 'ヘルプ')).toBe('usage');
    expect(commandFor(copy, 'HELP')).toBe('usage');
    expect(commandFor(copy, 'アプリの使い方が変わりました。こちらから確認 https://x.example/')).toBeNull();
    expect(commandFor(copy, 'どうすればいい？と聞かれたら、このリンクを開いてください')).toBeNull();
  });
});

describe('fill', () => {
  // fill splits each template at its placeholders once and keeps the pieces: the same text as the
  // regex replace it replaced, for any template, known and unknown names (and names on Object's
  // prototype) alike, filled again and again.
  const reference = (t: string, vars: Record<string, string | number>) =>
    t.replace(/\{(\w+)\}/g, (m, key: string) => (key in vars ? String(vars[key]) : m));
  const piece = fc.oneof(
    fc.constantFrom('{brand}', '{count}', '{unknown}', '{toString}', '{', '}', '{{brand}}', '{ brand}', '{}'),
    fc.string({ maxLength: 5 }),
  );
  it('gives what a regex replace of {name} gives', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), fc.string({ maxLength: 4 }), (parts, value) => {
        const t = parts.join('');
        const vars = { brand: value, count: 3 };
        expect(fill(t, vars)).toBe(reference(t, vars));
        expect(fill(t, {})).toBe(reference(t, {}));
      }),
      { numRuns: 500 },
    );
  });
});
