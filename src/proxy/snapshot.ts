// Slim views of the API objects the proxy compiles (STYLE habit 7): only the fields that
// change the ruleset, copied out of Services, EndpointSlices and Nodes. Views are lenient:
// they never throw on odd input; the compiler decides what is usable and skips the rest.

/** EndpointSlice label naming the Service a slice belongs to (discovery.k8s.io/v1). */
export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';

export type L4Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface ServicePortView {
  /** '' for the single unnamed port. */
  name: string;
  protocol: string;
  port: number;
  /** 0 when none is allocated. */
  nodePort: number;
}

export interface ServiceView {
  namespace: string;
  name: string;
  type: string;
  /** spec.clusterIP: an address, 'None' (headless) or '' (ExternalName). */
  clusterIP: string;
  ports: ServicePortView[];
  externalIPs: string[];
  /** status.loadBalancer.ingress[].ip (hostname-only ingress is not routable here). */
  loadBalancerIPs: string[];
  /** spec.loadBalancerSourceRanges, trimmed (validation lets padding through; kube-proxy trims). */
  loadBalancerSourceRanges: string[];
  /** sessionAffinity ClientIP timeout in seconds; undefined without affinity. */
  affinityTimeoutSeconds?: number;
  internalTrafficLocal: boolean;
  externalTrafficLocal: boolean;
}

export interface EndpointView {
  /** addresses[0]: kube-proxy uses only the first address of an endpoint. */
  address: string;
  nodeName?: string;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  /** hints.forZones names (trafficDistribution), undefined when the endpoint has none. */
  zoneHints?: string[];
}

export interface SlicePortView {
  name: string;
  protocol: string;
  port: number;
}

export interface SliceView {
  namespace: string;
  name: string;
  serviceName: string;
  addressType: string;
  ports: SlicePortView[];
  endpoints: EndpointView[];
}

/** Node label naming the node's zone (topology-aware routing). */
export const LABEL_TOPOLOGY_ZONE = 'topology.kubernetes.io/zone';

export interface NodeView {
  name: string;
  internalIPs: string[];
  labels: Record<string, string>;
}

/** Everything one node's ruleset depends on, frozen by the caller's change tracker. */
export interface ProxySnapshot {
  services: readonly ServiceView[];
  slices: readonly SliceView[];
  nodes?: readonly NodeView[];
}

/** Default sessionAffinityConfig.clientIP.timeoutSeconds (core/v1: 3 hours). */
export const DEFAULT_AFFINITY_TIMEOUT_SECONDS = 10800;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' && Number.isInteger(v) ? v : 0);
const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);

export function serviceView(svc: any): ServiceView {
  const spec = svc?.spec ?? {};
  const affinity = spec.sessionAffinity === 'ClientIP';
  const timeout = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
  return {
    namespace: str(svc?.metadata?.namespace) || 'default',
    name: str(svc?.metadata?.name),
    type: str(spec.type) || 'ClusterIP',
    clusterIP: str(spec.clusterIP) || str(arr(spec.clusterIPs)[0]),
    ports: arr(spec.ports).map((p) => ({
      name: str(p?.name), protocol: str(p?.protocol) || 'TCP', port: num(p?.port), nodePort: num(p?.nodePort),
    })),
    externalIPs: arr(spec.externalIPs).map(str),
    loadBalancerIPs: arr(svc?.status?.loadBalancer?.ingress).map((i) => str(i?.ip)).filter((ip) => ip !== ''),
    loadBalancerSourceRanges: arr(spec.loadBalancerSourceRanges).map((r) => str(r).trim()).filter((r) => r !== ''),
    affinityTimeoutSeconds: affinity ? (typeof timeout === 'number' ? timeout : DEFAULT_AFFINITY_TIMEOUT_SECONDS) : undefined,
    internalTrafficLocal: spec.internalTrafficPolicy === 'Local',
    externalTrafficLocal: spec.externalTrafficPolicy === 'Local',
  };
}

export function sliceView(slice: any): SliceView {
  return {
    namespace: str(slice?.metadata?.namespace) || 'default',
    name: str(slice?.metadata?.name),
    serviceName: str(slice?.metadata?.labels?.[LABEL_SERVICE_NAME]),
    addressType: str(slice?.addressType),
    ports: arr(slice?.ports).map((p) => ({ name: str(p?.name), protocol: str(p?.protocol) || 'TCP', port: num(p?.port) })),
    endpoints: arr(slice?.endpoints)
      .filter((e) => arr(e?.addresses).length > 0)
      .map((e) => {
        const c = e?.conditions ?? {};
        // discovery.k8s.io/v1: an unset ready or serving condition means "unknown", which
        // consumers treat as true; unset terminating means false.
        const ready = c.ready == null || c.ready === true;
        const zones = arr(e?.hints?.forZones).map((z) => str(z?.name)).filter((z) => z !== '');
        const view: EndpointView = {
          address: str(e.addresses[0]),
          nodeName: typeof e?.nodeName === 'string' ? e.nodeName : undefined,
          ready,
          serving: c.serving == null || c.serving === true,
          terminating: c.terminating === true,
        };
        if (zones.length > 0) view.zoneHints = zones;
        return view;
      }),
  };
}

export function nodeView(node: any): NodeView {
  return {
    name: str(node?.metadata?.name),
    internalIPs: arr(node?.status?.addresses).filter((a) => a?.type === 'InternalIP').map((a) => str(a?.address)),
    labels: { ...(node?.metadata?.labels ?? {}) },
  };
}
