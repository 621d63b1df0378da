// Address-family helpers for pod IPs. Upstream parses pod IPs "sloppily" (IPv4 octets
// with leading zeros are read as decimal) and writes them back in canonical form, so
// slices never carry "010.0.0.1" or upper-case IPv6 even if a kubelet wrote them.

import { isIPv4, isIPv6 } from 'node:net';

export type AddressType = 'IPv4' | 'IPv6';

/** The family of an IP string, or undefined when it is not an IP at all. */
export function addressTypeOf(ip: string): AddressType | undefined {
  if (isIPv6(ip)) return 'IPv6';
  if (isIPv4(ip) || sloppyIPv4(ip) !== undefined) return 'IPv4';
  return undefined;
}

/** Canonical text form: decimal octets for IPv4, RFC 5952 compression for IPv6. */
export function canonicalIP(ip: string): string {
  const v4 = sloppyIPv4(ip);
  if (v4 !== undefined) return v4;
  if (isIPv6(ip) && !ip.includes('%')) {
    // The WHATWG URL serializer compresses the longest zero run and lower-cases,
    // which is the same text Go's net.IP.String() produces for non-mapped addresses.
    return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  }
  return ip;
}

function sloppyIPv4(ip: string): string | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const octets = m.slice(1).map((p) => Number.parseInt(p, 10));
  if (octets.some((o) => o > 255)) return undefined;
  return octets.join('.');
}
