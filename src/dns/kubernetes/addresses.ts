// IP text forms the kubernetes plugin needs: one canonical spelling per address (so indexes
// and comparisons agree however the API object wrote it), and the dashed labels CoreDNS
// derives from addresses for endpoint and pod names.

import { bytesToIPv6, ipv4ToBytes, ipv6ToBytes } from '../wire/ip-bytes.ts';

export type IPFamily = 4 | 6;

/** Dotted quad for IPv4, RFC 5952 text for IPv6, undefined when `s` is not an address. */
export function canonicalIP(s: string): string | undefined {
  if (ipv4ToBytes(s)) return s;
  const b = ipv6ToBytes(s);
  return b && bytesToIPv6(b);
}

/** Family of an address already in canonical form. */
export function familyOf(ip: string): IPFamily {
  return ip.includes(':') ? 6 : 4;
}

/**
 * The label CoreDNS uses for an endpoint without a hostname: dots (or colons) become
 * dashes; an IPv6 address ending in "::" would leave a trailing dash, which is not a
 * valid label end, so a "0" is appended ("fd00::" -> "fd00--0").
 */
export function dashedIP(ip: string): string {
  if (!ip.includes(':')) return ip.replaceAll('.', '-');
  const dashed = ip.replaceAll(':', '-');
  return dashed.endsWith('-') ? dashed + '0' : dashed;
}

/**
 * The address a pod label such as "10-244-1-5" or "fd00--5" stands for, canonical, or
 * undefined. Like CoreDNS: exactly three dashes and no "--" means IPv4, anything else is
 * read as IPv6 with every dash a colon.
 */
export function ipFromDashedLabel(label: string): string | undefined {
  const dashes = label.split('-').length - 1;
  const text = dashes === 3 && !label.includes('--') ? label.replaceAll('-', '.') : label.replaceAll('-', ':');
  return canonicalIP(text);
}
