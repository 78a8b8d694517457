// The person's own words vs a message to check (src/conversation/turn.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { ownWords } from '../../src/conversation/turn.ts';
import { loadGuide, type Guide } from '../../src/guide/load.ts';

let guide: Guide;
beforeAll(async () => {
  guide = await loadGuide();
}, 60_000);

describe('own words', () => {
  it('greetings and thanks, however written', () => {
    for (const t of ['こんにちは', 'こんにちは！', 'おはようございます。', 'はじめまして', 'Hello'])
      expect(ownWords(guide, t), t).toBe('greeting');
    for (const t of ['ありがとう', 'ありがとうございました！', '助かりました'])
      expect(ownWords(guide, t), t).toBe('thanks');
    for (const t of ['わかりました', '了解です', 'OK', 'はい', 'いいえ。'])
      expect(ownWords(guide, t), t).toBe('ok');
  });

  it('a question about a message, without the message', () => {
    for (const t of [
      'これは詐欺ですか？',
      'これ大丈夫？',
      '本当に詐欺なんですか',
      'これって本物？',
      '開いていいの',
      '詐欺？',
      'さっきのは安全でしょうか',
    ])
      expect(ownWords(guide, t), t).toBe('question');
  });

  it('anything forwarded, or that reads like a notice, is checked', () => {
    for (const t of [
      '【佐川急便】お荷物のお届けにあがりましたが不在の為持ち帰りました。',
      'https://shop-example-jp.com/',
      'お客様のアカウントが停止されました。ご確認ください',
      '未納料金があります。050-3184-2290までご連絡ください',
      'アカウントが一時停止されました。至急手続きをしてください。',
      'ヤマト運輸です。お荷物のお届け予定をお知らせします。',
      'これは詐欺ですか？ https://amazon-co-jp.xyz/',
    ])
      expect(ownWords(guide, t), t).toBeNull();
  });
});
