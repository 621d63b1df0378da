// The kubernetes plugin's answer to one question, computed from a ClusterView alone: the
// Kubernetes DNS schema 1.1.0 records, with CoreDNS's behaviour where the spec is silent
// (plugin/kubernetes/handler.go, plugin/backend_lookup.go). Pure: the caller does the I/O
// (passing the question on, chasing an ExternalName target outside the zones).

import { familyOf } from './addresses.ts';
import { lookupTree, namespaceExposed, reverseTargets, servesEndpoint, endpointHostname, type Entry } from './lookup.ts';
import { isReverseZone, resolveOptions, type KubernetesOptions, type ResolvedOptions } from './options.ts';
import type { ClusterView } from './view.ts';
import { ipFromReverseName, isSubdomain, splitLabels, toLowerName } from '../wire/names.ts';
import { Rcode, RRClass, RRType, type Question, type ResourceRecord } from '../wire/types.ts';

export const DNS_SCHEMA_VERSION = '1.1.0';
/** TTL of the dns-version TXT record (CoreDNS hard-codes the spec example's value). */
export const DNS_VERSION_TTL = 28800;
/** CoreDNS follows at most this many CNAMEs inside its own zones. */
const MAX_CNAME_CHAIN = 10;

export interface KubernetesAnswer {
  rcode: number;
  aa: boolean;
  answers: ResourceRecord[];
  authority: ResourceRecord[];
  additional: ResourceRecord[];
  /** Not ours (outside the zones, or a name error in a fallthrough zone): ask the next plugin. */
  next?: boolean;
  /** The answer ends in a CNAME to a name outside the zones: resolve it for this type and append its answers. */
  chase?: { name: string; type: number };
}

/** What a name below a zone holds, before the question's type picks records from it. */
type Node =
  | { kind: 'apex' }
  | { kind: 'version' }
  | { kind: 'nameserver' } // ns.dns.<zone>
  | { kind: 'ptr'; targets: string[] }
  | { kind: 'entries'; entries: Entry[] }; // empty: an empty non-terminal

interface Ctx {
  view: ClusterView;
  o: ResolvedOptions;
  qname: string; // as asked, no trailing dot
  qtype: number;
  zone: string; // the matched zone, spelled as in the question
  depth: number; // CNAMEs followed so far
}

export function resolveKubernetes(
  view: ClusterView, question: Question, options: ResolvedOptions | KubernetesOptions,
): KubernetesAnswer {
  const o = 'primaryZone' in options ? options : resolveOptions(options);
  return resolveAt(view, o, question, 0);
}

function resolveAt(view: ClusterView, o: ResolvedOptions, question: Question, depth: number): KubernetesAnswer {
  const qname = question.name.endsWith('.') ? question.name.slice(0, -1) : question.name;
  // Records here are class IN; CHAOS and other classes belong to other plugins.
  if (question.class !== RRClass.IN && question.class !== RRClass.ANY) return passOn();
  const lower = toLowerName(qname);
  const zoneKey = longestZone(o.zones, lower);
  if (zoneKey === undefined) return passOn();
  // Keep the question's spelling of the zone for SOA and targets (CoreDNS preserves case).
  const zone = zoneKey === '' ? '' : lower.length === qname.length ? qname.slice(qname.length - zoneKey.length) : zoneKey;
  const ctx: Ctx = { view, o, qname, qtype: question.type, zone, depth };

  // Zone transfers are the transfer plugin's business; kubernetes refuses them.
  if (question.type === RRType.AXFR || question.type === RRType.IXFR) {
    return { rcode: Rcode.REFUSED, aa: false, answers: [], authority: [], additional: [] };
  }

  const rel = lower === zoneKey ? [] : splitLabels(lower).slice(0, -splitLabels(zoneKey).length || undefined);
  const node = findNode(ctx, zoneKey, rel);
  if (!node) {
    if (o.fallthrough.some((z) => isSubdomain(lower, z))) return passOn();
    // Before the first full list, "does not exist" may be wrong: say so with SERVFAIL.
    return negative(ctx, view.synced ? Rcode.NXDOMAIN : Rcode.SERVFAIL);
  }
  const res: KubernetesAnswer = { rcode: Rcode.NOERROR, aa: true, answers: [], authority: [], additional: [] };
  fillRecords(ctx, node, res);
  if (res.answers.length === 0) res.authority.push(soa(ctx));
  return res;
}

function passOn(): KubernetesAnswer {
  return { rcode: Rcode.NOERROR, aa: false, answers: [], authority: [], additional: [], next: true };
}

function negative(ctx: Ctx, rcode: number): KubernetesAnswer {
  return { rcode, aa: true, answers: [], authority: [soa(ctx)], additional: [] };
}

function longestZone(zones: readonly string[], lower: string): string | undefined {
  let best: string | undefined;
  for (const z of zones) {
    if (isSubdomain(lower, z) && (best === undefined || z.length > best.length)) best = z;
  }
  return best;
}

function findNode(ctx: Ctx, zoneKey: string, rel: string[]): Node | undefined {
  if (rel.length === 0) return { kind: 'apex' };
  if (isReverseZone(zoneKey)) {
    // Partial reverse names (e.g. 96.10.in-addr.arpa) are not tracked, as in CoreDNS.
    const ip = ipFromReverseName(ctx.qname);
    if (ip === undefined) return undefined;
    const targets = reverseTargets(ctx.view, ctx.o, ip);
    return targets.length > 0 ? { kind: 'ptr', targets } : undefined;
  }
  const joined = rel.join('.');
  if (joined === 'dns-version') return { kind: 'version' };
  if (joined === 'ns.dns') return { kind: 'nameserver' };
  if (joined === 'dns') return { kind: 'entries', entries: [] }; // parent of ns.dns
  const entries = lookupTree(ctx.view, ctx.o, rel, ctx.zone);
  return entries && { kind: 'entries', entries };
}

function rr(name: string, ttl: number, data: ResourceRecord['data']): ResourceRecord {
  return { name, type: data.type, class: RRClass.IN, ttl, data };
}

function addressRR(name: string, ip: string, ttl: number): ResourceRecord {
  return rr(name, ttl, familyOf(ip) === 4 ? { type: RRType.A, address: ip } : { type: RRType.AAAA, address: ip });
}

const familyOfType = (qtype: number) => (qtype === RRType.A ? 4 : qtype === RRType.AAAA ? 6 : 0);

/** SOA as CoreDNS writes it (backend_lookup.go SOA): TTL min(ttl, 300), MINIMUM = ttl. */
function soa(ctx: Ctx): ResourceRecord {
  const { zone, o } = ctx;
  const under = (label: string) => (zone ? `${label}.${zone}` : label);
  return rr(zone, Math.min(o.ttl, 300), {
    type: RRType.SOA,
    mname: under('ns.dns'),
    rname: under('hostmaster'),
    serial: ctx.view.modified >>> 0,
    refresh: 7200,
    retry: 1800,
    expire: 86400,
    minimum: o.ttl,
  });
}

function fillRecords(ctx: Ctx, node: Node, res: KubernetesAnswer): void {
  const { qname, qtype, o } = ctx;
  switch (node.kind) {
    case 'apex':
      if (qtype === RRType.SOA) res.answers.push({ ...soa(ctx), name: qname });
      if (qtype === RRType.NS) {
        const servers = nameservers(ctx);
        for (const name of new Set(servers.map((s) => s.name))) res.answers.push(rr(qname, o.ttl, { type: RRType.NS, target: name }));
        for (const s of servers) res.additional.push(addressRR(s.name, s.ip, o.ttl));
      }
      return;
    case 'version':
      if (qtype === RRType.TXT) res.answers.push(rr(qname, DNS_VERSION_TTL, { type: RRType.TXT, texts: [DNS_SCHEMA_VERSION] }));
      return;
    case 'nameserver': {
      const family = familyOfType(qtype);
      const ips = new Set(nameservers(ctx).map((s) => s.ip).filter((ip) => familyOf(ip) === family));
      for (const ip of ips) res.answers.push(addressRR(qname, ip, o.ttl));
      return;
    }
    case 'ptr':
      if (qtype === RRType.PTR) for (const t of node.targets) res.answers.push(rr(qname, o.ttl, { type: RRType.PTR, target: t }));
      return;
    case 'entries':
      return fillEntries(ctx, node.entries, res);
  }
}

function fillEntries(ctx: Ctx, entries: Entry[], res: KubernetesAnswer): void {
  const { qname, qtype, o } = ctx;
  const alias = entries.find((e) => e.cname !== undefined);
  if (alias) return fillAlias(ctx, alias.cname!, res);
  const family = familyOfType(qtype);
  if (family) {
    const seen = new Set<string>();
    for (const e of entries) {
      if (e.ip && familyOf(e.ip) === family && !seen.has(e.ip)) {
        seen.add(e.ip);
        res.answers.push(addressRR(qname, e.ip, o.ttl));
      }
    }
  } else if (qtype === RRType.SRV) {
    // Weight as CoreDNS computes it: 100 shared by every entry of the (single) priority,
    // counting entries later merged or skipped, at least 1.
    const weight = Math.max(1, Math.floor(100 / entries.length));
    const seenSrv = new Set<string>();
    const seenAddr = new Set<string>();
    for (const e of entries) {
      if (e.port < 0 || !e.ip) continue;
      const srvKey = `${e.target.toLowerCase()}|${e.port}`;
      if (!seenSrv.has(srvKey)) {
        seenSrv.add(srvKey);
        res.answers.push(rr(qname, o.ttl, { type: RRType.SRV, priority: 0, weight, port: e.port, target: e.target }));
      }
      const addrKey = `${e.target.toLowerCase()}|${e.ip}`;
      if (!seenAddr.has(addrKey)) {
        seenAddr.add(addrKey);
        res.additional.push(addressRR(e.target, e.ip, o.ttl));
      }
    }
  }
}

/**
 * An ExternalName: the CNAME answers every type (RFC 1034 §3.6.2); for types other than
 * CNAME the target is followed here when it lies in our zones, else the caller chases it.
 */
function fillAlias(ctx: Ctx, target: string, res: KubernetesAnswer): void {
  const { qname, qtype, o } = ctx;
  // "x CNAME x" is a loop; CoreDNS drops the record and so answers NODATA.
  if (toLowerName(target) === toLowerName(qname)) return;
  res.answers.push(rr(qname, o.ttl, { type: RRType.CNAME, target }));
  if (qtype === RRType.CNAME || qtype === RRType.ANY) return;
  if (ctx.depth >= MAX_CNAME_CHAIN) return;
  if (longestZone(o.zones, toLowerName(target)) === undefined) {
    res.chase = { name: target, type: qtype };
    return;
  }
  const inner = resolveAt(ctx.view, o, { name: target, type: qtype, class: RRClass.IN }, ctx.depth + 1);
  if (inner.next) {
    res.chase = { name: target, type: qtype }; // fell through: the chain beyond us knows
    return;
  }
  res.answers.push(...inner.answers);
  res.additional.push(...inner.additional);
  if (inner.chase) res.chase = inner.chase;
}

/**
 * The zone's nameservers as CoreDNS finds them (plugin/kubernetes/ns.go): the Services whose
 * endpoints hold one of our addresses (kube-dns: its ClusterIPs; a headless Service: its
 * endpoint names), else `ns.dns.<zone>` with our own addresses.
 */
function nameservers(ctx: Ctx): { name: string; ip: string }[] {
  const { view, o, zone } = ctx;
  const out = new Map<string, { name: string; ip: string }>();
  const add = (name: string, ip: string) => out.set(`${name}|${ip}`, { name, ip });
  let found = false;
  for (const local of o.localIPs) {
    for (const ep of view.endpointsByIP(local)) {
      const svc = view.service(ep.namespace, ep.service);
      if (!svc || !servesEndpoint(svc, ep.address) || !namespaceExposed(view, o, svc.namespace)) continue;
      found = true;
      const svcName = `${svc.name}.${svc.namespace}.svc.${zone}`;
      if (!svc.headless) {
        for (const ip of svc.clusterIPs) add(svcName, ip);
        continue;
      }
      for (const subset of view.subsets(svc.namespace, svc.name)) {
        for (const a of subset.addresses) if (servesEndpoint(svc, a)) add(`${endpointHostname(a, o)}.${svcName}`, a.ip);
      }
    }
  }
  if (!found) for (const ip of o.localIPs) add(zone ? `ns.dns.${zone}` : 'ns.dns', ip);
  return [...out.values()];
}
