// ClusterIP and NodePort allocation, done by the API server at create/update time as
// kube-apiserver does (pkg/registry/core/service/ipallocator and portallocator).
//
// The allocated sets are rebuilt from the stored Services at start-up, so they survive restarts
// without a separate bitmap. All writes of Services go through this process and the reserve
// step is synchronous, so two concurrent creates can never receive the same IP or port: the
// second reservation sees the first before either awaits the store. A failed write releases
// what it reserved.
//
// Like upstream, a dynamic allocation prefers the upper part of the range and leaves the lower
// band (min(max(16, size/16), 256) addresses) for static requests.

import { ApiError } from '../lib/errors.ts';
import type { FieldError } from '../lib/field-errors.ts';
import { invalidValue } from '../lib/field-errors.ts';
import { cidrContains, formatCidr4, formatIPv4, parseCidr4, parseIPv4 } from '../lib/ip.ts';
import type { Cidr4 } from '../lib/ip.ts';

export interface ServiceRanges {
  serviceCIDR: string;       // 10.96.0.0/12
  nodePortRange: [number, number]; // [30000, 32767]
}

export class ServiceAllocator {
  readonly cidr: Cidr4;
  readonly portMin: number;
  readonly portMax: number;
  private ips = new Set<number>();
  private nodePorts = new Set<number>();

  constructor(r: ServiceRanges) {
    this.cidr = parseCidr4(r.serviceCIDR);
    [this.portMin, this.portMax] = r.nodePortRange;
  }

  get rangeText(): string {
    return formatCidr4(this.cidr);
  }

  /** The Nth address of the range (1 -> 10.96.0.1, the `kubernetes` Service). */
  nth(n: number): string {
    return formatIPv4(this.cidr.base + n);
  }

  /** Rebuilds the in-use sets from stored Services. */
  load(services: any[]): void {
    this.ips.clear();
    this.nodePorts.clear();
    for (const s of services) {
      for (const ip of s.spec?.clusterIPs ?? (s.spec?.clusterIP ? [s.spec.clusterIP] : [])) {
        const n = parseIPv4(ip);
        if (n !== undefined) this.ips.add(n);
      }
      for (const p of nodePortsOf(s)) this.nodePorts.add(p);
    }
  }

  /** Reserves a requested IP or picks one. Throws 422 on the field when refused. */
  reserveIP(requested: string | undefined, field: string): string {
    if (requested) {
      const n = parseIPv4(requested);
      if (n === undefined) throw this.invalid(field, requested, 'must be a valid IP address');
      if (!cidrContains(this.cidr, n) || n === this.cidr.base || n === this.cidr.base + this.cidr.size - 1) {
        throw this.invalid(field, requested, `failed to allocate IP ${requested}: the provided IP (${requested}) is not in the valid range. The range of valid IPs is ${this.rangeText}`);
      }
      if (this.ips.has(n)) throw this.invalid(field, requested, `failed to allocate IP ${requested}: provided IP is already allocated`);
      this.ips.add(n);
      return requested;
    }
    const usable = this.cidr.size - 2; // network and broadcast addresses are never handed out
    const band = Math.min(Math.max(16, Math.floor(usable / 16)), 256);
    const pick = (from: number, count: number): number | undefined => {
      if (count <= 0) return undefined;
      const start = Math.floor(Math.random() * count);
      for (let i = 0; i < count; i++) {
        const n = this.cidr.base + 1 + from + ((start + i) % count);
        if (!this.ips.has(n)) return n;
      }
      return undefined;
    };
    const n = pick(band, usable - band) ?? pick(0, band);
    if (n === undefined) throw new ApiError('InternalError', `Internal error occurred: failed to allocate a serviceIP: range is full`);
    this.ips.add(n);
    return formatIPv4(n);
  }

  releaseIP(ip: string | undefined): void {
    const n = ip ? parseIPv4(ip) : undefined;
    if (n !== undefined) this.ips.delete(n);
  }

  reserveNodePort(requested: number | undefined, field: string): number {
    if (requested) {
      if (requested < this.portMin || requested > this.portMax) {
        throw this.invalid(field, requested, `provided port is not in the valid range. The range of valid ports is ${this.portMin}-${this.portMax}`);
      }
      if (this.nodePorts.has(requested)) throw this.invalid(field, requested, 'provided port is already allocated');
      this.nodePorts.add(requested);
      return requested;
    }
    const count = this.portMax - this.portMin + 1;
    const start = Math.floor(Math.random() * count);
    for (let i = 0; i < count; i++) {
      const p = this.portMin + ((start + i) % count);
      if (!this.nodePorts.has(p)) {
        this.nodePorts.add(p);
        return p;
      }
    }
    throw new ApiError('InternalError', 'Internal error occurred: failed to allocate a nodePort: range is full');
  }

  releaseNodePort(p: number | undefined): void {
    if (p) this.nodePorts.delete(p);
  }

  private invalid(field: string, value: unknown, detail: string): ApiError {
    const errs: FieldError[] = [invalidValue(field, value, detail)];
    return Object.assign(new ApiError('Invalid', ''), { pendingFieldErrors: errs });
  }
}

export function nodePortsOf(s: any): number[] {
  const out: number[] = [];
  for (const p of s?.spec?.ports ?? []) if (p.nodePort) out.push(p.nodePort);
  if (s?.spec?.healthCheckNodePort) out.push(s.spec.healthCheckNodePort);
  return out;
}

/** Field errors carried by an allocation refusal, to be reported as the Service's 422. */
export function allocationErrors(err: unknown): FieldError[] | undefined {
  return (err as { pendingFieldErrors?: FieldError[] })?.pendingFieldErrors;
}
