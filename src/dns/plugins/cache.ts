// The `cache` plugin: answers repeated queries from memory (coredns plugin/cache).
// - Two tiers, as CoreDNS: success (answers, delegations) and denial (NXDOMAIN, NODATA and,
//   for `servfail` seconds, SERVFAIL/NOTIMP). REFUSED, FORMERR and the rest are never kept.
// - The key is the lowercased qname, qtype, qclass and the DO bit.
// - An entry lives for the smallest TTL in the response, clamped to [minTtl, maxTtl] of its
//   tier; for denials the SOA counts with min(TTL, MINIMUM) (RFC 2308 §5). Every record of a
//   reply carries the entry's remaining TTL, as CoreDNS writes it (unless `keepttl`).
// - `disable success|denial ZONES` keeps those zones out (kubeadm disables the cluster zone so
//   authoritative data always wins, RFC 1035 §6.1.2).
// - Hits are not authoritative (aa=0), like any cached data.
// - Capacity is per tier; when full the oldest stored entry goes (CoreDNS evicts at random
//   within a shard; FIFO is as cheap and deterministic for tests).

import { Opcode, Rcode, RRType, type ResourceRecord } from '../wire/types.ts';
import { toLowerName } from '../wire/names.ts';
import { matchZone, type CacheConfig } from '../corefile/index.ts';
import type { DnsPlugin, DnsRequest, DnsResponse, Next } from '../server/plugin.ts';
import type { DnsMetrics } from './metrics.ts';

export type ResponseClass = 'success' | 'denial' | 'servfail' | 'uncacheable';

/** CoreDNS response.Typify, reduced to what decides caching. */
export function classifyResponse(req: DnsRequest, res: DnsResponse): ResponseClass {
  if (req.message.opcode !== Opcode.QUERY) return 'uncacheable';
  if (req.question.type === RRType.AXFR || req.question.type === RRType.IXFR) return 'uncacheable';
  const hasSoa = res.authority.some((r) => r.type === RRType.SOA);
  if (res.rcode === Rcode.NOERROR) {
    if (res.answers.length > 0) return 'success';
    if (hasSoa) return 'denial'; // NODATA
    return 'success'; // delegation or empty NOERROR
  }
  if (res.rcode === Rcode.NXDOMAIN) return hasSoa ? 'denial' : 'uncacheable';
  if (res.rcode === Rcode.SERVFAIL || res.rcode === Rcode.NOTIMP) return 'servfail';
  return 'uncacheable';
}

/** Smallest TTL in the message, the SOA counting as min(TTL, MINIMUM); 5 s when it is empty. */
export function minimalTtl(res: DnsResponse): number {
  const all = [...res.answers, ...res.authority, ...res.additional];
  if (all.length === 0) return 5;
  let min = 3600;
  for (const r of all) {
    let ttl = r.ttl;
    if (r.data.type === RRType.SOA && 'minimum' in r.data) ttl = Math.min(ttl, r.data.minimum);
    if (ttl < min) min = ttl;
  }
  return min;
}

interface Entry {
  response: DnsResponse;
  storedAt: number; // ms
  ttl: number; // seconds
}

export interface CacheStats {
  successHits: number;
  denialHits: number;
  misses: number;
  successEntries: number;
  denialEntries: number;
  evictions: number;
  staleServed: number;
}

export interface CachePluginOptions {
  /** Wall-clock milliseconds; injectable for tests. */
  now?: () => number;
  metrics?: DnsMetrics;
  /** The `server` metric label, e.g. "dns://:53". */
  server?: string;
}

export interface CachePlugin extends DnsPlugin {
  stats(): CacheStats;
  clear(): void;
}

function withTtl(records: ResourceRecord[], ttl: number | null, qname?: string): ResourceRecord[] {
  const lower = qname === undefined ? undefined : toLowerName(qname);
  return records.map((r) => ({
    ...r,
    ttl: ttl ?? r.ttl,
    // Answer with the case the client asked in, not the case of the query that filled the entry.
    name: lower !== undefined && toLowerName(r.name) === lower ? qname! : r.name,
  }));
}

export function createCachePlugin(config: CacheConfig, opts: CachePluginOptions = {}): CachePlugin {
  const now = opts.now ?? Date.now;
  const tiers = { success: new Map<string, Entry>(), denial: new Map<string, Entry>() };
  const stats = { successHits: 0, denialHits: 0, misses: 0, evictions: 0, staleServed: 0 };
  const zonesLabel = config.zones.map((z) => (z === '' ? '.' : `${z}.`)).join(',');
  const labels = { server: opts.server ?? 'dns://:53', zones: zonesLabel, view: '' };
  const m = opts.metrics;

  const keyOf = (req: DnsRequest) =>
    `${toLowerName(req.question.name)}/${req.question.type}/${req.question.class}/${req.message.edns?.dnssecOk ? 1 : 0}`;

  function remaining(e: Entry, at: number): number {
    return e.ttl - Math.floor((at - e.storedAt) / 1000);
  }

  function reply(e: Entry, ttl: number, req: DnsRequest): DnsResponse {
    const t = config.keepTtl ? null : ttl;
    const r = e.response;
    return {
      rcode: r.rcode,
      aa: false,
      answers: withTtl(r.answers, t, req.question.name),
      authority: withTtl(r.authority, t),
      additional: withTtl(r.additional, t),
    };
  }

  function updateEntriesGauge(): void {
    m?.cacheEntries.set(tiers.success.size, { ...labels, type: 'success' });
    m?.cacheEntries.set(tiers.denial.size, { ...labels, type: 'denial' });
  }

  /** Stores `res` when it may be cached and returns what the client should get. */
  function store(key: string, req: DnsRequest, res: DnsResponse): DnsResponse {
    const cls = classifyResponse(req, res);
    if (cls === 'uncacheable') return res;
    const tierName = cls === 'success' ? 'success' : 'denial';
    const disabled = cls === 'success' ? config.disableSuccess : config.disableDenial;
    if (matchZone(disabled, req.question.name) !== undefined) return res;
    let ttl: number;
    if (cls === 'servfail') {
      ttl = config.servfailTtl;
    } else {
      const tier = config[tierName];
      ttl = Math.min(Math.max(minimalTtl(res), tier.minTtl), tier.maxTtl);
    }
    if (ttl <= 0) return res;
    const tier = tiers[tierName];
    tier.delete(key);
    if (tier.size >= config[tierName].capacity) {
      const oldest = tier.keys().next().value;
      if (oldest !== undefined) {
        tier.delete(oldest);
        stats.evictions++;
      }
    }
    const entry: Entry = { response: { ...res, answers: [...res.answers], authority: [...res.authority], additional: [...res.additional] }, storedAt: now(), ttl };
    tier.set(key, entry);
    // A fresh positive answer replaces a negative one for the same key and vice versa.
    tiers[tierName === 'success' ? 'denial' : 'success'].delete(key);
    updateEntriesGauge();
    // A cached answer ages (its TTLs fall): never replayed as is.
    return { ...res, ...reply(entry, ttl, req), aa: res.aa, memo: false };
  }

  function lookup(key: string, at: number): { entry: Entry; tier: 'success' | 'denial'; ttl: number } | undefined {
    const staleSeconds = config.serveStale ? config.serveStale.maxStaleMs / 1000 : 0;
    for (const tier of ['denial', 'success'] as const) {
      const e = tiers[tier].get(key);
      if (e === undefined) continue;
      const ttl = remaining(e, at);
      if (ttl > 0 || -ttl < staleSeconds) return { entry: e, tier, ttl };
      tiers[tier].delete(key);
      updateEntriesGauge();
    }
    return undefined;
  }

  async function refresh(key: string, req: DnsRequest, next: Next): Promise<DnsResponse> {
    return store(key, req, await next(req));
  }

  return {
    name: 'cache',
    async handle(req, next) {
      if (matchZone(config.zones, req.question.name) === undefined) return next(req);
      const key = keyOf(req);
      const at = now();
      m?.cacheRequests.inc(labels);
      const found = lookup(key, at);
      if (found === undefined) {
        stats.misses++;
        m?.cacheMisses.inc(labels);
        return refresh(key, req, next);
      }
      if (found.tier === 'success') stats.successHits++;
      else stats.denialHits++;
      m?.cacheHits.inc({ ...labels, type: found.tier });
      if (found.ttl > 0) return reply(found.entry, found.ttl, req);
      // Expired but within serve_stale (RFC 8767): "verified" asks upstream first and falls
      // back to the stale entry; "immediate" answers stale (TTL 0) and refreshes behind.
      if (config.serveStale!.refreshMode === 'verified') {
        try {
          const fresh = await next(req);
          if (fresh.rcode === Rcode.NOERROR || fresh.rcode === Rcode.NXDOMAIN) return store(key, req, fresh);
        } catch {
          // fall through to the stale answer
        }
      } else {
        refresh(key, req, next).catch(() => {});
      }
      stats.staleServed++;
      return reply(found.entry, 0, req);
    },
    stats() {
      return { ...stats, successEntries: tiers.success.size, denialEntries: tiers.denial.size };
    },
    clear() {
      tiers.success.clear();
      tiers.denial.clear();
      updateEntriesGauge();
    },
  };
}
