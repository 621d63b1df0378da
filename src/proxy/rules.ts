// One node's proxy rules kept between syncs: the merged state of every Service's
// contribution, recompiled one Service at a time, and handed to the applier as element
// changes. This is what makes one endpoint change cost that change, not a recompile and a
// diff of the whole ruleset (about 100,000 elements at 10,000 Services).

import type { ElementChanges, Table } from '../nft/model.ts';
import { checkOptions, newProxyState, type ProxyOptions } from './compile.ts';
import { planService, type ProxyProblem } from './plan.ts';
import { buildSkeleton, fillElements } from './ruleset.ts';
import { LABEL_TOPOLOGY_ZONE, serviceView, sliceView } from './snapshot.ts';
import type { ProxyRuleState } from './state.ts';

/** The applier's incremental interface (src/nft NftApplier implements it). */
export interface ChangesApplier {
  applyChanges(skeleton: Table, changes: ElementChanges, full: () => Table): Promise<unknown>;
  remove(): Promise<void>;
  /** Compares the kernel with `expected`, computed in turn with the applies (after those before it). */
  verify?(expected: Table | (() => Table)): Promise<{ inSync: boolean; differences: string[] }>;
  invalidate?(): void;
  /** Ends what the applier keeps running (its nft process); the rules stay in the kernel. */
  close?(): void;
}

export class ProxyRules {
  readonly #o: ProxyOptions;
  readonly #applier: ChangesApplier;
  #state: ProxyRuleState;
  #skeleton: { version: number; table: Table } | undefined;
  /** The skeleton handed to the applier by the last apply(): what the kernel's chains are. */
  #appliedSkeleton: Table | undefined;
  /** This node's topology zone (zone hints); set from its Node object before a rebuild. */
  #zone: string | undefined;

  constructor(opts: ProxyOptions, applier: ChangesApplier) {
    this.#o = checkOptions(opts);
    this.#applier = applier;
    this.#state = newProxyState(this.#o);
  }

  /** Takes what the rules need from this node's own object (its zone label). Call rebuild() after. */
  setNode(node: any | undefined): void {
    const zone = node?.metadata?.labels?.[LABEL_TOPOLOGY_ZONE];
    this.#zone = typeof zone === 'string' && zone !== '' ? zone : undefined;
  }

  /** Starts over from whole API objects (the first sync; the node's own object changed). */
  rebuild(services: readonly any[], slices: readonly any[]): void {
    this.#state = newProxyState(this.#o);
    this.#skeleton = undefined;
    const bySvc = new Map<string, any[]>();
    for (const s of slices) {
      const key = sliceOwner(s);
      if (key) bySvc.set(key, [...(bySvc.get(key) ?? []), s]);
    }
    const keys = new Set<string>([...bySvc.keys()]);
    const svcByKey = new Map<string, any>();
    for (const svc of services) {
      const key = `${svc.metadata?.namespace ?? 'default'}/${svc.metadata?.name}`;
      svcByKey.set(key, svc);
      keys.add(key);
    }
    for (const key of keys) this.update(key, svcByKey.get(key), bySvc.get(key) ?? []);
    this.#applier.invalidate?.();
  }

  /** Recompiles one Service from its object (undefined once deleted) and all its slices. */
  update(key: string, service: any | undefined, slices: readonly any[]): void {
    if (!service && slices.length === 0) {
      this.#state.set(key, undefined);
      return;
    }
    this.#state.set(key, planService(key, service && serviceView(service), slices.map(sliceView), this.#o.nodeName, this.#o.nodeIPs[0], this.#zone, this.#o.hairpinMode !== 'route'));
  }

  /** Sends what changed since the last apply (everything, when the kernel's state is unknown). */
  apply(): Promise<unknown> {
    const changes = this.#state.takeDelta();
    const skeleton = this.skeleton();
    this.#appliedSkeleton = skeleton;
    return this.#applier.applyChanges(skeleton, changes, () => this.table({ sorted: false }));
  }

  /** The whole table, elements in canonical order unless `sorted: false` (full applies, drift checks). */
  table(o: { sorted?: boolean } = {}): Table {
    return fillElements(this.skeleton(), this.#state, o.sorted ?? true);
  }

  skeleton(): Table {
    const version = this.#state.layoutVersion;
    if (this.#skeleton?.version !== version) this.#skeleton = { version, table: buildSkeleton(this.#state.layout(), this.#o) };
    return this.#skeleton.table;
  }

  problems(): ProxyProblem[] {
    return this.#state.problems();
  }

  /**
   * Compares the kernel with what the last apply sent, not with the rules as they are now:
   * Services are compiled as their events arrive, so the rules run ahead of the kernel until
   * the next sync, and that is not drift.
   */
  async verify(): Promise<{ inSync: boolean; differences: string[] }> {
    if (!this.#applier.verify) return { inSync: true, differences: [] };
    return this.#applier.verify(() => {
      const skeleton = this.#appliedSkeleton ?? this.skeleton();
      return {
        ...skeleton,
        sets: skeleton.sets.map((x) => ({ ...x, elements: this.#state.takenElementsOf(x.name).map(([k]) => k) })),
        maps: skeleton.maps.map((x) => ({ ...x, elements: this.#state.takenElementsOf(x.name) })),
      };
    });
  }

  invalidate(): void {
    this.#applier.invalidate?.();
  }

  remove(): Promise<void> {
    return this.#applier.remove();
  }

  close(): void {
    this.#applier.close?.();
  }
}

/** `<namespace>/<service>` of an EndpointSlice, from its service-name label ('' without one). */
export function sliceOwner(slice: any): string {
  const name = slice?.metadata?.labels?.['kubernetes.io/service-name'];
  return typeof name === 'string' && name !== '' ? `${slice.metadata?.namespace ?? 'default'}/${name}` : '';
}
