// Loading and validating network configuration lists (CNI spec 1.0.0, "Network configuration
// lists"). Configuration is checked once here and frozen, so the runtime can trust it.

import { KnetError } from '../lib/errors.ts';
import type { Conflist, PluginConf } from './types.ts';

/** Spec versions this runtime and Debian's plugins (libcni v1.0.1) both understand with chaining. */
export const SUPPORTED_CNI_VERSIONS: readonly string[] = ['0.3.0', '0.3.1', '0.4.0', '1.0.0'];

// libcni validates network names the same way: they become file names in caches and IPAM stores.
const NETWORK_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
// A plugin type is a binary name looked up in CNI_PATH, never a path.
const PLUGIN_TYPE = /^[a-zA-Z0-9][a-zA-Z0-9_.+-]*$/;

function bad(why: string): KnetError {
  return new KnetError('invalid-cni-config', `invalid CNI network configuration list: ${why}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses and validates a conflist given as JSON text or as an already parsed object. */
export function loadConflist(input: string | unknown): Conflist {
  let raw: unknown = input;
  if (typeof input === 'string') {
    try {
      raw = JSON.parse(input);
    } catch (err) {
      throw new KnetError('invalid-cni-config', `invalid CNI network configuration list: not JSON: ${(err as Error).message}`, { cause: err });
    }
  }
  if (!isObject(raw)) throw bad('expected a JSON object');

  const { cniVersion, name, plugins, disableCheck } = raw;
  if (cniVersion === undefined || cniVersion === '') throw bad('"cniVersion" is required');
  if (typeof cniVersion !== 'string') throw bad('"cniVersion" must be a string');
  if (!SUPPORTED_CNI_VERSIONS.includes(cniVersion)) {
    throw bad(`cniVersion "${cniVersion}" is not supported (supported: ${SUPPORTED_CNI_VERSIONS.join(', ')})`);
  }
  if (name === undefined || name === '') throw bad('"name" is required');
  if (typeof name !== 'string' || !NETWORK_NAME.test(name)) {
    throw bad(`name ${JSON.stringify(name)} must start with a letter or digit and contain only letters, digits, "_", "." and "-"`);
  }
  if (plugins === undefined) throw bad(`network "${name}": "plugins" is required`);
  if (!Array.isArray(plugins) || plugins.length === 0) throw bad(`network "${name}": "plugins" must be a non-empty array`);
  let check = false;
  if (disableCheck !== undefined) {
    // libcni also accepts the strings "true"/"false" here.
    if (disableCheck === true || disableCheck === 'true') check = true;
    else if (disableCheck !== false && disableCheck !== 'false') throw bad(`network "${name}": "disableCheck" must be a boolean`);
  }

  const confs = plugins.map((p, i) => validatePlugin(p, `network "${name}": plugins[${i}]`));
  return Object.freeze({ cniVersion, name, disableCheck: check, plugins: Object.freeze(confs) });
}

function validatePlugin(p: unknown, where: string): Readonly<PluginConf> {
  if (!isObject(p)) throw bad(`${where} must be an object`);
  if (p.type === undefined || p.type === '') throw bad(`${where}: "type" is required`);
  if (typeof p.type !== 'string' || !PLUGIN_TYPE.test(p.type)) {
    throw bad(`${where}: type ${JSON.stringify(p.type)} must be a plugin binary name (no "/")`);
  }
  if (p.capabilities !== undefined) {
    if (!isObject(p.capabilities) || !Object.values(p.capabilities).every((v) => typeof v === 'boolean')) {
      throw bad(`${where} (${p.type}): "capabilities" must map capability names to booleans`);
    }
  }
  if (p.runtimeConfig !== undefined) throw bad(`${where} (${p.type}): "runtimeConfig" is set by the runtime, not by configuration`);
  if (p.prevResult !== undefined) throw bad(`${where} (${p.type}): "prevResult" is set by the runtime, not by configuration`);
  return Object.freeze(structuredClone(p) as PluginConf);
}

/**
 * The config a plugin reads on stdin (spec "Deriving execution configuration"): the list's
 * name and cniVersion inserted, runtimeConfig = the intersection of the plugin's declared
 * capabilities with the runtime's capability args, `capabilities` removed, prevResult added.
 */
export function pluginStdinConfig(
  list: Conflist,
  plugin: Readonly<PluginConf>,
  capabilityArgs: Record<string, unknown> | undefined,
  prevResult: unknown,
): Record<string, unknown> {
  const { capabilities, ...rest } = plugin;
  const conf: Record<string, unknown> = { ...structuredClone(rest), cniVersion: list.cniVersion, name: list.name };
  const runtimeConfig: Record<string, unknown> = {};
  for (const [cap, on] of Object.entries(capabilities ?? {})) {
    if (on && capabilityArgs && capabilityArgs[cap] !== undefined) runtimeConfig[cap] = capabilityArgs[cap];
  }
  if (Object.keys(runtimeConfig).length > 0) conf.runtimeConfig = runtimeConfig;
  if (prevResult !== undefined) conf.prevResult = prevResult;
  return conf;
}
