// Public face of the Corefile parser: text -> frozen, typed configuration.
export { parseCorefile } from './config.ts';
export { CorefileError } from './errors.ts';
export { PLUGIN_ORDER, REPEATABLE, orderOf, type PluginName } from './order.ts';
export { DEFAULT_COREFILE, defaultCorefile } from './default-corefile.ts';
export { CACHE_DEFAULT_CAPACITY } from './directives/cache.ts';
export { inZone, matchZone, fallsThrough } from './args.ts';
export type * from './types.ts';
