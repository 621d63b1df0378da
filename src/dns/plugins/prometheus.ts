// The `prometheus` plugin's place in the chain: it times every query and counts requests and
// responses. Serving /metrics over HTTP is the server's job (registry.render()).

import { RRType, type Question } from '../wire/types.ts';
import { matchZone } from '../corefile/index.ts';
import type { DnsPlugin, DnsRequest } from '../server/plugin.ts';
import type { DnsMetrics } from './metrics.ts';

// The query types CoreDNS names in its `type` label; everything else is "other".
const typeNames = new Map<number, string>([
  [RRType.A, 'A'], [RRType.AAAA, 'AAAA'], [RRType.MX, 'MX'], [RRType.SOA, 'SOA'], [RRType.CNAME, 'CNAME'],
  [RRType.PTR, 'PTR'], [RRType.TXT, 'TXT'], [RRType.NS, 'NS'], [RRType.SRV, 'SRV'], [43, 'DS'], [48, 'DNSKEY'],
  [46, 'RRSIG'], [47, 'NSEC'], [50, 'NSEC3'], [65, 'HTTPS'], [RRType.IXFR, 'IXFR'], [RRType.AXFR, 'AXFR'], [RRType.ANY, 'ANY'],
]);

const rcodeNames = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED', 'YXDOMAIN', 'YXRRSET', 'NXRRSET', 'NOTAUTH', 'NOTZONE'];

export function queryTypeLabel(type: number): string {
  return typeNames.get(type) ?? 'other';
}

export function rcodeLabel(rcode: number): string {
  // miekg/dns names the shared extended rcode 16 BADSIG (it is also BADVERS, RFC 6891).
  if (rcode === 16) return 'BADSIG';
  return rcodeNames[rcode] ?? `RCODE${rcode}`;
}

/** What countDropped needs to know of an answer no plugin wrote. */
export interface DroppedAnswer {
  rcode: number;
  client: { address: string; transport: 'udp' | 'tcp' };
  /** Absent when the query's question was never read. */
  question?: { type: number };
}

/**
 * Counts an answer the server wrote without the chain, as CoreDNS's errorAndMetricsFunc
 * reports one: zone "dropped", no plugin. `request: false` counts the response alone, for
 * a query the chain (and so the prometheus plugin) already counted.
 */
export function countDropped(metrics: DnsMetrics, port: number, a: DroppedAnswer, request = true): void {
  const base = { server: `dns://:${port}`, zone: 'dropped', view: '' };
  if (request) {
    const type = a.question ? queryTypeLabel(a.question.type) : 'other';
    metrics.requests.inc({ ...base, proto: a.client.transport, family: a.client.address.includes(':') ? '2' : '1', type });
  }
  metrics.responses.inc({ ...base, rcode: rcodeLabel(a.rcode), plugin: '' });
}

/**
 * Counts an answer the server replayed from its memo (server/answer-query.ts) as the
 * prometheus plugin would have counted it: the chain did not run for it.
 */
export function countMemoHit(metrics: DnsMetrics, block: { zones: readonly string[]; port: number }, e: { question: Question; rcode: number }, client: { address: string; transport: string }): void {
  const zone = matchZone(block.zones, e.question.name);
  const base = { server: `dns://:${block.port}`, zone: zone === undefined ? 'dropped' : zoneLabel(zone), view: '' };
  const type = queryTypeLabel(e.question.type);
  metrics.requests.inc({ ...base, proto: client.transport, family: client.address.includes(':') ? '2' : '1', type });
  metrics.requestDuration.observe(0, { ...base, type });
  metrics.responses.inc({ ...base, rcode: rcodeLabel(e.rcode), plugin: '' });
}

/** Zones as CoreDNS labels them: absolute, with the trailing dot ("." for the root). */
export function zoneLabel(zone: string): string {
  return zone === '' ? '.' : `${zone}.`;
}

export interface MetricsPluginOptions {
  metrics: DnsMetrics;
  /** The server block's zones and port; the labels read `server="dns://:53"`, `zone="cluster.local."`. */
  zones: readonly string[];
  port: number;
  /** Monotonic milliseconds; injectable for tests. */
  now?: () => number;
}

export function createMetricsPlugin(opts: MetricsPluginOptions): DnsPlugin {
  const now = opts.now ?? (() => performance.now());
  const server = `dns://:${opts.port}`;
  const labelsFor = (req: DnsRequest) => {
    const zone = matchZone(opts.zones, req.question.name);
    return { server, zone: zone === undefined ? 'dropped' : zoneLabel(zone), view: '' };
  };
  return {
    name: 'prometheus',
    async handle(req, next) {
      const start = now();
      const base = labelsFor(req);
      const type = queryTypeLabel(req.question.type);
      const family = req.client.address.includes(':') ? '2' : '1';
      opts.metrics.requests.inc({ ...base, proto: req.client.transport, family, type });
      let rcode = 2; // an exception below the chain reaches the client as SERVFAIL
      try {
        const res = await next(req);
        rcode = res.rcode;
        return res;
      } finally {
        opts.metrics.requestDuration.observe((now() - start) / 1000, { ...base, type });
        opts.metrics.responses.inc({ ...base, rcode: rcodeLabel(rcode), plugin: '' });
      }
    },
  };
}
