// The `loadbalance` plugin (round_robin): shuffles address records so clients that take the
// first one spread over all of them (coredns plugin/loadbalance). CNAMEs stay in front,
// since a resolver follows the chain in order; other records keep their place before the
// addresses; MX records are shuffled among themselves at the end, as CoreDNS does.

import { RRType, type ResourceRecord } from '../wire/types.ts';
import type { DnsPlugin } from '../server/plugin.ts';

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

export function balanceRecords(records: ResourceRecord[], random: () => number = Math.random): ResourceRecord[] {
  const cnames: ResourceRecord[] = [];
  const addresses: ResourceRecord[] = [];
  const mx: ResourceRecord[] = [];
  const rest: ResourceRecord[] = [];
  for (const r of records) {
    if (r.type === RRType.CNAME) cnames.push(r);
    else if (r.type === RRType.A || r.type === RRType.AAAA) addresses.push(r);
    else if (r.type === RRType.MX) mx.push(r);
    else rest.push(r);
  }
  if (addresses.length < 2 && mx.length < 2) return records;
  return [...cnames, ...rest, ...shuffle(addresses, random), ...shuffle(mx, random)];
}

export function createLoadbalancePlugin(opts: { random?: () => number } = {}): DnsPlugin {
  const random = opts.random ?? Math.random;
  return {
    name: 'loadbalance',
    async handle(req, next) {
      const res = await next(req);
      // A shuffled answer must not be replayed as is: each query gets its own order.
      const shuffles = (rs: typeof res.answers) =>
        rs.filter((r) => r.type === RRType.A || r.type === RRType.AAAA).length > 1 || rs.filter((r) => r.type === RRType.MX).length > 1;
      const memo = res.memo === true && !shuffles(res.answers) && !shuffles(res.additional);
      return { ...res, answers: balanceRecords(res.answers, random), additional: balanceRecords(res.additional, random), memo };
    },
  };
}
