// The cluster fabric (nodes as namespaces on one bridge) and the routes between nodes' pod
// CIDRs (flannel's role): pure planners for host-gw and vxlan, and an applier.

export {
  FABRIC_BRIDGE, FABRIC_CIDR, FABRIC_GATEWAY, NODE_UPLINK,
  clusterPrefix, fabricNetns, fabricPort, nodeIP, nodeMac, nodeNetns, podNetns,
} from './names.ts';
export type { NodeLink } from './fabric.ts';
export { addNode, clusterNamespaces, createFabric, destroyCluster, removeNode } from './fabric.ts';
export type { Backend, NodeSelf, NodeView, PlannedFdb, PlannedNeighbour, PlannedRoute, RoutePlan, VxlanDevice } from './plan.ts';
export { VXLAN_DEVICE, VXLAN_MTU, VXLAN_PORT, VXLAN_VNI, planHostGwRoutes, planRoutes, planVxlan, vtepAddress, vtepMac } from './plan.ts';
export type { RouteChanges, RouteState, VxlanState } from './apply.ts';
export { KNET_ROUTE_PROTO, applyRoutes, diffRoutes, readRouteState } from './apply.ts';
export { startRouteSync } from './route-sync.ts';
export type { RouteSync } from './route-sync.ts';
export { PUBLISHED_ANNOTATION, startLoadBalancerPublisher } from './loadbalancer-publisher.ts';
export type { LoadBalancerPublisher } from './loadbalancer-publisher.ts';
