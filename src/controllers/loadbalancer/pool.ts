// The LoadBalancer address pool: IPv4 CIDRs ("172.18.255.0/28", every address counts, as in
// MetalLB without avoidBuggyIPs) and inclusive ranges ("172.18.255.200-172.18.255.250").

import { KnetError } from '../../lib/errors.ts';
import { formatIPv4, parseCidr4, parseIPv4 } from '../../lib/ip.ts';

/**
 * Default pool: the top of the fabric subnet 172.18.0.0/16, far from the node addresses
 * handed out from its bottom (172.18.0.2 upwards), like kind's docs suggest for MetalLB.
 */
export const DEFAULT_LB_POOL: readonly string[] = Object.freeze(['172.18.255.200-172.18.255.250']);

export interface AddressPool {
  /** Inclusive [first, last] address ranges, sorted, as unsigned 32-bit numbers. */
  ranges: ReadonlyArray<readonly [number, number]>;
  /** The entries as configured, for messages. */
  text: string;
}

export function parsePool(entries: readonly string[]): AddressPool {
  const ranges: [number, number][] = [];
  for (const raw of entries) {
    const e = raw.trim();
    if (e.includes('-')) {
      const [a, b] = e.split('-').map((s) => parseIPv4(s.trim()));
      if (a === undefined || b === undefined || a > b) {
        throw new KnetError('bad-lb-pool', `LoadBalancer pool entry "${raw}" is not a range such as 172.18.255.200-172.18.255.250`);
      }
      ranges.push([a, b]);
    } else {
      const c = parseCidr4(e);
      ranges.push([c.base, c.base + c.size - 1]);
    }
  }
  if (ranges.length === 0) throw new KnetError('bad-lb-pool', 'the LoadBalancer pool is empty');
  ranges.sort((x, y) => x[0] - y[0]);
  return { ranges, text: entries.map((s) => s.trim()).join(', ') };
}

export function poolContains(pool: AddressPool, ip: number): boolean {
  return pool.ranges.some(([a, b]) => ip >= a && ip <= b);
}

/** The lowest pool address not in `taken`. */
export function lowestFree(pool: AddressPool, taken: ReadonlySet<number>): string | undefined {
  for (const [a, b] of pool.ranges) {
    for (let ip = a; ip <= b; ip++) if (!taken.has(ip)) return formatIPv4(ip);
  }
  return undefined;
}
