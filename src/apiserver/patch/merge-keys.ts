// Patch metadata per kind: how strategic merge patch and server-side apply treat each list
// (and a few maps) of the built-in types knet serves. The values follow the Go struct tags and
// `+listType`/`+listMapKey` markers of k8s.io/api v1.33 (core/v1, apps/v1, networking/v1,
// discovery/v1): SMP reads `patchStrategy`/`patchMergeKey`, SSA reads the list type and keys.
// Any list not in the table is replaced whole by SMP and atomic for SSA, which is also what
// upstream does for lists without markers.

export interface FieldMeta {
  /** SMP `patchStrategy`. Absent: the list (or map) is replaced as a whole. */
  strategy?: 'merge' | 'retainKeys' | 'merge,retainKeys';
  /** SMP `patchMergeKey` (lists of objects with strategy merge). */
  mergeKey?: string;
  /** SSA list type; absent means atomic. */
  listType?: 'map' | 'set' | 'atomic';
  /** SSA list-map keys (`+listMapKey`), in declaration order. */
  keys?: string[];
  /** Defaults of key fields as the OpenAPI schema declares them (ports omit protocol: TCP). */
  keyDefaults?: Record<string, unknown>;
  /** SSA: a map or struct owned as one value (`+mapType=atomic`, `+structType=atomic`). */
  atomic?: boolean;
}

type Table = Record<string, FieldMeta>;

const mergeBy = (mergeKey: string, keys: string[] = [mergeKey], keyDefaults?: Record<string, unknown>): FieldMeta =>
  ({ strategy: 'merge', mergeKey, listType: 'map', keys, keyDefaults });
const atomic: FieldMeta = { listType: 'atomic' };
const atomicMap: FieldMeta = { atomic: true };
const byType = mergeBy('type');

function under(prefix: string, table: Table): Table {
  const out: Table = {};
  for (const [path, meta] of Object.entries(table)) out[`${prefix}.${path}`] = meta;
  return out;
}

const objectMeta: Table = {
  'metadata.finalizers': { strategy: 'merge', listType: 'set' },
  'metadata.ownerReferences': mergeBy('uid'),
  'metadata.managedFields': atomic,
};

// Container and EphemeralContainer share these fields.
const container: Table = {
  ports: mergeBy('containerPort', ['containerPort', 'protocol'], { protocol: 'TCP' }),
  env: mergeBy('name'),
  volumeMounts: mergeBy('mountPath'),
  volumeDevices: mergeBy('devicePath'),
};

const podSpec: Table = {
  volumes: { ...mergeBy('name'), strategy: 'merge,retainKeys' },
  containers: mergeBy('name'),
  initContainers: mergeBy('name'),
  ephemeralContainers: mergeBy('name'),
  imagePullSecrets: mergeBy('name'),
  hostAliases: mergeBy('ip'),
  topologySpreadConstraints: mergeBy('topologyKey', ['topologyKey', 'whenUnsatisfiable']),
  schedulingGates: mergeBy('name'),
  resourceClaims: { ...mergeBy('name'), strategy: 'merge,retainKeys' },
  nodeSelector: atomicMap,
  tolerations: atomic,
  readinessGates: atomic,
  ...under('containers', container),
  ...under('initContainers', container),
  ...under('ephemeralContainers', container),
};

const podStatus: Table = {
  conditions: byType,
  podIPs: mergeBy('ip'),
  // SMP merges hostIPs by ip, SSA treats the list as atomic.
  hostIPs: { strategy: 'merge', mergeKey: 'ip', listType: 'atomic' },
};

const podTemplate = (prefix: string): Table => ({
  [`${prefix}.selector`]: atomicMap,
  ...under(`${prefix}.template`, objectMeta),
  ...under(`${prefix}.template.spec`, podSpec),
});

const byKind: Record<string, Table> = {
  Pod: { ...under('spec', podSpec), ...under('status', podStatus) },
  Deployment: {
    ...podTemplate('spec'),
    'spec.strategy': { strategy: 'retainKeys' },
    'status.conditions': byType,
  },
  ReplicaSet: { ...podTemplate('spec'), 'status.conditions': byType },
  Service: {
    'spec.ports': mergeBy('port', ['port', 'protocol'], { protocol: 'TCP' }),
    'spec.selector': atomicMap,
    'status.conditions': byType,
  },
  Node: {
    'spec.podCIDRs': { strategy: 'merge', listType: 'set' },
    'spec.taints': atomic,
    'status.conditions': byType,
    'status.addresses': byType,
  },
  Namespace: { 'status.conditions': byType },
  ServiceAccount: { secrets: mergeBy('name') },
  EndpointSlice: { 'endpoints.addresses': { listType: 'set' } },
  NetworkPolicy: {
    'spec.podSelector': atomicMap,
    'spec.ingress.from.podSelector': atomicMap,
    'spec.ingress.from.namespaceSelector': atomicMap,
    'spec.egress.to.podSelector': atomicMap,
    'spec.egress.to.namespaceSelector': atomicMap,
  },
  // Endpoints subsets, Ingress rules/tls/paths, NetworkPolicy rules and EndpointSlice
  // endpoints/ports are atomic lists, the default. ConfigMap, Secret, Event, Lease and
  // IngressClass have no list with patch metadata beyond ObjectMeta's.
  Endpoints: {}, Ingress: {}, ConfigMap: {}, Secret: {}, Event: {}, Lease: {}, IngressClass: {},
};

/** Kinds with a metadata table; others get ObjectMeta's entries only. */
export const knownKinds: readonly string[] = Object.keys(byKind);

/** Patch metadata of the field at `path` (field names only, list positions left out). */
export function fieldMeta(kind: string, path: readonly string[]): FieldMeta | undefined {
  const key = path.join('.');
  return byKind[kind]?.[key] ?? objectMeta[key];
}
