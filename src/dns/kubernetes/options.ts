// The kubernetes plugin's configuration, parsed once and frozen (STYLE: configuration is
// validated at the entry point). Names follow the CoreDNS `kubernetes` directive.

import { canonicalIP } from './addresses.ts';
import { toLowerName } from '../wire/names.ts';

export type PodMode = 'disabled' | 'insecure' | 'verified';

export interface KubernetesOptions {
  /** Zones answered authoritatively, e.g. ['cluster.local', 'in-addr.arpa', 'ip6.arpa']. */
  zones: string[];
  /** TTL of every record but dns-version; the SOA's MINIMUM too. CoreDNS range 0-3600. */
  ttl?: number;
  /** `a-b-c-d.<ns>.pod.<zone>` records. */
  pods?: PodMode;
  /** Name endpoints without a hostname after their pod instead of their dashed IP. */
  endpointPodNames?: boolean;
  /** ClusterIP Services without ready endpoints answer NXDOMAIN. */
  ignoreEmptyService?: boolean;
  /** Zones whose would-be NXDOMAIN answers go down the chain; `true` for every zone. */
  fallthrough?: true | string[];
  /** Only these namespaces are served; empty or absent serves all. */
  namespaces?: string[];
  /**
   * Addresses this server answers on (its pod IPs). They name the zone's nameserver: the
   * Service whose endpoints hold them (kube-dns), else `ns.dns.<zone>` with these addresses.
   */
  localIPs?: string[];
}

export interface ResolvedOptions {
  readonly zones: readonly string[];
  /** First zone outside in-addr.arpa/ip6.arpa: PTR targets are written under it. */
  readonly primaryZone: string;
  readonly ttl: number;
  readonly pods: PodMode;
  readonly endpointPodNames: boolean;
  readonly ignoreEmptyService: boolean;
  readonly fallthrough: readonly string[];
  readonly namespaces: ReadonlySet<string>;
  readonly localIPs: readonly string[];
}

/** knet's Corefile says `ttl 30` as kubeadm does; CoreDNS's own default would be 5. */
export const DEFAULT_TTL = 30;
export const MAX_TTL = 3600;
const PODS: readonly PodMode[] = ['disabled', 'insecure', 'verified'];

export function isReverseZone(zone: string): boolean {
  const z = toLowerName(zone);
  return z === 'in-addr.arpa' || z === 'ip6.arpa' || z.endsWith('.in-addr.arpa') || z.endsWith('.ip6.arpa');
}

export function resolveOptions(o: KubernetesOptions): ResolvedOptions {
  const zones = (o.zones ?? []).map(toLowerName);
  if (zones.length === 0) throw new Error('kubernetes: at least one zone is required');
  const primaryZone = zones.find((z) => !isReverseZone(z));
  if (primaryZone === undefined) throw new Error('kubernetes: a zone outside in-addr.arpa and ip6.arpa is required');
  const ttl = o.ttl ?? DEFAULT_TTL;
  if (!Number.isInteger(ttl) || ttl < 0 || ttl > MAX_TTL) {
    throw new Error(`kubernetes: ttl must be an integer from 0 to ${MAX_TTL}, got ${ttl}`);
  }
  const pods = o.pods ?? 'disabled';
  if (!PODS.includes(pods)) throw new Error(`kubernetes: pods must be one of ${PODS.join(', ')}, got "${pods}"`);
  return Object.freeze({
    zones: Object.freeze(zones),
    primaryZone,
    ttl,
    pods,
    endpointPodNames: o.endpointPodNames === true,
    ignoreEmptyService: o.ignoreEmptyService === true,
    fallthrough: Object.freeze(o.fallthrough === true ? [''] : (o.fallthrough ?? []).map(toLowerName)),
    namespaces: new Set((o.namespaces ?? []).map((n) => n.toLowerCase())),
    localIPs: Object.freeze((o.localIPs ?? []).map((ip) => {
      const c = canonicalIP(ip);
      if (c === undefined) throw new Error(`kubernetes: localIPs holds "${ip}", which is not an IP address`);
      return c;
    })),
  });
}
