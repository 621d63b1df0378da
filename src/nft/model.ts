// The nftables model knet's compilers produce and its applier loads: one table with its base
// chains, regular chains, sets and maps. Rules are nft rule text (as `nft -f` reads it);
// set and map elements are kept as values so that the applier can send only the elements
// that changed (the reason knet's rulesets scale: state lives in elements, not in chains).

export type Family = 'ip' | 'ip6' | 'inet';

export type Hook = 'prerouting' | 'input' | 'forward' | 'output' | 'postrouting';

export interface BaseChainSpec {
  type: 'filter' | 'nat' | 'route';
  hook: Hook;
  /** A number, or a named priority with offset as nft writes it: 'dstnat', 'dstnat - 10', 'srcnat'. */
  priority: number | string;
  policy?: 'accept' | 'drop';
}

export interface Rule {
  /** The rule as nft rule text, e.g. `ip daddr . meta l4proto . th dport vmap @service-ips`. */
  text: string;
  /** Why the rule exists (kept as an nft comment, max 128 characters). */
  comment?: string;
}

export interface Chain {
  name: string;
  /** Present for base chains (attached to a netfilter hook). */
  base?: BaseChainSpec;
  rules: Rule[];
  comment?: string;
}

export interface NftSet {
  name: string;
  /** `typeof` expression (preferred: nft derives the types), e.g. `ip daddr . meta l4proto . th dport`. */
  typeof?: string;
  /** Or an explicit `type`, e.g. `ipv4_addr . inet_proto . inet_service`. */
  type?: string;
  flags?: ('interval' | 'timeout' | 'dynamic' | 'constant')[];
  /** Default element timeout, e.g. `10800s`. */
  timeout?: string;
  /** Elements as nft writes them: `10.96.0.10 . udp . 53`. */
  elements: string[];
  comment?: string;
}

export interface NftMap {
  name: string;
  /** `typeof <key> : <value>`, e.g. key `ip daddr . meta l4proto . th dport`, value `verdict`. */
  typeofKey?: string;
  typeofValue?: string;
  /** Or explicit types: `ipv4_addr . inet_proto . inet_service : verdict`. */
  type?: string;
  flags?: ('interval' | 'timeout' | 'dynamic' | 'constant')[];
  /** Default element timeout, e.g. `10800s`. */
  timeout?: string;
  /** [key, value] as nft writes them: ['10.96.0.10 . udp . 53', 'goto svc-dns'] or ['10.96.0.10 . tcp . 80 . 0', '10.244.1.5 . 8080']. */
  elements: [string, string][];
  comment?: string;
}

export interface Table {
  family: Family;
  name: string;
  chains: Chain[];
  sets: NftSet[];
  maps: NftMap[];
  comment?: string;
}

/**
 * Element changes to sets and maps, by set or map name: keys (with their map value, '' for
 * sets) to add, and keys to delete. A changed map value is a delete and an add of its key.
 */
export type ElementChanges = Map<string, { add: Map<string, string>; del: Set<string> }>;
