// Hosts and links in a reply are shown "defanged" (amazon-co-jp[.]xyz): readable, but LINE cannot turn
// them into something a worried person taps by mistake.

/** amazon-co-jp.xyz → amazon-co-jp[.]xyz; every dot, so no part of the name stays linkable. */
export function defangHost(host: string): string {
  return host.replace(/[.．。｡]/g, '[.]');
}

const URL_LIKE = /\b([a-z][a-z0-9+.-]*):\/\/([^\s<>"'「」（）()、。]+)/gi;
// A dotted name whose last label starts with a letter, as every top-level domain does (example.com,
// 例え.jp); "1.5倍" and "No.1" stay as they are.
const HOST_LIKE = /(?<![\p{L}\p{N}_-])(?:[\p{L}\p{N}_-]+\.)+\p{L}[\p{L}\p{N}-]+/gu;
const IPV4 = /(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d.])/g;

/** Defangs every link, host, email domain and IPv4 address inside a free text (a reason, an address). */
export function defangText(text: string): string {
  return text
    .replace(URL_LIKE, (_, scheme: string, rest: string) => {
      const s = scheme.toLowerCase().replace(/^http/, 'hxxp');
      return `${s}[:]//${defangHost(rest)}`;
    })
    .replace(HOST_LIKE, (m) => defangHost(m))
    .replace(IPV4, (m) => defangHost(m));
}
