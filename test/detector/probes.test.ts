// The failure classes of issue 10, each probed with hand-written scams and their genuine twins
// (test/detector/probes.ts): scams are 注意 or 危険, genuine notices that lead only to the organisation's own
// channels are never 危険 (mostly 危険なサインは見つかりません), and the card says why.
import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../src/detector/index.ts';
import { useDetector } from '../support/detector.ts';
import { reasonCodes } from '../support/verdict.ts';
import { GENUINE, SCAMS, type Probe } from './probes.ts';

const { check } = useDetector();

const flagged = (v: Verdict) => v.risk === 'high' || v.risk === 'medium';

function expectProbe(p: Probe): void {
  const v = check(p.text);
  const seen = `${v.risk} ${v.score} ${v.brand?.id ?? '-'} ${v.scenario ?? '-'} [${reasonCodes(v).join(' ')}]`;
  if (p.expect === 'flag') expect(flagged(v), seen).toBe(true);
  else if (p.expect === 'calm') expect(v.risk, seen).toBe('low');
  else expect(v.risk, seen).not.toBe('high');
  if (p.brand !== undefined) expect(v.brand?.id ?? null, seen).toBe(p.brand);
  if (p.reason) expect(reasonCodes(v), seen).toContain(p.reason);
  if (p.scenario) expect(v.scenario, seen).toBe(p.scenario);
}

describe.each(GENUINE.map((c) => [c.name, c.probes] as const))('genuine: %s', (_, probes) => {
  it.each(probes.map((p) => [p.text.slice(0, 30).replace(/\n/g, ' '), p] as const))('%s', (_, p) =>
    expectProbe(p),
  );
});

describe.each(SCAMS.map((c) => [c.name, c.probes] as const))('scam: %s', (_, probes) => {
  it.each(probes.map((p) => [p.text.slice(0, 30).replace(/\n/g, ' '), p] as const))('%s', (_, p) =>
    expectProbe(p),
  );
});

describe('the card says why a genuine notice is calm', () => {
  it('names the official domain the links lead to', () => {
    const p = GENUINE[0]!.probes[1]!;
    const why = check(p.text).reasons.find((r) => r.code === 'official_channels_only');
    expect(why?.message).toContain('rakuten.co.jp');
    expect(why?.message).toMatch(/公式/);
  });
});
