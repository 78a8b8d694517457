// defangText is a linear scanner now; these are the regexes it replaced. On short texts (where their
// cost does not matter) both must give the same result, character for character.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defangHost, defangText } from '../../src/line/defang.ts';

const URL_LIKE = /\b([a-z][a-z0-9+.-]*):\/\/([^\s<>"'「」（）()、。]+)/gi;
const HOST_LIKE = /(?<![\p{L}\p{N}_-])(?:[\p{L}\p{N}_-]+\.)+\p{L}[\p{L}\p{N}-]+/gu;
const IPV4 = /(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d.])/g;

function reference(text: string): string {
  return text
    .replace(URL_LIKE, (_, scheme: string, rest: string) => {
      const s = scheme.toLowerCase().replace(/^http/, 'hxxp');
      return `${s}[:]//${defangHost(rest)}`;
    })
    .replace(HOST_LIKE, (m) => defangHost(m))
    .replace(IPV4, (m) => defangHost(m));
}

const PIECES = [
  'a',
  'B',
  'x',
  'co',
  'jp',
  '1',
  '9',
  '.',
  '.',
  '..',
  '-',
  '_',
  '+',
  ':',
  '://',
  '/',
  ' ',
  '\n',
  '例',
  'え',
  '。',
  '．',
  '「',
  '」',
  '(',
  ')',
  '"',
  "'",
  '<',
  '>',
  'http',
  'https://',
  'hxxp',
  'www.',
  '.com',
  '.co.jp',
  '192.168.0.1',
  '1.5倍',
  'No.1',
  '@',
  'é',
  '𝐚',
  '\u3000',
  '_x',
  'Ab',
  '０',
];
const text = fc.array(fc.constantFrom(...PIECES), { maxLength: 24 }).map((xs) => xs.join(''));

describe('defangText', () => {
  it('gives what the regexes it replaced gave', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(defangText(t)).toBe(reference(t));
      }),
      { numRuns: 5000 },
    );
  });

  it('also on any short string', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40, unit: 'binary' }), (t) => {
        expect(defangText(t)).toBe(reference(t));
      }),
      { numRuns: 3000 },
    );
  }, 30_000);

  it('defangs links, hosts, mail domains and IPv4 addresses; leaves numbers alone', () => {
    expect(defangText('https://amazon-co-jp.xyz/login 1.5倍 No.1 support@evil.top 10.0.0.1')).toBe(
      'hxxps[:]//amazon-co-jp[.]xyz/login 1.5倍 No.1 support@evil[.]top 10[.]0[.]0[.]1',
    );
    expect(defangText('例え.jp と ftp://a.b')).toBe('例え[.]jp と ftp[:]//a[.]b');
  });
});
