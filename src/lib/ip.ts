// IPv4 and CIDR arithmetic on plain numbers (unsigned 32-bit). IPv6 support arrives with
// dual-stack; until then helpers say plainly when given an IPv6 value.

import { KnetError } from './errors.ts';

export interface Cidr4 {
  /** Network address as an unsigned 32-bit number. */
  base: number;
  prefix: number;
  /** Number of addresses in the block. */
  size: number;
}

/**
 * Dotted quad -> number; undefined for anything else (leading zeros too, which some parsers
 * read as octal). Written without a regular expression: the proxy compiler parses every
 * endpoint address of every Service on a full sync (about 100,000 at 10,000 Services).
 */
export function parseIPv4(s: string): number | undefined {
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  let leadingZero = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digits === 1 && leadingZero) return undefined;
      if (digits === 0) leadingZero = c === 48;
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return undefined;
    } else if (c === 46) {
      if (digits === 0 || ++dots > 3) return undefined;
      value = value * 256 + part;
      part = 0;
      digits = 0;
    } else {
      return undefined;
    }
  }
  if (dots !== 3 || digits === 0) return undefined;
  return value * 256 + part;
}

export function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function parseCidr4(s: string): Cidr4 {
  const [addr, len] = s.split('/');
  const ip = parseIPv4(addr ?? '');
  const prefix = Number(len);
  if (ip === undefined || !/^\d{1,2}$/.test(len ?? '') || prefix > 32) {
    throw new KnetError('bad-cidr', `"${s}" is not an IPv4 CIDR such as 10.96.0.0/12`);
  }
  const size = 2 ** (32 - prefix);
  const base = prefix === 0 ? 0 : ((ip >>> (32 - prefix)) << (32 - prefix)) >>> 0;
  return { base, prefix, size };
}

export function cidrContains(c: Cidr4, ip: number): boolean {
  return ip >= c.base && ip < c.base + c.size;
}

export function formatCidr4(c: Cidr4): string {
  return `${formatIPv4(c.base)}/${c.prefix}`;
}
