// The sender step: who a mail says it is from, whether that address is the claimed brand's own, and
// whether its other headers (Reply-To, Return-Path, Message-ID, authentication results) agree with it.
import type { Compiled, CompiledBrand } from './compile.ts';
import type { Extracted, MailAddress } from './extract.ts';
import { officialBrandsFor, officialList, ownLabels, registrable, underAny } from './hosts.ts';
import { isBrandsOwnName, keywordHit } from './links.ts';
import { governmentZone } from './government-domains.ts';
import type { Signal, VerdictEmail } from './types.ts';

/** The brand a sender domain imitates. */
export interface SenderImitation {
  brandId: string;
  name: string;
}

/** Does a sender domain imitate a brand (amazon.co.jp.evil.top, arnazon.co.jp)? */
export function imitatedBy(c: Compiled, domain: string): SenderImitation | null {
  if (
    officialBrandsFor(c.mailIndex, domain).length ||
    officialBrandsFor(c.webIndex, domain).length ||
    underAny(c.sets.freeMail, domain) ||
    governmentZone(c, domain)
  )
    return null;
  for (const e of c.embeddable) {
    if (
      domain.startsWith(e.text + '.') ||
      domain.includes('.' + e.text + '.') ||
      domain.includes(e.text + '-')
    ) {
      const b = c.brandById.get(e.brandId)!;
      return { brandId: b.id, name: b.name };
    }
  }
  const labels = ownLabels(domain);
  if (isBrandsOwnName(c, domain, labels)) return null;
  const hit = keywordHit(c, labels);
  return hit ? { brandId: hit.brandId, name: hit.name } : null;
}

export function emailFindings(
  c: Compiled,
  ex: Extracted,
  brand: CompiledBrand | null,
  senderImitation: SenderImitation | null,
  signals: Signal[],
): VerdictEmail[] {
  // A sender is official when its domain is a brand's mail domain, or the brand's web domain unless that
  // domain also gives mailboxes to the public (yahoo.co.jp, icloud.com, docomo.ne.jp).
  const isOfficial = (domain: string) => {
    const owners = [
      ...officialBrandsFor(c.mailIndex, domain),
      ...(underAny(c.sets.freeMail, domain) ? [] : officialBrandsFor(c.webIndex, domain)),
    ];
    if (brand ? owners.includes(brand.id) : owners.length > 0) return true;
    // A public body's own domain (city.naha.okinawa.jp, soumu.go.jp) for a message from a public body or no company.
    return (!brand || brand.rule.category === 'government') && governmentZone(c, domain) !== null;
  };
  const h = ex.headers;
  const from = h?.from;
  if (from?.address && from.domain) {
    if (senderImitation) {
      signals.push({
        code: 'sender_lookalike',
        vars: { address: from.address, target: senderImitation.name },
      });
    } else if (brand && !isOfficial(from.domain)) {
      const free = underAny(c.sets.freeMail, from.domain);
      // A sender under a brand's own name (vpass.ne.jp) is neither proven nor suspicious: say nothing.
      if (free || !isBrandsOwnName(c, from.domain, ownLabels(from.domain)))
        signals.push({
          code: free ? 'free_mail_sender' : 'sender_not_official',
          vars: {
            address: from.address,
            official: officialList(brand.mailDomains.length ? brand.mailDomains : brand.webDomains),
          },
        });
    }
    const fromDomain = registrable(from.domain);
    const other = (a: MailAddress | undefined) =>
      a?.address && a.domain && registrable(a.domain) !== fromDomain ? a.address : null;
    const replyTo = other(h?.replyTo);
    const returnPath = other(h?.returnPath);
    if (replyTo) signals.push({ code: 'reply_to_mismatch', vars: { address: replyTo } });
    if (returnPath) signals.push({ code: 'return_path_mismatch', vars: { address: returnPath } });
    // The Message-ID is made by the server that first sent the mail.
    const mid = h?.messageIdDomain;
    if (mid && /\./.test(mid) && registrable(mid) !== fromDomain && !isOfficial(mid))
      signals.push({
        code: 'message_id_mismatch',
        vars: { address: from.address, domain: registrable(mid) },
      });
  }
  const failed = Object.entries(h?.auth ?? {}).filter(
    ([, v]) => v === 'fail' || v === 'softfail' || v === 'permerror',
  );
  if (failed.length)
    signals.push({ code: 'auth_fail', vars: { evidence: failed.map(([k, v]) => `${k}=${v}`).join(', ') } });

  const addresses = new Map<string, string>();
  for (const a of [from, h?.replyTo, h?.returnPath])
    if (a?.address && a.domain) addresses.set(a.address, a.domain);
  for (const e of ex.emails) addresses.set(e.address, e.domain);
  return [...addresses].map(([address, domain]) => ({ address, domain, official: isOfficial(domain) }));
}
