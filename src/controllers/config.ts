// Settings of the controllers, parsed and frozen by the caller (cmd/ or the CLI).

export interface ControllersConfig {
  /** Pod network of the cluster; each node gets a slice of it. */
  clusterCIDR: string;
  /** Prefix length of each node's pod CIDR. */
  nodeCIDRMaskSize: number;
  /** Addresses for Services of type LoadBalancer (CIDRs or a-b ranges). */
  loadBalancerPool: string[];
  /** Where in-cluster clients reach the API server: the `kubernetes` Service's endpoints. */
  apiServerEndpoint: { ip: string; port: number };
}

export const DEFAULT_CONTROLLERS_CONFIG: Readonly<ControllersConfig> = Object.freeze({
  clusterCIDR: '10.244.0.0/16',
  nodeCIDRMaskSize: 24,
  loadBalancerPool: ['172.18.255.200-172.18.255.250'],
  apiServerEndpoint: { ip: '172.18.0.2', port: 6443 },
});
