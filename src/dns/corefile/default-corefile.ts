// The Corefile knet ships in the kube-system/coredns ConfigMap: kubeadm's
// (kubernetes/kubernetes cmd/kubeadm/app/phases/addons/dns/manifests.go), with the cluster
// domain filled in. The `disable success/denial` lines keep the cluster zone out of the
// cache so a new Service resolves at once (kubernetes/kubernetes PR #128359).

/**
 * kubeadm's Corefile for `clusterDomain`. `forward: false` leaves out the `forward` line: a
 * hermetic cluster (knet's default) answers names outside the cluster with SERVFAIL at once.
 */
export function defaultCorefile(clusterDomain = 'cluster.local', o: { forward?: boolean } = {}): string {
  const forward = o.forward === false ? '' : `    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
`;
  return `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes ${clusterDomain} in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
${forward}    cache 30 {
       disable success ${clusterDomain}
       disable denial ${clusterDomain}
    }
    loop
    reload
    loadbalance
}
`;
}

export const DEFAULT_COREFILE = defaultCorefile();
