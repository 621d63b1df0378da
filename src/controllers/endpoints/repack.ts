// Canonical packing of v1 EndpointSubsets, after upstream's endpoints.RepackSubsets
// (pkg/api/v1/endpoints/util.go): expand to (address, port, ready) triples, then group
// ports that are served by exactly the same addresses with the same readiness.
// An address that is not ready for some port appears under notReadyAddresses in that
// port's subset only ("not ready" wins when one port is reported both ways).

export interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: { kind?: string; namespace?: string; name?: string; uid?: string; resourceVersion?: string; apiVersion?: string; fieldPath?: string };
}

export interface EndpointsPort {
  name?: string;
  port: number;
  protocol?: string;
  appProtocol?: string;
}

export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointsPort[];
}

// Addresses are de-duplicated by IP plus target UID, as upstream.
const addrKey = (a: EndpointAddress) => `${a.ip}|${a.targetRef?.uid ?? ''}`;
const portKey = (p: EndpointsPort | null) =>
  p === null ? '' : JSON.stringify([p.name ?? '', p.port, p.protocol ?? '', p.appProtocol ?? null]);

/** LessEndpointAddress: by IP text, then target UID (no target first). */
export function compareAddresses(a: EndpointAddress, b: EndpointAddress): number {
  if (a.ip !== b.ip) return a.ip < b.ip ? -1 : 1;
  const ua = a.targetRef ? a.targetRef.uid ?? '' : null;
  const ub = b.targetRef ? b.targetRef.uid ?? '' : null;
  if (ua === ub) return 0;
  if (ub === null) return 1;
  if (ua === null) return -1;
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

function comparePorts(a: EndpointsPort, b: EndpointsPort): number {
  const ka = portKey(a), kb = portKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

export function repackSubsets(subsets: EndpointSubset[]): EndpointSubset[] {
  const allAddrs = new Map<string, EndpointAddress>();
  // port key -> (the port, address key -> ready)
  const byPort = new Map<string, { port: EndpointsPort | null; addrs: Map<string, boolean> }>();
  const note = (addr: EndpointAddress, port: EndpointsPort | null, ready: boolean) => {
    const ak = addrKey(addr);
    if (!allAddrs.has(ak)) allAddrs.set(ak, { ...addr });
    const pk = portKey(port);
    let entry = byPort.get(pk);
    if (!entry) byPort.set(pk, (entry = { port, addrs: new Map() }));
    const was = entry.addrs.get(ak);
    if (was === undefined || was) entry.addrs.set(ak, ready);
  };
  for (const s of subsets) {
    // A subset without ports (headless Service without ports) is kept under a sentinel.
    const ports: (EndpointsPort | null)[] = s.ports?.length ? s.ports : [null];
    for (const p of ports) {
      for (const a of s.addresses ?? []) note(a, p, true);
      for (const a of s.notReadyAddresses ?? []) note(a, p, false);
    }
  }

  // Group ports by their exact (address, readiness) set.
  const groups = new Map<string, { addrs: Map<string, boolean>; ports: EndpointsPort[] }>();
  for (const { port, addrs } of byPort.values()) {
    const key = JSON.stringify([...addrs.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { addrs, ports: [] }));
    if (port !== null) g.ports.push(port);
  }

  const out: EndpointSubset[] = [];
  for (const g of groups.values()) {
    const ready: EndpointAddress[] = [], notReady: EndpointAddress[] = [];
    for (const [ak, isReady] of g.addrs) (isReady ? ready : notReady).push(allAddrs.get(ak)!);
    const subset: EndpointSubset = {};
    if (ready.length) subset.addresses = ready.sort(compareAddresses);
    if (notReady.length) subset.notReadyAddresses = notReady.sort(compareAddresses);
    if (g.ports.length) subset.ports = g.ports.sort(comparePorts);
    out.push(subset);
  }
  // Upstream orders subsets by a hash of their content; any fixed order serves the same
  // purpose (stable comparison), so order by content.
  return out.sort((a, b) => {
    const ka = JSON.stringify(a), kb = JSON.stringify(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}
