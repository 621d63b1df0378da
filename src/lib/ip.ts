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

export function parseIPv4(s: string): number | undefined {
  const m = s.match(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p, i) => p > 255 || (m[i + 1].length > 1 && m[i + 1].startsWith('0')))) return undefined;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
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
