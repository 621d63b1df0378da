// Builders shared by the plugin tests: queries, records and a scripted "next" handler.

import { RRClass, RRType, Rcode, type ResourceRecord } from '../wire/types.ts';
import type { DnsRequest, DnsResponse, Next } from '../server/plugin.ts';
import { newQuery } from '../wire/query.ts';

export function query(name: string, type: number = RRType.A, opts: { do?: boolean; class?: number; client?: string } = {}): DnsRequest {
  const question = { name, type, class: opts.class ?? RRClass.IN };
  return {
    message: newQuery(name, type, {
      id: 1, questions: [question],
      edns: opts.do === undefined ? undefined : { udpPayloadSize: 1232, extendedRcode: 0, version: 0, dnssecOk: opts.do, options: [] },
    }),
    question,
    client: { address: opts.client ?? '10.244.0.5', port: 40000, transport: 'udp' },
    maxSize: 1232,
  };
}

export function a(name: string, address: string, ttl = 300): ResourceRecord {
  return { name, type: RRType.A, class: RRClass.IN, ttl, data: { type: RRType.A, address } };
}

export function aaaa(name: string, address: string, ttl = 300): ResourceRecord {
  return { name, type: RRType.AAAA, class: RRClass.IN, ttl, data: { type: RRType.AAAA, address } };
}

export function cname(name: string, target: string, ttl = 300): ResourceRecord {
  return { name, type: RRType.CNAME, class: RRClass.IN, ttl, data: { type: RRType.CNAME, target } };
}

export function soa(zone: string, ttl: number, minimum: number): ResourceRecord {
  return {
    name: zone, type: RRType.SOA, class: RRClass.IN, ttl,
    data: { type: RRType.SOA, mname: `ns.${zone}`, rname: `hostmaster.${zone}`, serial: 1, refresh: 7200, retry: 1800, expire: 86400, minimum },
  };
}

export function response(rcode: number, answers: ResourceRecord[] = [], authority: ResourceRecord[] = [], additional: ResourceRecord[] = []): DnsResponse {
  return { rcode, aa: true, answers, authority, additional };
}

export const nxdomain = (zone: string, ttl = 3600, minimum = 60) => response(Rcode.NXDOMAIN, [], [soa(zone, ttl, minimum)]);

/** A `next` that answers with `answer(req)` and records every request it saw. */
export function scriptedNext(answer: (req: DnsRequest) => DnsResponse): Next & { calls: DnsRequest[] } {
  const calls: DnsRequest[] = [];
  const fn = async (req: DnsRequest) => {
    calls.push(req);
    return answer(req);
  };
  return Object.assign(fn, { calls });
}

/** The address of an A/AAAA record (the RData union's opaque member defeats narrowing by type). */
export function addressOf(r: ResourceRecord): string | undefined {
  return 'address' in r.data ? r.data.address : undefined;
}

export function targetOf(r: ResourceRecord): string | undefined {
  return 'target' in r.data ? r.data.target : undefined;
}
