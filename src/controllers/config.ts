// Settings of the controllers, parsed and frozen by the caller (cmd/ or the CLI).

import { DEFAULT_LB_POOL } from './loadbalancer/index.ts';

export interface ControllersConfig {
  /** Pod network of the cluster; each node gets a slice of it. */
  clusterCIDR: string;
  /** The Service ClusterIP range: node pod CIDRs never overlap it. */
  serviceCIDR: string;
  /** Prefix length of each node's pod CIDR. */
  nodeCIDRMaskSize: number;
  /** Addresses for Services of type LoadBalancer (CIDRs or a-b ranges). */
  loadBalancerPool: string[];
  /** Where in-cluster clients reach the API server: the `kubernetes` Service's endpoints. */
  apiServerEndpoint: { ip: string; port: number };
}

export const DEFAULT_CONTROLLERS_CONFIG: Readonly<ControllersConfig> = Object.freeze({
  clusterCIDR: '10.244.0.0/16',
  serviceCIDR: '10.96.0.0/12',
  nodeCIDRMaskSize: 24,
  loadBalancerPool: [...DEFAULT_LB_POOL],
  apiServerEndpoint: { ip: '172.18.0.2', port: 6443 },
});
