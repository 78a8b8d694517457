// rules/playbooks.yaml, contacts.yaml, intents.yaml, guide.yaml: they load, every reference holds,
// nothing a person will act on is written outside contacts.yaml, and merged playbooks keep the order
// that limits the damage.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RULES_DIR, RuleFileError } from '../../src/rules/load.ts';
import { ACTION_INTENTS, type ActionIntent } from '../../src/rules/schema.ts';
import { composeSteps } from '../../src/guide/compose.ts';
import { loadGuide, type Guide } from '../../src/guide/load.ts';
import { contactsBlock, packTexts, renderStep, stepMemo } from '../../src/guide/render.ts';
import { loadGuideRules, type GuideRules } from '../../src/rules/guide.ts';

const rules: GuideRules = loadGuideRules();
const TOP_BRANDS = [
  'amazon',
  'rakuten',
  'smbc_card',
  'jcb',
  'aeon_card',
  'eki_net',
  'au',
  'docomo',
  'softbank',
  'yamato',
  'sagawa',
  'japan_post',
  'nta',
];

/** Every step as the person would see it, for a set of intents and a brand. */
function rendered(intents: ActionIntent[], brand: string | null, scenario: string | null = null): string[] {
  const ids = composeSteps(rules, intents, { brand, scenario });
  const b = brand ? rules.brands.get(brand)! : null;
  return ids.map((id, i) => renderStep(rules, rules.steps.get(id)!, i + 1, ids.length, false, b));
}

describe('the rule files', () => {
  it('load, with every playbook of the issue and the contacts of the researcher', () => {
    expect(rules.contacts.size).toBe(46);
    for (const i of ACTION_INTENTS) expect(rules.playbooks.playbooks[i].length, i).toBeGreaterThan(0);
    for (const c of rules.contacts.values()) {
      expect(c.source, c.id).toMatch(/^https?:\/\//);
      expect(c.note.length, c.id).toBeGreaterThan(5);
    }
  });

  it('every step has words, a memo line, and contacts that exist', () => {
    for (const s of rules.steps.values()) {
      expect(s.text.trim().length, s.id).toBeGreaterThan(5);
      expect(s.memo.trim().length, s.id).toBeGreaterThan(2);
      for (const id of [...s.contacts, ...s.sources])
        expect(rules.contacts.has(id), `${s.id}: ${id}`).toBe(true);
      for (const m of `${s.text}${s.text_with_brand ?? ''}${s.memo}`.matchAll(/\{(\w+):(\w+)\}/g))
        expect(rules.contacts.has(m[2]!), `${s.id}: ${m[0]}`).toBe(true);
    }
  });

  it('renders every step completely, with and without each brand', () => {
    const brands = [null, ...Object.keys(rules.playbooks.brands), ...TOP_BRANDS];
    for (const brand of brands) {
      for (const intent of ACTION_INTENTS) {
        for (const t of rendered([intent], brand)) {
          expect(t, `${intent}/${brand}`).not.toMatch(/[{}]/);
          expect(t).not.toMatch(/安全です|安心です/);
        }
      }
    }
    for (const s of rules.steps.values()) expect(stepMemo(rules, s, null)).not.toMatch(/[{}]/);
  });

  it('shows no phone number, link or address that is not in contacts.yaml or brands.yaml', () => {
    const facts = [...rules.contacts.values()].flatMap((c) =>
      [c.phone, c.email, c.url, c.hours, c.note].filter((x) => x !== undefined),
    );
    const brandFacts = [...rules.brands.values()].flatMap((b) => [
      ...b.domains.map((d) => d.domain),
      b.official_check?.text ?? '',
    ]);
    const brands = [null, ...Object.keys(rules.playbooks.brands), ...TOP_BRANDS];
    const all = new Set<string>();
    for (const brand of brands)
      for (const i of ACTION_INTENTS) for (const t of rendered([i], brand)) all.add(t);
    for (const t of all) {
      for (const n of t.match(/#?\d[\d-]{2,}\d/g) ?? [])
        expect(
          facts.some((f) => f.includes(n)),
          `number ${n} in:\n${t}`,
        ).toBe(true);
      for (const u of t.match(/https?:\/\/[^\s）」、。]+|[\w.+-]+@[\w.-]+/g) ?? [])
        expect(facts.some((f) => f === u) || brandFacts.some((f) => f.includes(u)), `${u} in:\n${t}`).toBe(
          true,
        );
      // Hosts are written as typed: every one is an official domain of brands.yaml or a contact's page.
      for (const d of t.match(/[a-z0-9-]+(?:\.[a-z0-9-]+)+/g) ?? []) {
        const host = d;
        expect(
          brandFacts.some((f) => f.includes(host)) || facts.some((f) => f.includes(host)),
          `${host} in:\n${t}`,
        ).toBe(true);
      }
    }
  });

  it('where no verified number exists, points to the back of the card or the official site', () => {
    const card = rendered(['entered_card'], null).join('\n');
    expect(card).toContain('カードの裏面');
    expect(card).toContain('公式サイト');
    expect(rendered(['entered_bank'], null).join('\n')).toContain('公式サイト');
    expect(rendered(['carrier_billing'], null).join('\n')).toContain('公式サイト');
    // A contact without a number, address or page shows nothing in the list (its note backs the words).
    expect(contactsBlock(rules, ['card_lost_general'])).toBeNull();
    expect(contactsBlock(rules, ['consumer_hotline'])).toContain('電話 188');
  });

  it('has no intent word in two groups', async () => {
    const guide: Guide = await loadGuide();
    const { vocab, rootChild, edges, groups } = guide.matcher.index;
    // Each node's words, from its parent's (nodes are numbered breadth first: a parent before its children).
    const names = [...vocab.keys()];
    const paths = new Map<number, string[]>([[0, []]]);
    const below = [...edges].map(([edge, child]) => ({
      parent: Math.floor(edge / names.length),
      edge,
      child,
    }));
    rootChild.forEach((child, key) => child >= 0 && paths.set(child, [names[key]!]));
    for (const { parent, edge, child } of below.sort((a, b) => a.child - b.child))
      paths.set(child, [...paths.get(parent)!, names[edge % names.length]!]);
    const clashes = groups.flatMap((g, node) =>
      g.length > 1
        ? [`${paths.get(node)!.join(' ')}: ${g.map((i) => JSON.stringify(guide.matcher.terms[i]))}`]
        : [],
    );
    expect(clashes).toEqual([]);
  });
});

describe('what each playbook covers (issue 4)', () => {
  const text = (i: ActionIntent, brand: string | null = null) => rendered([i], brand).join('\n');

  it('card entered: the number on the back, stop and reissue, statements, chargeback', () => {
    const t = text('entered_card');
    for (const w of ['紛失・盗難', 'カードの裏面', '再発行', '明細', '取り消しや補償'])
      expect(t).toContain(w);
  });
  it('password entered: official site or app typed, reused passwords, two-step, other sessions, history', () => {
    const t = text('entered_password');
    for (const w of ['自分で', 'ほかのサービス', '2段階認証', 'ログアウト', '注文の履歴', 'お知らせ'])
      expect(t).toContain(w);
  });
  it('banking credentials: the bank at once, the police when money moved', () => {
    const t = text('entered_bank');
    for (const w of ['すぐにその銀行に電話', '#9110', '110']) expect(t).toContain(w);
  });
  it('money sent: police, the bank and 188 in the first step, freezing the account', () => {
    const steps = rendered(['money_sent'], null);
    for (const w of ['警察', '110', '#9110', '銀行', '凍結', '188']) expect(steps[0]).toContain(w);
    expect(steps[1]).toContain('預金保険機構');
  });
  it('personal data: follow-up scams, 188', () => {
    const t = text('entered_personal');
    expect(t).toContain('別の詐欺');
    expect(t).toContain('188');
  });
  it('carrier billing: the carrier, a limit', () => {
    const t = text('carrier_billing');
    expect(t).toContain('携帯電話会社');
    expect(t).toContain('上限');
  });
  it('gift cards: the issuer at once', () => {
    const steps = rendered(['gift_card'], null);
    expect(steps[0]).toContain('発行会社');
    expect(steps[0]).toContain('https://www.amazon.co.jp/gp/aw/help/id=201541660');
  });
  it('app or profile installed: airplane mode, remove, passwords from another device, carrier shop', () => {
    const t = text('app_installed');
    for (const w of ['機内モード', '削除', 'プロファイル', '別の機器', '携帯電話ショップ'])
      expect(t).toContain(w);
  });
  it('called the number, replied: stop, and say what was given', () => {
    expect(text('called_number')).toContain('電話しないで');
    expect(text('replied')).toContain('返信しないで');
  });
  it('nothing done: delete, block, report to フィッシング対策協議会 and the carrier', () => {
    const t = text('nothing_done');
    for (const w of [
      '削除',
      'ブロック',
      'フィッシング対策協議会',
      'info@antiphishing.jp',
      'ドコモ',
      'ソフトバンク',
    ])
      expect(t).toContain(w);
  });
  it('opened the link only: close the page, the two checks (entered anything? an app?), delete', () => {
    const steps = rendered(['opened_link'], null);
    expect(steps[0]).toContain('閉じて');
    expect(steps[0]).toContain('入力しなかったか');
    expect(steps[1]).toContain('アプリ');
    expect(steps.at(-1)).toContain('削除');
  });
  it('a code given away: LINE first, then family and friends told by another way', () => {
    const steps = rendered(['code_sent'], null);
    expect(steps[0]).toContain('LINEヘルプセンター');
    expect(steps[0]).toContain('help.line.me');
    expect(steps[1]).toContain('LINE以外の方法');
  });
});

describe('merging playbooks', () => {
  it('puts the most urgent first and shows a shared step once', () => {
    const ids = composeSteps(rules, ['opened_link', 'entered_card', 'money_sent'], {
      brand: null,
      scenario: null,
    });
    expect(ids.slice(0, 2)).toEqual(['money_police', 'card_stop']);
    expect(ids.indexOf('card_stop')).toBeLessThan(ids.indexOf('card_statement'));
    // Opened the link, then entered the card: "did you enter anything?" no longer applies.
    expect(ids).not.toContain('link_entered_check');
    expect(ids.length).toBeLessThanOrEqual(rules.playbooks.max_steps);
    expect(new Set(ids).size).toBe(ids.length);
    const urgency = ids.map((id) => rules.steps.get(id)!.urgency);
    expect(urgency).toEqual([...urgency].sort((a, b) => a - b));
  });

  it('drops "nothing done" once something was done', () => {
    expect(composeSteps(rules, ['nothing_done', 'opened_link'], { brand: null, scenario: null })).toEqual(
      composeSteps(rules, ['opened_link'], { brand: null, scenario: null }),
    );
  });

  it('reports before deleting the message', () => {
    const ids = composeSteps(rules, ['nothing_done'], { brand: null, scenario: null });
    expect(ids.indexOf('msg_report')).toBeLessThan(ids.indexOf('msg_delete_block'));
  });
});

describe('brand-specific steps', () => {
  it('Amazon: アカウントサービス → メッセージセンター, and the official site to type', () => {
    const t = rendered(['entered_password'], 'amazon').join('\n');
    expect(t).toContain('「アカウントサービス」→「メッセージセンター」');
    expect(t).toContain('Amazonの公式サイト（amazon.co.jp）');
    expect(rendered(['nothing_done'], 'amazon').join('\n')).toContain('メッセージセンター');
  });

  it('each top brand of the issue changes what is said', () => {
    for (const brand of TOP_BRANDS) {
      const differs = ACTION_INTENTS.some((i) => rendered([i], brand).join() !== rendered([i], null).join());
      expect(differs, brand).toBe(true);
    }
    expect(rendered(['entered_card'], 'smbc_card').join()).toContain('あんしん利用制限サービス');
    expect(rendered(['entered_card'], 'jcb').join()).toContain('24時間・年中無休');
    expect(rendered(['entered_card'], 'aeon_card').join()).toContain('イオンウォレット');
    expect(rendered(['nothing_done'], 'nta').join()).toContain('メッセージボックス');
    expect(rendered(['nothing_done'], 'sagawa').join()).toContain('sagawa-exp.co.jp');
    expect(rendered(['app_installed'], 'docomo').join()).toContain('151');
  });

  it('a story adds its step only when no brand is known', () => {
    expect(composeSteps(rules, ['nothing_done'], { brand: null, scenario: 'delivery' })).toContain(
      'delivery_check',
    );
    expect(composeSteps(rules, ['nothing_done'], { brand: 'amazon', scenario: 'delivery' })).not.toContain(
      'delivery_check',
    );
  });
});

describe('a broken rule file stops start-up with the file, the place and the problem', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'guide-rules-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const broken = (file: string, from: string, to: string) => {
    cpSync(DEFAULT_RULES_DIR, dir, { recursive: true });
    const original = readFileSync(join(DEFAULT_RULES_DIR, file), 'utf8');
    expect(original).toContain(from);
    writeFileSync(join(dir, file), original.replace(from, to));
    try {
      loadGuideRules(dir);
    } catch (err) {
      expect(err).toBeInstanceOf(RuleFileError);
      return (err as Error).message;
    }
    throw new Error('loaded a broken file');
  };

  it('an unknown contact', () => {
    expect(broken('playbooks.yaml', 'contacts: [consumer_hotline]', 'contacts: [consumer_hotlines]')).toBe(
      'rules/playbooks.yaml: steps.consult_188.contacts.0: unknown contact "consumer_hotlines"',
    );
  });
  it('a phone number written into a step', () => {
    expect(
      broken(
        'playbooks.yaml',
        '消費者ホットライン（{phone:consumer_hotline}）に相談できます',
        '消費者ホットライン（188）に相談できます',
      ),
    ).toMatch(/^rules\/playbooks\.yaml: steps\.consult_188\.text: phone numbers come from contacts\.yaml/);
  });
  it('a placeholder for a detail the contact does not have', () => {
    expect(
      broken('playbooks.yaml', '{phone:police_emergency_110}番、', '{phone:police_cyber_online_form}番、'),
    ).toBe(
      'rules/playbooks.yaml: steps.money_police.text: {phone:police_cyber_online_form}: contact "police_cyber_online_form" has no phone',
    );
  });
  it('a step no playbook uses, a brand that does not exist', () => {
    expect(
      broken(
        'playbooks.yaml',
        '  consult_188:\n    urgency: 60',
        '  unused_step:\n    urgency: 1\n    text: 使われないステップです。\n    memo: 使わなかった\n  consult_188:\n    urgency: 60',
      ),
    ).toBe('rules/playbooks.yaml: steps.unused_step: not used by any playbook');
    expect(
      broken(
        'playbooks.yaml',
        '  smbc_card:\n    - id: smbc_card_stop',
        '  smbc_cards:\n    - id: smbc_card_stop',
      ),
    ).toBe('rules/playbooks.yaml: brands.smbc_cards: "smbc_cards" is not a brand of brands.yaml');
  });
  it('a contact with a malformed number, or a duplicate id', () => {
    expect(broken('contacts.yaml', 'phone: "03-5340-3333"', 'phone: "03 5340 3333"')).toMatch(
      /^rules\/contacts\.yaml: contacts\.\d+\.phone: phone number like/,
    );
    expect(broken('contacts.yaml', '- id: police_emergency_110', '- id: police_consultation_9110')).toMatch(
      /^rules\/contacts\.yaml: contacts\.\d+\.id: duplicate id "police_consultation_9110"/,
    );
  });
  it('a missing playbook, an unknown act, a button label too long for LINE', () => {
    // Every intent must have its playbook and its label: start-up names the one missing.
    expect(broken('playbooks.yaml', '  replied: [reply_stop,', '  replies: [reply_stop,')).toMatch(
      /^rules\/playbooks\.yaml: playbooks\.replied: Invalid input: expected array, received undefined; playbooks: Unrecognized key: "replies"/,
    );
    expect(broken('guide.yaml', '  replied: メッセージに返信した\n', '')).toMatch(
      /^rules\/guide\.yaml: intent_labels\.replied: Invalid input/,
    );
    expect(
      broken(
        'intents.yaml',
        '{ thing: link, act: open, intent: opened_link }',
        '{ thing: link, act: opens, intent: opened_link }',
      ),
    ).toBe('rules/intents.yaml: pairs.0.act: "opens" is not one of acts');
    expect(
      broken(
        'guide.yaml',
        '  done: できた\n',
        '  done: できたらこのボタンを押してくださいね、お願いします\n',
      ),
    ).toMatch(/^rules\/guide\.yaml: buttons\.done: /);
  });
});

describe('まとめて見る in several messages', () => {
  it('splits at the text limit, never inside a step, and stops at one reply', () => {
    const parts = ['見出し', 'a'.repeat(40), 'b'.repeat(40), 'c'.repeat(40)];
    expect(packTexts(parts, '続きは…', 100, 5)).toEqual([
      `見出し\n\n${'a'.repeat(40)}\n\n${'b'.repeat(40)}`,
      'c'.repeat(40),
    ]);
    expect(packTexts(parts, '続きは…', 44, 5)).toEqual([
      '見出し',
      'a'.repeat(40),
      'b'.repeat(40),
      'c'.repeat(40),
    ]);
    expect(packTexts(parts, '続きは…', 44, 3)).toEqual(['見出し', 'a'.repeat(40), '続きは…']);
    // The longest guide there is still fits in one reply.
    const blocks = rendered([...ACTION_INTENTS], 'docomo');
    const texts = packTexts(['heading', ...blocks], 'more');
    expect(texts.length).toBeLessThanOrEqual(5);
    expect(texts.join('\n\n').match(/^ステップ /gm)).toHaveLength(blocks.length);
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(5000);
  });
});
