// Predicates over a Service spec shared by defaulting, validation and type transitions
// (k/k pkg/api/service/util.go and the registry's needs* helpers).

import { asArray } from './meta.ts';

type Spec = Record<string, any> | undefined;

/** LoadBalancer, NodePort, or a ClusterIP service with externalIPs. */
export function externallyAccessible(spec: Spec): boolean {
  const t = spec?.type;
  return t === 'LoadBalancer' || t === 'NodePort' || (t === 'ClusterIP' && asArray(spec?.externalIPs).length > 0);
}

export const needsClusterIP = (spec: Spec): boolean => spec?.type !== 'ExternalName';
export const needsNodePort = (spec: Spec): boolean => spec?.type === 'NodePort' || spec?.type === 'LoadBalancer';
export const needsHealthCheck = (spec: Spec): boolean => spec?.type === 'LoadBalancer' && spec?.externalTrafficPolicy === 'Local';

/** clusterIPs == ["None"]: what upstream's isHeadlessService tests. */
export function isHeadless(spec: Spec): boolean {
  const ips = asArray<string>(spec?.clusterIPs);
  return ips.length === 1 && ips[0] === 'None';
}
