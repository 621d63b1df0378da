// API discovery, derived from the resource table (k8s/resources.ts).
// kubectl asks for the aggregated v2 documents at /api and /apis (KEP-3352, GA in 1.30) and
// falls back to the legacy documents (APIVersions, APIGroupList, APIResourceList) when the
// server answers plain JSON, so both are served.

import { RESOURCES, groupVersion } from '../k8s/resources.ts';
import type { ResourceInfo } from '../k8s/resources.ts';

export const AGGREGATED_V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
export const AGGREGATED_V2BETA1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

/** Groups in the order they are listed; each group's versions, preferred first. */
function groups(): Map<string, Map<string, ResourceInfo[]>> {
  const out = new Map<string, Map<string, ResourceInfo[]>>();
  for (const r of RESOURCES) {
    let g = out.get(r.group);
    if (!g) out.set(r.group, (g = new Map()));
    let v = g.get(r.version);
    if (!v) g.set(r.version, (v = []));
    v.push(r);
  }
  return out;
}

function aggregatedResource(r: ResourceInfo) {
  const entry: Record<string, unknown> = {
    resource: r.resource,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: r.verbs,
  };
  if (r.shortNames.length) entry.shortNames = r.shortNames;
  if (r.categories.length) entry.categories = r.categories;
  if (r.subresources.length) {
    entry.subresources = r.subresources.map((s) => ({
      subresource: s.name,
      responseKind: { group: s.group ?? r.group, version: s.version ?? r.version, kind: s.kind },
      verbs: s.verbs,
    }));
  }
  return entry;
}

/** `/api` (core only) or `/apis` (every other group) as an APIGroupDiscoveryList. */
export function aggregatedDiscovery(core: boolean, apiVersion = 'apidiscovery.k8s.io/v2') {
  const items = [];
  for (const [group, versions] of groups()) {
    if ((group === '') !== core) continue;
    items.push({
      metadata: { name: group, creationTimestamp: null },
      versions: [...versions].map(([version, rs]) => ({ version, resources: rs.map(aggregatedResource), freshness: 'Current' })),
    });
  }
  return { kind: 'APIGroupDiscoveryList', apiVersion, metadata: {}, items };
}

export function legacyApiVersions(serverAddress: string) {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function apiGroup(group: string, versions: string[]) {
  const vs = versions.map((v) => ({ groupVersion: `${group}/${v}`, version: v }));
  return { name: group, versions: vs, preferredVersion: vs[0] };
}

export function legacyApiGroupList() {
  const out = [];
  for (const [group, versions] of groups()) if (group) out.push(apiGroup(group, [...versions.keys()]));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: out };
}

export function legacyApiGroup(group: string) {
  const versions = groups().get(group);
  if (!group || !versions) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group, [...versions.keys()]) };
}

export function legacyResourceList(group: string, version: string) {
  const rs = groups().get(group)?.get(version);
  if (!rs) return undefined;
  const resources = [];
  for (const r of rs) {
    const entry: Record<string, unknown> = { name: r.resource, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs };
    if (r.shortNames.length) entry.shortNames = r.shortNames;
    if (r.categories.length) entry.categories = r.categories;
    resources.push(entry);
    for (const s of r.subresources) {
      const sub: Record<string, unknown> = { name: `${r.resource}/${s.name}`, singularName: '', namespaced: r.namespaced, kind: s.kind, verbs: s.verbs };
      if (s.group !== undefined) sub.group = s.group;
      if (s.version !== undefined) sub.version = s.version;
      resources.push(sub);
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupVersion(rs[0]), resources };
}
