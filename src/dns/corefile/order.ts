// Plugin execution order, as data (habit 6). CoreDNS fixes the order at build time in
// plugin.cfg (coredns/coredns:plugin.cfg); the order of lines in a Corefile does not matter.
// This is that list, restricted to the directives knet knows, in the same relative order.
// A plugin sees the effects of every plugin after it, never of those before it: `cache`
// sits in front of `rewrite`, `hosts`, `kubernetes` and `forward`; `errors` and `log` wrap
// almost everything; `prometheus` measures everything below it.

export const PLUGIN_ORDER = [
  'reload',
  'ready',
  'health',
  'prometheus',
  'errors',
  'log',
  'loadbalance',
  'cache',
  'rewrite',
  'hosts',
  'kubernetes',
  'loop',
  'forward',
] as const;

export type PluginName = (typeof PLUGIN_ORDER)[number];

/** Directives that may appear more than once in a server block. */
export const REPEATABLE: ReadonlySet<string> = new Set(['rewrite', 'forward']);

export function orderOf(name: string): number {
  return (PLUGIN_ORDER as readonly string[]).indexOf(name);
}
