// Node pod CIDR allocation (upstream's node IPAM range allocator): pure decisions.
export { planPodCIDRs, podCidrPatch, REASON_CIDR_NOT_AVAILABLE, REASON_INVALID_POD_CIDR } from './range-allocator.ts';
export type { PodCidrOptions, PodCidrPlan, PlannedEvent, NodeRef } from './range-allocator.ts';
