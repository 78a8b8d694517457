// Verdicts made to order, and a detector that returns them: the conversation rules are tested on exact
// risks and links, independent of how the real detector's scoring evolves.
import type { Detector } from '../../src/detector/index.ts';
import type { Risk, Verdict } from '../../src/detector/types.ts';

export function verdict(risk: Risk, over: Partial<Verdict> = {}): Verdict {
  return {
    risk,
    score: { high: 90, medium: 50, low: 5, unknown: 0 }[risk],
    brand: null,
    scenario: null,
    reasons: [{ code: 'test', severity: 'medium', message: `${risk} の理由です。` }],
    urls: [],
    emails: [],
    phones: [],
    advice: [`${risk} のときにすることです。`],
    ...over,
  };
}

export const link = (host: string, official = false) => ({
  url: `https://${host}/login`,
  host,
  domain: host.split('.').slice(-2).join('.'),
  official,
  codes: official ? ['official_link'] : ['risky_tld_high'],
});

/** Texts the stub detector knows; anything else is low risk with no link. */
export const SCRIPTED: Record<string, Verdict> = {
  'HIGH with link': verdict('high', {
    brand: { id: 'amazon', name: 'Amazon' },
    scenario: 'payment_problem',
    urls: [link('amazon-co-jp.xyz')],
    reasons: [
      {
        code: 'brand_domain_mismatch',
        severity: 'high',
        message: 'リンク先 amazon-co-jp.xyz は公式ではありません。',
      },
    ],
    advice: ['リンクは開かず、返信や電話もしないでください。', '「どうすればいい？」と送ってください。'],
  }),
  'HIGH without contact': verdict('high'),
  'MEDIUM with phone': verdict('medium', {
    phones: [{ number: '090-1234-5678', codes: ['mobile_contact'] }],
  }),
  'MEDIUM without contact': verdict('medium'),
  'LOW with link': verdict('low', { urls: [link('www.amazon.co.jp', true)] }),
};

/** 'THROW' makes the stub fail, as a bug in the detector would. */
export function stubDetector(): Detector {
  return {
    analyze: (text) => {
      if (text.trim() === 'THROW') throw new Error('detector bug');
      return SCRIPTED[text.trim()] ?? verdict('low');
    },
  };
}
