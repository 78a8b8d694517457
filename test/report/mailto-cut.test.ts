// The report mail link's cut: the longest beginning of the text that fits in MAX_URI, found by adding up
// each character's encoded length rather than encoding the whole link again for every length tried.
// Checked on random texts of every kind of character: the link fits, and one more character would not.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadReportRules } from '../../src/rules/report.ts';
import { enc as encode, encodedLength, MAX_URI, reportMailto } from '../../src/report/mailto.ts';

const rules = loadReportRules();
const mail = rules.report_mail;

/** As mailto.ts encodes a body: UTF-8, line breaks as CRLF. */
const enc = (s: string) => encodeURIComponent(s.replace(/\r\n?/g, '\n')).replace(/%0A/g, '%0D%0A');

// No dots, colons, slashes or @: nothing for defanging to change, so the text sent is the text given.
const piece = fc.oneof(
  fc.constantFrom(
    'お支払い',
    '確認',
    'Amazon',
    'ｱﾏｿﾞﾝ',
    '\n',
    '\r\n',
    ' ',
    '😀',
    '\ud835',
    'é',
    "-_!~*'()",
    '%&=?#',
  ),
  fc.string({ maxLength: 6 }).filter((s) => !/[.:/@。．｡]/.test(s)),
);

describe('the report mail link, cut', () => {
  it('keeps the longest beginning of the text that fits, and never more than MAX_URI', () => {
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 300, size: 'max' }), (parts) => {
        const text = `【Amazon】${parts.join('')}`;
        const uri = reportMailto(rules, { kind: 'sms', text, links: ['https://amazon-co-jp.xyz/login'] });
        expect(uri.length).toBeLessThanOrEqual(MAX_URI);
        const head = uri.slice(0, uri.indexOf('&body=') + '&body='.length);
        const body = decodeURIComponent(uri.slice(head.length)).replace(/\r\n/g, '\n');
        const sent = Array.from(text.replace(/\r\n?/g, '\n').trim().toWellFormed());
        const label = `\n${mail.label_text}：\n`;
        const tail = `…\n${mail.cut_note}`;
        if (!body.endsWith(tail)) {
          // Not cut: the whole text is there, or (too little room) none of it.
          if (body.includes(label)) expect(body.endsWith(sent.join(''))).toBe(true);
          return;
        }
        const kept = Array.from(body.slice(body.indexOf(label) + label.length, -tail.length));
        expect(kept.join('')).toBe(sent.slice(0, kept.length).join(''));
        expect(kept.length).toBeLessThan(sent.length);
        const more = body.slice(0, -tail.length) + sent[kept.length] + tail;
        expect((head + enc(more)).length).toBeGreaterThan(MAX_URI);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the report mail link, counted', () => {
  // The link is encoded once: every length tried on the way is counted, and must be the encoding's.
  it('counts what the encoding writes, for any text (line breaks, surrogate pairs and lone halves)', () => {
    const any = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc
        .array(fc.constantFrom('\r\n', '\r', '\n', '\ud83d', '\ude00', '😀', 'é', 'あ', 'a', '%', ' '), {
          maxLength: 40,
        })
        .map((xs) => xs.join('')),
    );
    fc.assert(
      fc.property(any, (s) => {
        expect(encodedLength(s)).toBe(encode(s).length);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('the report mail link, encoded', () => {
  // enc() writes the bytes itself: the same text as the standard encoding of the well-formed text.
  it('writes what encodeURIComponent writes, line breaks as CRLF and lone halves as U+FFFD', () => {
    const standard = (s: string) =>
      encodeURIComponent(s.toWellFormed().replace(/\r\n?/g, '\n')).replaceAll('%0A', '%0D%0A');
    const any = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc
        .array(
          fc.constantFrom(
            '\r\n',
            '\r',
            '\n',
            '\ud83d',
            '\ude00',
            '😀',
            'é',
            'あ',
            'a',
            '%',
            ' ',
            "-_.!~*'()",
            '&=',
          ),
          { maxLength: 60 },
        )
        .map((xs) => xs.join('')),
    );
    fc.assert(
      fc.property(any, (s) => {
        expect(encode(s)).toBe(standard(s));
      }),
      { numRuns: 2000 },
    );
    // Longer than the buffers kept between calls, then short again after a line break at the end.
    const long = 'あ\r'.repeat(5000);
    expect(encode(long)).toBe(standard(long));
    expect(encode('a\r')).toBe(standard('a\r'));
    expect(encode('')).toBe('');
  });
});
