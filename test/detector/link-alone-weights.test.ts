// A link sent on its own and the same link inside a message are different evidence: link signs carry a
// second, fitted weight (`alone`) for a bare link. Hosts are made up (none is from ../shared/eval).
import { beforeAll, describe, expect, it } from 'vitest';
import type { InspectableDetector } from '../../src/detector/index.ts';
import { points, weightOf } from '../../src/detector/score.ts';
import { DEFAULT_FIT, fit, type Item } from '../../scripts/fit.ts';
import { sharedDetector } from '../support/detector.ts';
import { rules } from '../support/verdict.ts';

let d: InspectableDetector;
beforeAll(async () => {
  d = (await sharedDetector()) as InspectableDetector;
}, 60_000);

describe('a message that is nothing but a link', () => {
  it.each([
    ['https://bit.ly/3kQmZpw', true],
    ['https://example-garden.net/a https://example-shop.org/b', true],
    ['  https://example-garden.net/a\n', true],
    ['詳細はこちら https://bit.ly/3kQmZpw', false],
    ['https://example-garden.net/a 090-1234-5678', false],
    ['お荷物をお届けにあがりましたが不在のため持ち帰りました', false],
  ])('%s → linkAlone %s', (text, alone) => {
    expect(!!d.inspect(text).linkAlone).toBe(alone);
  });

  it('uses a sign’s alone weight for a bare link and its weight otherwise', () => {
    const r = structuredClone(rules.scoring);
    r.signals.shortener = { ...r.signals.shortener!, weight: 0.5, alone: 3 };
    r.signals.http_link = { ...r.signals.http_link!, weight: 1 };
    delete r.signals.http_link.alone;
    expect(weightOf(r.signals.shortener, true)).toBe(3);
    expect(weightOf(r.signals.shortener, false)).toBe(0.5);
    expect(weightOf(r.signals.http_link, true)).toBe(1);
    const feats: [string, { n: number }][] = [['shortener', { n: 1 }]];
    expect(points(r, feats, true)).toBeGreaterThan(points(r, feats, false));
  });
});

describe('npm run fit gives bare links their own weights', () => {
  const item = (over: Partial<Item> & Pick<Item, 'kind' | 'phishing' | 'alone'>, codes: string[]): Item => ({
    set: over.kind === 'text' ? 'legit_texts.jsonl' : over.phishing ? 'phish_urls.jsonl' : 'legit_urls.jsonl',
    id: String(Math.random()),
    channel: 'sms',
    fold: -1,
    heldBack: false,
    x: new Map(codes.map((c) => [c, 1])),
    allOfficial: false,
    hasContent: true,
    noRequest: false,
    unverified: over.kind === 'url',
    text: '',
    ...over,
  });

  it('does not let a few genuine texts with a short link pull down a short link sent alone', () => {
    const train: Item[] = [
      ...Array.from({ length: 4 }, () =>
        item({ kind: 'text', phishing: false, alone: false }, ['shortener']),
      ),
      ...Array.from({ length: 4 }, () => item({ kind: 'text', phishing: true, alone: false }, ['shortener'])),
      ...Array.from({ length: 40 }, () => item({ kind: 'text', phishing: false, alone: false }, [])),
      ...Array.from({ length: 40 }, () => item({ kind: 'text', phishing: true, alone: false }, ['urgency'])),
      ...Array.from({ length: 60 }, () => item({ kind: 'url', phishing: true, alone: true }, ['shortener'])),
      ...Array.from({ length: 200 }, () => item({ kind: 'url', phishing: false, alone: true }, [])),
    ];
    const model = fit(train, rules.scoring, DEFAULT_FIT);
    expect(model.alone.shortener).toBeDefined();
    expect(model.alone.shortener!).toBeGreaterThan(model.weights.shortener! + 1);
    // Signs never seen on a bare link get no alone weight (they fall back to weight).
    expect(model.alone.urgency).toBeUndefined();
  });
});
