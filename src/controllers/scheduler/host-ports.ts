// NodePorts filter (upstream: pkg/scheduler/framework/plugins/nodeports and
// framework.HostPortInfo). Ports with hostPort > 0 of the containers and of restartable
// (sidecar) init containers are claimed on the node; an empty hostIP means 0.0.0.0, which
// conflicts with every address, and an empty protocol means TCP.

export const ERR_REASON_PORTS = "node(s) didn't have free ports for the requested pod ports";

export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

export function hostPortsOf(pod: any): HostPort[] {
  const out: HostPort[] = [];
  const collect = (c: any) => {
    for (const p of c?.ports ?? []) {
      if (!(p?.hostPort > 0)) continue;
      out.push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: p.hostPort });
    }
  };
  for (const c of pod?.spec?.initContainers ?? []) if (c?.restartPolicy === 'Always') collect(c);
  for (const c of pod?.spec?.containers ?? []) collect(c);
  return out;
}

function conflicts(a: HostPort, b: HostPort): boolean {
  if (a.port !== b.port || a.protocol !== b.protocol) return false;
  return a.ip === '0.0.0.0' || b.ip === '0.0.0.0' || a.ip === b.ip;
}

/** True when one of `wanted` collides with a port used by `podsOnNode`. */
export function hostPortsConflict(wanted: HostPort[], podsOnNode: any[]): boolean {
  if (wanted.length === 0) return false;
  const used = podsOnNode.flatMap(hostPortsOf);
  return wanted.some((w) => used.some((u) => conflicts(w, u)));
}
