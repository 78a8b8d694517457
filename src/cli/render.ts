// Terminal rendering of a verdict in Japanese, coloured when the output is a terminal.
import type { Risk, Verdict } from '../detector/types.ts';
import { RISK_LABEL } from '../words.ts';

const COLOR: Record<Risk, string> = { high: '31', medium: '33', low: '32', unknown: '90' };

export function renderTerminal(v: Verdict, color: boolean): string {
  const paint = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const lines: string[] = [];
  lines.push(
    paint(`1;${COLOR[v.risk]}`, RISK_LABEL[v.risk]) + (v.risk === 'unknown' ? '' : `  スコア ${v.score}/100`),
  );
  if (v.brand) lines.push(`名乗っている相手: ${v.brand.name}`);
  if (v.reasons.length) {
    lines.push('', paint('1', '理由'));
    for (const r of v.reasons) {
      const mark =
        r.severity === 'high' ? '!!' : r.severity === 'medium' ? '! ' : r.severity === 'low' ? '・' : 'i ';
      lines.push(
        `  ${paint(r.severity === 'high' ? '31' : r.severity === 'medium' ? '33' : '90', mark)} ${r.message}`,
      );
    }
  }
  if (v.urls.length) {
    lines.push('', paint('1', 'リンク'));
    for (const u of v.urls) {
      const shown = u.hostUnicode ? `${u.hostUnicode} (${u.host})` : u.host;
      lines.push(
        `  ${u.official ? paint('32', '公式') : paint('31', '公式ではない')}  ${shown}  ドメイン: ${u.domain}`,
      );
    }
  }
  if (v.emails.length) {
    lines.push('', paint('1', 'メールアドレス'));
    for (const e of v.emails) lines.push(`  ${e.official ? paint('32', '公式') : '未確認'}  ${e.address}`);
  }
  if (v.phones.length) {
    lines.push('', paint('1', '電話番号'));
    for (const p of v.phones) lines.push(`  ${p.number}`);
  }
  if (v.advice.length) {
    lines.push('', paint('1', '次にすること'));
    for (const a of v.advice) lines.push(`  ・${a}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * Advice lines that only make sense in the LINE chat (press a button, send it to this talk) are left
 * out of what the command prints: nobody at a terminal can 「どうすればいい？」と送る.
 */
const LINE_ONLY = /「どうすればいい？」|そのまま送ってください/;
/** What to do when nothing could be checked, said for the command line (like its usage text). */
const CLI_UNKNOWN = 'SMSやメールの本文を、そのまま TEXT か標準入力で渡してください。';
export function forTerminal(v: Verdict): Verdict {
  const advice = v.advice.filter((a) => !LINE_ONLY.test(a));
  return { ...v, advice: advice.length ? advice : [CLI_UNKNOWN] };
}
