// The table of API resources knet serves: group, version, kind, scope, short names and
// subresources as kube-apiserver declares them. Discovery, routing, OpenAPI, printing and the
// storage keys are all derived from this one table (ordering as data: the order here is the
// order discovery lists them in).

export interface SubresourceInfo {
  name: string;            // 'status', 'scale', 'log', 'exec', ...
  kind: string;            // responseKind of the subresource
  group?: string;          // responseKind group when it differs (scale -> autoscaling/v1)
  version?: string;
  verbs: string[];
}

export interface ResourceInfo {
  group: string;           // '' for the core group
  version: string;
  resource: string;        // plural, lower case
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  subresources: SubresourceInfo[];
  /** Does spec change bump metadata.generation (registry strategies of 1.33). */
  generation: boolean;
}

const rw = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const statusOf = (kind: string): SubresourceInfo => ({ name: 'status', kind, verbs: ['get', 'patch', 'update'] });
const scale: SubresourceInfo = { name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] };

function res(
  group: string, version: string, resource: string, kind: string, namespaced: boolean,
  opts: Partial<Pick<ResourceInfo, 'shortNames' | 'categories' | 'subresources' | 'verbs' | 'generation' | 'singular'>> = {},
): ResourceInfo {
  return {
    group, version, resource, kind, namespaced,
    singular: opts.singular ?? kind.toLowerCase(),
    listKind: `${kind}List`,
    shortNames: opts.shortNames ?? [],
    categories: opts.categories ?? [],
    verbs: opts.verbs ?? rw,
    subresources: opts.subresources ?? [],
    generation: opts.generation ?? false,
  };
}

export const RESOURCES: readonly ResourceInfo[] = Object.freeze([
  res('', 'v1', 'namespaces', 'Namespace', false, {
    shortNames: ['ns'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: [statusOf('Namespace'), { name: 'finalize', kind: 'Namespace', verbs: ['update'] }],
  }),
  res('', 'v1', 'nodes', 'Node', false, { shortNames: ['no'], subresources: [statusOf('Node')] }),
  res('', 'v1', 'pods', 'Pod', true, {
    shortNames: ['po'], categories: ['all'], generation: true,
    subresources: [
      statusOf('Pod'),
      { name: 'binding', kind: 'Binding', verbs: ['create'] },
      { name: 'log', kind: 'Pod', verbs: ['get'] },
      { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
      { name: 'portforward', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
    ],
  }),
  res('', 'v1', 'services', 'Service', true, {
    shortNames: ['svc'], categories: ['all'], subresources: [statusOf('Service')],
  }),
  res('', 'v1', 'endpoints', 'Endpoints', true, { shortNames: ['ep'], singular: 'endpoints' }),
  res('', 'v1', 'configmaps', 'ConfigMap', true, { shortNames: ['cm'] }),
  res('', 'v1', 'secrets', 'Secret', true),
  res('', 'v1', 'serviceaccounts', 'ServiceAccount', true, {
    shortNames: ['sa'], subresources: [{ name: 'token', kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1', verbs: ['create'] }],
  }),
  res('', 'v1', 'events', 'Event', true, { shortNames: ['ev'] }),
  res('apps', 'v1', 'deployments', 'Deployment', true, {
    shortNames: ['deploy'], categories: ['all'], generation: true, subresources: [statusOf('Deployment'), scale],
  }),
  res('apps', 'v1', 'replicasets', 'ReplicaSet', true, {
    shortNames: ['rs'], categories: ['all'], generation: true, subresources: [statusOf('ReplicaSet'), scale],
  }),
  res('coordination.k8s.io', 'v1', 'leases', 'Lease', true),
  res('discovery.k8s.io', 'v1', 'endpointslices', 'EndpointSlice', true, { generation: true }),
  res('events.k8s.io', 'v1', 'events', 'Event', true, { shortNames: ['ev'] }),
  res('networking.k8s.io', 'v1', 'ingresses', 'Ingress', true, {
    shortNames: ['ing'], generation: true, subresources: [statusOf('Ingress')],
  }),
  res('networking.k8s.io', 'v1', 'ingressclasses', 'IngressClass', false, { generation: true }),
  res('networking.k8s.io', 'v1', 'networkpolicies', 'NetworkPolicy', true, { shortNames: ['netpol'], generation: true }),
]);

/** `services`, `deployments.apps`: the key printers, validators and schemas are filed under. */
export function resourceKey(r: Pick<ResourceInfo, 'group' | 'resource'>): string {
  return r.group ? `${r.resource}.${r.group}` : r.resource;
}

export function groupVersion(r: Pick<ResourceInfo, 'group' | 'version'>): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

const byPath = new Map<string, ResourceInfo>();
for (const r of RESOURCES) byPath.set(`${r.group}/${r.version}/${r.resource}`, r);

export function findResource(group: string, version: string, resource: string): ResourceInfo | undefined {
  return byPath.get(`${group}/${version}/${resource}`);
}

export function findByKind(apiVersion: string, kind: string): ResourceInfo | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return RESOURCES.find((r) => r.group === group && r.version === version && r.kind === kind);
}
