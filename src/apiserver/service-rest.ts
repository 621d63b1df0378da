// Service address allocation around writes: what to reserve before a Service is stored and what
// to give back after (registry/core/service/storage in upstream). Each call returns a
// transaction: `rollback()` if the write failed, `commit()` once it is stored.

import type { ServiceAllocator } from './service-allocator.ts';
import { allocationErrors, nodePortsOf } from './service-allocator.ts';
import type { FieldError } from '../lib/field-errors.ts';

export interface AllocationTxn {
  commit(): void;
  rollback(): void;
}

const externallyAccessible = (t: string) => t === 'NodePort' || t === 'LoadBalancer';

function wantsNodePorts(svc: any): boolean {
  const t = svc.spec?.type;
  if (t === 'NodePort') return true;
  return t === 'LoadBalancer' && svc.spec?.allocateLoadBalancerNodePorts !== false;
}

/**
 * Reserves ClusterIPs and NodePorts for `svc` (mutated in place), keeping what `old` already
 * holds. Throws the field errors of a refused request through `onErrors`.
 */
export function allocateServiceAddresses(alloc: ServiceAllocator, svc: any, old: any | undefined): AllocationTxn {
  const reservedIPs: string[] = [];
  const reservedPorts: number[] = [];
  const rollback = () => {
    reservedIPs.forEach((ip) => alloc.releaseIP(ip));
    reservedPorts.forEach((p) => alloc.releaseNodePort(p));
  };
  const errors: FieldError[] = [];
  const attempt = <T>(fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (err) {
      const fe = allocationErrors(err);
      if (!fe) {
        rollback();
        throw err;
      }
      errors.push(...fe);
      return undefined;
    }
  };
  const spec = (svc.spec ??= {});
  const type = spec.type ?? 'ClusterIP';

  // ClusterIP: every type but ExternalName has one, unless headless.
  const oldIP = old?.spec?.clusterIP;
  if (type === 'ExternalName') {
    delete spec.clusterIP;
    delete spec.clusterIPs;
  } else if (spec.clusterIP === 'None' || spec.clusterIPs?.[0] === 'None') {
    spec.clusterIP = 'None';
    spec.clusterIPs = ['None'];
  } else if (oldIP && oldIP !== 'None' && (spec.clusterIP === oldIP || !spec.clusterIP)) {
    spec.clusterIP = oldIP;
    spec.clusterIPs = old.spec.clusterIPs ?? [oldIP];
  } else {
    const requested = spec.clusterIP || spec.clusterIPs?.[0] || undefined;
    const ip = attempt(() => alloc.reserveIP(requested, spec.clusterIP ? 'spec.clusterIPs' : 'spec.clusterIPs'));
    if (ip) {
      reservedIPs.push(ip);
      spec.clusterIP = ip;
      spec.clusterIPs = [ip];
    }
  }
  if (type !== 'ExternalName') {
    spec.ipFamilies ??= ['IPv4'];
    spec.ipFamilyPolicy ??= 'SingleStack';
  }

  // NodePorts, per port; an existing port keeps its nodePort.
  const oldPorts = new Map<string, number>();
  for (const p of old?.spec?.ports ?? []) if (p.nodePort) oldPorts.set(`${p.port}/${p.protocol ?? 'TCP'}`, p.nodePort);
  const oldAll = new Set(nodePortsOf(old));
  (spec.ports ?? []).forEach((p: any, i: number) => {
    if (!wantsNodePorts(svc)) return;
    const keep = oldPorts.get(`${p.port}/${p.protocol ?? 'TCP'}`);
    if (p.nodePort && oldAll.has(p.nodePort)) return;
    if (!p.nodePort && keep) {
      p.nodePort = keep;
      return;
    }
    const np = attempt(() => alloc.reserveNodePort(p.nodePort || undefined, `spec.ports[${i}].nodePort`));
    if (np) {
      reservedPorts.push(np);
      p.nodePort = np;
    }
  });
  if (type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local') {
    if (!spec.healthCheckNodePort || !oldAll.has(spec.healthCheckNodePort)) {
      const hp = attempt(() => alloc.reserveNodePort(spec.healthCheckNodePort || undefined, 'spec.healthCheckNodePort'));
      if (hp) {
        reservedPorts.push(hp);
        spec.healthCheckNodePort = hp;
      }
    }
  } else if (!externallyAccessible(type) || spec.externalTrafficPolicy !== 'Local') {
    delete spec.healthCheckNodePort;
  }

  if (errors.length) {
    rollback();
    throw Object.assign(new Error('service allocation refused'), { fieldErrors: errors });
  }
  return {
    rollback,
    commit: () => {
      // Give back what the old object held and the new one no longer does.
      if (old) releaseServiceAddresses(alloc, old, svc);
    },
  };
}

/** Releases the addresses of `svc` that `keep` (if any) does not hold. */
export function releaseServiceAddresses(alloc: ServiceAllocator, svc: any, keep?: any): void {
  const keepIPs = new Set<string>(keep?.spec?.clusterIPs ?? []);
  for (const ip of svc.spec?.clusterIPs ?? []) if (ip !== 'None' && !keepIPs.has(ip)) alloc.releaseIP(ip);
  const keepPorts = new Set(nodePortsOf(keep));
  for (const p of nodePortsOf(svc)) if (!keepPorts.has(p)) alloc.releaseNodePort(p);
}

export function serviceFieldErrors(err: unknown): FieldError[] | undefined {
  return (err as { fieldErrors?: FieldError[] })?.fieldErrors;
}
