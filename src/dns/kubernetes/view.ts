// Slim, indexed copies of the API objects cluster DNS answers from (STYLE habit 7): the
// informers feed whole v1 Services, discovery.k8s.io/v1 EndpointSlices, v1 Namespaces and
// (for `pods verified`) v1 Pods; only the fields below are kept. The view owns its indexes;
// readers get frozen values and must not keep them across updates.

import { canonicalIP } from './addresses.ts';

/** A Service or EndpointSlice port. `port` is -1 when none is declared (CoreDNS's sentinel). */
export interface PortView {
  readonly name: string;
  readonly protocol: string;
  readonly port: number;
}

export interface ServiceView {
  readonly namespace: string;
  readonly name: string;
  readonly type: string;
  /** Canonical addresses, primary family first; empty when headless or not allocated. */
  readonly clusterIPs: readonly string[];
  readonly headless: boolean;
  /** Target of an ExternalName Service without its trailing dot; '' for every other type. */
  readonly externalName: string;
  /** Never empty: a Service without ports carries one sentinel port -1. */
  readonly ports: readonly PortView[];
  readonly publishNotReadyAddresses: boolean;
}

/** One address of one endpoint, after merging every slice of a Service. */
export interface EndpointAddress {
  readonly ip: string;
  readonly hostname: string;
  /** targetRef.name when shorter than 64 characters (a usable label), else ''. */
  readonly podName: string;
  /** conditions.ready, unknown counting as ready (EndpointConditions API doc). */
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
}

/** Addresses sharing one port set: the answer set is addresses x ports. */
export interface EndpointSubset {
  readonly ports: readonly PortView[];
  readonly addresses: readonly EndpointAddress[];
}

export interface PodView {
  readonly namespace: string;
  readonly name: string;
  readonly ips: readonly string[];
}

interface SliceView {
  readonly namespace: string;
  readonly name: string;
  /** Label kubernetes.io/service-name, lower-cased; '' when missing. */
  readonly serviceName: string;
  readonly ports: readonly PortView[];
  readonly addresses: readonly EndpointAddress[];
}

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

const key = (namespace: string, name: string) => `${namespace}/${name}`;

function metaOf(obj: any): { namespace: string; name: string } {
  return {
    namespace: String(obj?.metadata?.namespace ?? '').toLowerCase(),
    name: String(obj?.metadata?.name ?? '').toLowerCase(),
  };
}

function toPorts(ports: any[] | undefined): PortView[] {
  if (!Array.isArray(ports) || ports.length === 0) return [{ name: '', protocol: '', port: -1 }];
  return ports.map((p) => ({
    name: String(p?.name ?? ''),
    protocol: String(p?.protocol ?? 'TCP'),
    port: typeof p?.port === 'number' ? p.port : -1,
  }));
}

export function toServiceView(obj: any): ServiceView {
  const { namespace, name } = metaOf(obj);
  const spec = obj?.spec ?? {};
  const type = String(spec.type ?? 'ClusterIP');
  const rawIPs: string[] = Array.isArray(spec.clusterIPs) && spec.clusterIPs.length > 0
    ? spec.clusterIPs
    : spec.clusterIP ? [spec.clusterIP] : [];
  const headless = type !== 'ExternalName' && rawIPs[0] === 'None';
  const clusterIPs = type === 'ExternalName' || headless
    ? []
    : rawIPs.map((ip) => canonicalIP(String(ip))).filter((ip): ip is string => ip !== undefined);
  const externalName = type === 'ExternalName' ? String(spec.externalName ?? '').replace(/\.$/, '') : '';
  return Object.freeze({
    namespace, name, type, clusterIPs: Object.freeze(clusterIPs), headless, externalName,
    ports: Object.freeze(toPorts(spec.ports)),
    publishNotReadyAddresses: spec.publishNotReadyAddresses === true,
  });
}

function toSliceView(obj: any): SliceView {
  const { namespace, name } = metaOf(obj);
  const addresses: EndpointAddress[] = [];
  for (const ep of Array.isArray(obj?.endpoints) ? obj.endpoints : []) {
    const c = ep?.conditions ?? {};
    const targetName = String(ep?.targetRef?.name ?? '');
    for (const raw of Array.isArray(ep?.addresses) ? ep.addresses : []) {
      // FQDN slices and malformed addresses carry nothing DNS can serve.
      const ip = canonicalIP(String(raw));
      if (ip === undefined) continue;
      addresses.push({
        ip,
        hostname: String(ep?.hostname ?? ''),
        podName: targetName.length < 64 ? targetName : '',
        ready: c.ready !== false,
        serving: c.serving !== false,
        terminating: c.terminating === true,
      });
    }
  }
  return {
    namespace, name,
    serviceName: String(obj?.metadata?.labels?.[SERVICE_NAME_LABEL] ?? '').toLowerCase(),
    ports: toPorts(obj?.ports),
    addresses,
  };
}

function toPodView(obj: any): PodView | undefined {
  if (obj?.metadata?.deletionTimestamp) return undefined; // terminating pods answer nothing, as in CoreDNS
  const status = obj?.status ?? {};
  const raw: string[] = Array.isArray(status.podIPs) && status.podIPs.length > 0
    ? status.podIPs.map((p: any) => String(p?.ip ?? ''))
    : status.podIP ? [String(status.podIP)] : [];
  const ips = raw.map(canonicalIP).filter((ip): ip is string => ip !== undefined);
  if (ips.length === 0) return undefined;
  return { ...metaOf(obj), ips };
}

/** Adds `k` to the set at `index[ip]` for every ip, or removes it. */
function reindex(index: Map<string, Set<string>>, k: string, before: readonly string[], after: readonly string[]): void {
  for (const ip of before) {
    const s = index.get(ip);
    s?.delete(k);
    if (s?.size === 0) index.delete(ip);
  }
  for (const ip of after) {
    let s = index.get(ip);
    if (!s) index.set(ip, (s = new Set()));
    s.add(k);
  }
}

export interface ClusterViewOptions {
  /** Clock for the SOA serial, in seconds since the epoch. */
  now?: () => number;
}

export class ClusterView {
  /** False until every informer has listed once; the plugin answers SERVFAIL instead of NXDOMAIN until then. */
  synced = false;
  /** When DNS-visible data last changed, in seconds: CoreDNS's SOA serial. */
  modified: number;
  /** Bumped on every DNS-visible change (also twice in one second): what memoised answers check. */
  version = 0;

  readonly #now: () => number;
  readonly #namespaces = new Set<string>();
  readonly #services = new Map<string, ServiceView>();
  readonly #servicesByIP = new Map<string, Set<string>>();
  readonly #slices = new Map<string, SliceView>();
  readonly #slicesByService = new Map<string, Set<string>>();
  readonly #slicesByIP = new Map<string, Set<string>>();
  readonly #subsetCache = new Map<string, EndpointSubset[]>();
  readonly #pods = new Map<string, PodView>();
  readonly #podsByIP = new Map<string, Set<string>>();

  constructor(options: ClusterViewOptions = {}) {
    this.#now = options.now ?? (() => Math.floor(Date.now() / 1000));
    this.modified = this.#now();
  }

  markSynced(): void {
    this.synced = true;
    this.version++;
  }

  #touch(): void {
    this.modified = this.#now();
    this.version++;
  }

  // ---- namespaces ----

  upsertNamespace(obj: any): void {
    const { name } = metaOf(obj);
    if (!name || this.#namespaces.has(name)) return;
    this.#namespaces.add(name);
    this.#touch();
  }

  deleteNamespace(obj: any): void {
    if (this.#namespaces.delete(metaOf(obj).name)) this.#touch();
  }

  hasNamespace(namespace: string): boolean {
    return this.#namespaces.has(namespace.toLowerCase());
  }

  // ---- services ----

  upsertService(obj: any): void {
    const next = toServiceView(obj);
    const k = key(next.namespace, next.name);
    const prev = this.#services.get(k);
    if (prev && JSON.stringify(prev) === JSON.stringify(next)) return;
    this.#services.set(k, next);
    reindex(this.#servicesByIP, k, prev?.clusterIPs ?? [], next.clusterIPs);
    this.#touch();
  }

  deleteService(obj: any): void {
    const { namespace, name } = metaOf(obj);
    const k = key(namespace, name);
    const prev = this.#services.get(k);
    if (!prev) return;
    this.#services.delete(k);
    this.#subsetCache.delete(k);
    reindex(this.#servicesByIP, k, prev.clusterIPs, []);
    this.#touch();
  }

  service(namespace: string, name: string): ServiceView | undefined {
    return this.#services.get(key(namespace.toLowerCase(), name.toLowerCase()));
  }

  /** Services whose ClusterIPs include `ip` (canonical form). */
  servicesByIP(ip: string): ServiceView[] {
    return [...(this.#servicesByIP.get(ip) ?? [])].map((k) => this.#services.get(k)!);
  }

  // ---- endpoint slices ----

  upsertSlice(obj: any): void {
    const next = toSliceView(obj);
    const k = key(next.namespace, next.name);
    const prev = this.#slices.get(k);
    if (prev && JSON.stringify(prev) === JSON.stringify(next)) return;
    this.#removeSlice(k, prev);
    this.#slices.set(k, next);
    if (next.serviceName) {
      const sk = key(next.namespace, next.serviceName);
      let set = this.#slicesByService.get(sk);
      if (!set) this.#slicesByService.set(sk, (set = new Set()));
      set.add(k);
      this.#subsetCache.delete(sk);
    }
    reindex(this.#slicesByIP, k, [], next.addresses.map((a) => a.ip));
    this.#touch();
  }

  deleteSlice(obj: any): void {
    const { namespace, name } = metaOf(obj);
    const k = key(namespace, name);
    const prev = this.#slices.get(k);
    if (!prev) return;
    this.#removeSlice(k, prev);
    this.#slices.delete(k);
    this.#touch();
  }

  #removeSlice(k: string, prev: SliceView | undefined): void {
    if (!prev) return;
    if (prev.serviceName) {
      const sk = key(prev.namespace, prev.serviceName);
      const set = this.#slicesByService.get(sk);
      set?.delete(k);
      if (set?.size === 0) this.#slicesByService.delete(sk);
      this.#subsetCache.delete(sk);
    }
    reindex(this.#slicesByIP, k, prev.addresses.map((a) => a.ip), []);
  }

  /**
   * Every endpoint of a Service across all its slices, grouped by port set. An address
   * listed by two slices with the same ports (a pod moving between slices) appears once,
   * ready if either says so. Ordered by slice name, then position, so answers are stable.
   */
  subsets(namespace: string, service: string): readonly EndpointSubset[] {
    const sk = key(namespace.toLowerCase(), service.toLowerCase());
    const cached = this.#subsetCache.get(sk);
    if (cached) return cached;
    const groups = new Map<string, { ports: readonly PortView[]; byIP: Map<string, EndpointAddress> }>();
    const sliceKeys = [...(this.#slicesByService.get(sk) ?? [])].sort();
    for (const k of sliceKeys) {
      const slice = this.#slices.get(k)!;
      const portKey = JSON.stringify([...slice.ports].map((p) => [p.name, p.protocol, p.port]).sort());
      let g = groups.get(portKey);
      if (!g) groups.set(portKey, (g = { ports: slice.ports, byIP: new Map() }));
      for (const a of slice.addresses) {
        const seen = g.byIP.get(a.ip);
        if (!seen) g.byIP.set(a.ip, a);
        else if (a.ready && !seen.ready) g.byIP.set(a.ip, { ...a, hostname: seen.hostname || a.hostname });
      }
    }
    const out = [...groups.values()].map((g) => Object.freeze({ ports: g.ports, addresses: [...g.byIP.values()] }));
    this.#subsetCache.set(sk, out);
    return out;
  }

  /** Services whose endpoints are cached (tests: deleting a Service must drop its entry). */
  cachedSubsets(): number {
    return this.#subsetCache.size;
  }

  /** Endpoints holding `ip`, with the namespace/name of the Service their slice belongs to. */
  endpointsByIP(ip: string): { namespace: string; service: string; address: EndpointAddress }[] {
    const out: { namespace: string; service: string; address: EndpointAddress }[] = [];
    for (const k of [...(this.#slicesByIP.get(ip) ?? [])].sort()) {
      const slice = this.#slices.get(k)!;
      if (!slice.serviceName) continue;
      for (const address of slice.addresses) {
        if (address.ip === ip) out.push({ namespace: slice.namespace, service: slice.serviceName, address });
      }
    }
    return out;
  }

  // ---- pods (only fed for `pods verified`) ----

  upsertPod(obj: any): void {
    const next = toPodView(obj);
    const { namespace, name } = metaOf(obj);
    const k = key(namespace, name);
    const prev = this.#pods.get(k);
    if (!next) return this.deletePod(obj);
    if (prev && JSON.stringify(prev) === JSON.stringify(next)) return;
    this.#pods.set(k, next);
    reindex(this.#podsByIP, k, prev?.ips ?? [], next.ips);
    this.#touch();
  }

  deletePod(obj: any): void {
    const { namespace, name } = metaOf(obj);
    const k = key(namespace, name);
    const prev = this.#pods.get(k);
    if (!prev) return;
    this.#pods.delete(k);
    reindex(this.#podsByIP, k, prev.ips, []);
    this.#touch();
  }

  podsByIP(ip: string): PodView[] {
    return [...(this.#podsByIP.get(ip) ?? [])].map((k) => this.#pods.get(k)!);
  }
}
