// Logs never carry personal data: the mask, and the logger that applies it to every line.
import { describe, expect, it } from 'vitest';
import { maskDeep, maskPersonalData, pseudonym } from '../../src/log/mask.ts';
import { createLogger } from '../../src/log/logger.ts';

describe('maskPersonalData', () => {
  it.each([
    ['電話 090-1234-5678 まで', '電話 [phone] まで'],
    ['電話09012345678まで', '電話[phone]まで'],
    ['03-1234-5678', '[phone]'],
    ['０９０－１２３４－５６７８', '[phone]'],
    ['+81 90 1234 5678', '[phone]'],
    ['0120-123-456', '[phone]'],
    ['mail taro.yamada+x@example.co.jp now', 'mail [email] now'],
    ['card 4111 1111 1111 1111 ok', 'card [card] ok'],
    ['card 4111-1111-1111-1111', 'card [card]'],
    ['4111111111111111', '[card]'],
    ['see https://evil.example/login?id=123 now', 'see [url] now'],
  ])('%s', (input, masked) => {
    expect(maskPersonalData(input)).toBe(masked);
  });

  it('keeps ids, dates, durations and short numbers readable', () => {
    for (const s of [
      '01HZX3K4Q2W9E8R7T6Y5U4I3O2',
      'U4af4980629f0e5e5f0b0b0b0b0b0b0b0',
      '2026-11-25 13:27:00',
      'took 1234 ms',
      '188 and #9110',
      'status 429',
    ])
      expect(maskPersonalData(s)).toBe(s);
  });
});

describe('maskDeep', () => {
  it('drops message content by key and masks every other string, errors included', () => {
    const err = Object.assign(new Error('failed for 090-1111-2222'), {
      status: 400,
      body: '{"message":"x@y.jp"}',
    });
    const out = maskDeep({ text: 'なんでも', nested: { note: 'tel 090-1111-2222' }, err, list: ['a@b.jp'] });
    expect(out).toMatchObject({
      text: '[4 chars]',
      nested: { note: 'tel [phone]' },
      err: { type: 'Error', message: 'failed for [phone]', status: 400, body: '{"message":"[email]"}' },
      list: ['[email]'],
    });
  });

  it('pseudonyms are stable, short and do not contain the id', () => {
    const id = 'U' + 'f'.repeat(32);
    expect(pseudonym(id)).toBe(pseudonym(id));
    expect(pseudonym(id)).toHaveLength(12);
    expect(pseudonym(id)).not.toContain('fff');
  });
});

describe('createLogger', () => {
  it('masks messages, fields and errors on every line', () => {
    const lines: string[] = [];
    const log = createLogger('info', { write: (s: string) => void lines.push(s) });
    log.info({ text: '本文 090-1234-5678', who: 'a@b.jp' }, 'got 090-1234-5678');
    log.child({ user: 'x@y.jp' }).error({ err: new Error('bad card 4111 1111 1111 1111') }, 'oops');
    const all = lines.join('');
    expect(all).not.toMatch(/090-1234-5678|a@b\.jp|x@y\.jp|4111 1111|本文/);
    expect(all).toContain('[phone]');
    expect(all).toContain('[email]');
    expect(all).toContain('[card]');
  });
});
