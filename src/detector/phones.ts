// The phone step: each number in the message is a brand's own SMS sender, or a kind of number scams
// ask you to call (international, 050 IP phone, mobile) or one the source partly hid.
import type { Compiled } from './compile.ts';
import type { Extracted } from './extract.ts';
import type { SignalCode } from './signals.ts';
import type { Signal, VerdictPhone } from './types.ts';

export function phoneFindings(c: Compiled, ex: Extracted, signals: Signal[]): VerdictPhone[] {
  return ex.phones.map((p) => {
    const codes: SignalCode[] = [];
    const owner = c.brands.find((b) => b.senderDigits.has(p.digits));
    if (owner) {
      codes.push('official_sender_number');
      signals.push({ code: 'official_sender_number', vars: { number: p.raw, brandOf: owner.id } });
    } else if (p.international) codes.push('international_phone');
    else if (p.digits.startsWith('050')) codes.push('ip_phone_contact');
    else if (/^0[789]0/.test(p.digits)) codes.push('mobile_contact');
    if (p.masked) codes.push('masked_number');
    for (const code of codes)
      if (code !== 'official_sender_number') signals.push({ code, vars: { number: p.raw } });
    return { number: p.raw, codes };
  });
}
