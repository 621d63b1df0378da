// knet's LoadBalancer address allocator (the fabric's "cloud provider"): pure decisions.
export { planLoadBalancerIPs, loadBalancerStatusPatch, KNET_LOAD_BALANCER_CLASS, ANNOTATION_LB_IPS, ANNOTATION_LB_IPS_IO } from './plan.ts';
export type { LoadBalancerPlan, LoadBalancerPlanOptions, LoadBalancerIngress, PlannedEvent, ServiceRef } from './plan.ts';
export { DEFAULT_LB_POOL, parsePool } from './pool.ts';
export type { AddressPool } from './pool.ts';
