// The proxy ruleset's elements as the merge of every Service's contribution (plan.ts), kept
// between syncs so that a change to one Service costs that Service's elements, not a
// recompile of all of them (issue 5's scale target: one endpoint change live in ≤ 20 ms at
// 10,000 Services).
//
// Invariants:
// - `elements` holds exactly the elements of the base parts of every contribution plus the
//   claim units that hold their key; identical elements from several contributions (a
//   ClusterIP shared by two bad Services, a pod in two slices) are counted, so removing one
//   contribution keeps the element while another still gives it.
// - A contested key is held by the first claimant in (Service name, port order) order, the
//   same order a full compile would see; a change to the holder hands the key to the next.
// - `journal` remembers, for every element touched since the last takeDelta(), its value
//   before the first touch: the delta is the difference between that and now, so an
//   element removed and added back within one sync costs nothing. Before the first
//   takeDelta() nothing is recorded: the first apply of a state must be a full one.

import type { ElementChanges } from '../nft/model.ts';
import { compareKeys, type AffinityGroup, type ClaimUnit, type ProxyProblem, type RuleElement, type ServiceContribution } from './plan.ts';
import { DISPATCH_FAMILIES, groupSetName, type DispatchFamily } from './names.ts';

/**
 * One set's or map's elements: key -> value, and for the few keys given by more than one
 * contribution, how many more (a separate map, so the common single-owner element costs no
 * object of its own: a full sync at 10,000 Services adds about 100,000).
 */
interface Elements {
  values: Map<string, string>;
  extra: Map<string, number>;
}

interface Claimant {
  owner: string;
  index: number;
  unit: ClaimUnit;
}


/** What the skeleton (chains and declarations) depends on besides constants. */
export interface RulesetLayout {
  /** family -> the endpoint counts n that have a group (non-empty), ascending. */
  groups: Map<DispatchFamily, number[]>;
  /** Affinity endpoint lists held by some Service port, by chain name. */
  affinity: AffinityGroup[];
}

const NONE = Symbol('none');

export class ProxyRuleState {
  readonly #contributions = new Map<string, ServiceContribution>();
  readonly #elements = new Map<string, Elements>();
  /** key -> claimants, holder first. */
  readonly #claims = new Map<string, Claimant[]>();
  readonly #affinity = new Map<string, { group: AffinityGroup; refs: number }>();
  /** Owners with problems of their own, and keys claimed more than once: what problems() reports. */
  readonly #withProblems = new Set<string>();
  readonly #contested = new Set<string>();
  #journal = new Map<string, Map<string, string | typeof NONE>>();
  /**
   * Off until the first takeDelta(): a new state is always applied in full first (its owner
   * invalidates the applier), so recording the changes that build it would be wasted work.
   */
  #recording = false;
  #layoutVersion = 0;

  /** Elements that belong to no Service (the node's addresses). */
  constructor(fixed: RuleElement[] = []) {
    for (const e of fixed) this.#add(e);
  }

  /** Replaces Service `owner`'s contribution (undefined: the Service and its slices are gone). */
  set(owner: string, next: ServiceContribution | undefined): void {
    const prev = this.#contributions.get(owner);
    if (prev) {
      for (const e of prev.base) this.#remove(e);
      prev.claims.forEach((u, index) => this.#unclaim(owner, index, u));
      this.#contributions.delete(owner);
    }
    if (next?.problems.length) this.#withProblems.add(owner);
    else this.#withProblems.delete(owner);
    if (next) {
      this.#contributions.set(owner, next);
      for (const e of next.base) this.#add(e);
      next.claims.forEach((unit, index) => this.#claim({ owner, index, unit }));
    }
  }

  has(owner: string): boolean {
    return this.#contributions.has(owner);
  }

  owners(): IterableIterator<string> {
    return this.#contributions.keys();
  }

  /** Changes since the last call (or since construction), and forgets them. */
  takeDelta(): ElementChanges {
    this.#recording = true;
    const out: ElementChanges = new Map();
    for (const [container, touched] of this.#journal) {
      const now = this.#elements.get(container);
      const add = new Map<string, string>();
      const del = new Set<string>();
      for (const [key, before] of touched) {
        const after = now?.values.get(key);
        if (before === NONE) {
          if (after !== undefined) add.set(key, after);
        } else if (after === undefined) {
          del.add(key);
        } else if (after !== before) {
          del.add(key);
          add.set(key, after);
        }
      }
      if (add.size || del.size) out.set(container, { add, del });
    }
    this.#journal = new Map();
    return out;
  }

  /** Forgets pending changes (the next apply is a full one anyway). */
  clearDelta(): void {
    this.#journal = new Map();
  }

  /** Current elements of one set or map (value '' for sets), in no particular order. */
  elementsOf(container: string): IterableIterator<[string, string]> {
    const m = this.#elements.get(container);
    return (function* () {
      if (m) yield* m.values;
    })();
  }

  /**
   * The elements of one set or map as the last takeDelta() left them: the current ones with
   * the changes made since put back (what the kernel holds after the last apply, while
   * newer changes are compiled but not yet sent).
   */
  takenElementsOf(container: string): [string, string][] {
    const touched = this.#journal.get(container);
    const out: [string, string][] = [];
    for (const [k, v] of this.elementsOf(container)) if (!touched?.has(k)) out.push([k, v]);
    for (const [k, before] of touched ?? []) if (before !== NONE) out.push([k, before]);
    return out;
  }

  containers(): IterableIterator<string> {
    return this.#elements.keys();
  }

  /** Bumped whenever the layout may have changed (a group appeared or vanished, affinity). */
  get layoutVersion(): number {
    return this.#layoutVersion;
  }

  layout(): RulesetLayout {
    const groups = new Map<DispatchFamily, number[]>();
    for (const family of DISPATCH_FAMILIES) {
      const prefix = `${family}-`;
      const ns: number[] = [];
      for (const [name, m] of this.#elements) {
        if (m.values.size === 0 || !name.startsWith(prefix)) continue;
        const rest = name.slice(prefix.length);
        if (/^\d+$/.test(rest) && groupSetName(family, Number(rest)) === name) ns.push(Number(rest));
      }
      groups.set(family, ns.sort((a, b) => a - b));
    }
    return { groups, affinity: [...this.#affinity.values()].map((a) => a.group) };
  }

  problems(): ProxyProblem[] {
    const out: ProxyProblem[] = [];
    const split = (owner: string) => ({ namespace: owner.slice(0, owner.indexOf('/')), name: owner.slice(owner.indexOf('/') + 1) });
    for (const owner of this.#withProblems) for (const message of this.#contributions.get(owner)?.problems ?? []) out.push({ ...split(owner), message });
    for (const key of this.#contested) {
      const list = this.#claims.get(key) ?? [];
      for (const c of list.slice(1)) {
        out.push({ ...split(c.owner), message: `${c.unit.what} ${key} is already used by Service ${list[0].owner}` });
      }
    }
    return out.sort((a, b) => compareKeys(`${a.namespace}/${a.name}`, `${b.namespace}/${b.name}`) || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
  }

  #claim(c: Claimant): void {
    let list = this.#claims.get(c.unit.key);
    if (!list) this.#claims.set(c.unit.key, (list = []));
    let at = list.findIndex((x) => compareClaimants(c, x) < 0);
    if (at < 0) at = list.length;
    if (at === 0 && list.length > 0) this.#release(list[0].unit);
    list.splice(at, 0, c);
    if (list.length > 1) this.#contested.add(c.unit.key);
    if (at === 0) this.#hold(c.unit);
  }

  #unclaim(owner: string, index: number, unit: ClaimUnit): void {
    const list = this.#claims.get(unit.key);
    if (!list) return;
    const at = list.findIndex((x) => x.owner === owner && x.index === index);
    if (at < 0) return;
    list.splice(at, 1);
    if (at === 0) {
      this.#release(unit);
      if (list.length > 0) this.#hold(list[0].unit);
    }
    if (list.length <= 1) this.#contested.delete(unit.key);
    if (list.length === 0) this.#claims.delete(unit.key);
  }

  #hold(u: ClaimUnit): void {
    for (const e of u.elements) this.#add(e);
    for (const g of u.affinity) {
      const had = this.#affinity.get(g.chain);
      if (had) had.refs++;
      else {
        this.#affinity.set(g.chain, { group: g, refs: 1 });
        this.#layoutVersion++;
      }
    }
  }

  #release(u: ClaimUnit): void {
    for (const e of u.elements) this.#remove(e);
    for (const g of u.affinity) {
      const had = this.#affinity.get(g.chain);
      if (!had) continue;
      if (--had.refs === 0) {
        this.#affinity.delete(g.chain);
        this.#layoutVersion++;
      }
    }
  }

  #add(e: RuleElement): void {
    let m = this.#elements.get(e.container);
    if (!m) this.#elements.set(e.container, (m = { values: new Map(), extra: new Map() }));
    const had = m.values.get(e.key);
    if (had !== undefined) {
      m.extra.set(e.key, (m.extra.get(e.key) ?? 0) + 1);
      // Two holders of one key with different values cannot happen: keys with values are
      // claim keys, held by one Service at a time. Last writer wins, to stay consistent.
      if (had !== e.value) {
        this.#touch(e.container, e.key, had);
        m.values.set(e.key, e.value);
      }
      return;
    }
    this.#touch(e.container, e.key, NONE);
    if (m.values.size === 0) this.#layoutVersion++;
    m.values.set(e.key, e.value);
  }

  #remove(e: RuleElement): void {
    const m = this.#elements.get(e.container);
    const had = m?.values.get(e.key);
    if (!m || had === undefined) return;
    const extra = m.extra.get(e.key);
    if (extra !== undefined) {
      if (extra === 1) m.extra.delete(e.key);
      else m.extra.set(e.key, extra - 1);
      return;
    }
    this.#touch(e.container, e.key, had);
    m.values.delete(e.key);
    if (m.values.size === 0) this.#layoutVersion++;
  }

  #touch(container: string, key: string, before: string | typeof NONE): void {
    if (!this.#recording) return;
    let j = this.#journal.get(container);
    if (!j) this.#journal.set(container, (j = new Map()));
    if (!j.has(key)) j.set(key, before);
  }
}

function compareClaimants(a: Claimant, b: Claimant): number {
  return a.owner === b.owner ? a.index - b.index : compareKeys(a.owner, b.owner);
}
