// The CNI runtime (libcni's role): runs a network configuration list for one attachment.
// ADD runs plugins in order, each seeing the previous result; DEL runs them in reverse with
// the cached ADD result; CHECK runs them in order with it (CNI spec 1.0.0, "Attachment
// lifecycle"). Unlike libcni, a failed ADD is undone here (DEL of the whole list) before the
// error is returned, so callers never see a half-wired pod.
//
// The caller serialises operations on one attachment (containerId, ifName): the spec forbids
// concurrent ADD/DEL for it, and the cache is not locked.

import { KnetError } from '../lib/errors.ts';
import { deleteCachedResult, readCachedResult, writeCachedResult } from './cache.ts';
import { pluginStdinConfig } from './conflist.ts';
import { CniPluginError, execPlugin } from './exec.ts';
import type { CniCommand, CniResult, Conflist, PluginConf, RuntimeConf, RuntimeOptions } from './types.ts';

const CONTAINER_ID = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

function validateRuntimeConf(rt: RuntimeConf, command: CniCommand): void {
  if (!rt.containerId || !CONTAINER_ID.test(rt.containerId)) {
    throw new KnetError('invalid-cni-args', `container id ${JSON.stringify(rt.containerId)} must start with a letter or digit and contain only letters, digits, "_", "." and "-"`);
  }
  // Linux interface names: at most 15 bytes, no "/" or whitespace, not "." or "..".
  if (!rt.ifName || rt.ifName.length > 15 || /[/\s:]/.test(rt.ifName) || rt.ifName === '.' || rt.ifName === '..') {
    throw new KnetError('invalid-cni-args', `interface name ${JSON.stringify(rt.ifName)} is not a valid Linux interface name (1-15 characters, no "/", ":" or spaces)`);
  }
  if (command !== 'DEL' && !rt.netns) throw new KnetError('invalid-cni-args', `${command} needs the path of the pod's network namespace`);
}

function atLeast040(version: string): boolean {
  return version === '0.4.0' || version.startsWith('1.');
}

async function runPlugin(command: CniCommand, list: Conflist, plugin: Readonly<PluginConf>, rt: RuntimeConf, opts: RuntimeOptions, prevResult: unknown): Promise<unknown> {
  return execPlugin({
    command,
    plugin: plugin.type,
    network: list.name,
    conf: pluginStdinConfig(list, plugin, rt.capabilityArgs, prevResult),
    rt,
    cniPath: opts.cniPath,
    runInNetns: opts.runInNetns,
    timeoutMs: opts.timeoutMs,
  });
}

function asResult(plugin: string, v: unknown, network: string): CniResult {
  if (typeof v !== 'object' || v === null || typeof (v as CniResult).cniVersion !== 'string') {
    throw new CniPluginError(plugin, 'ADD', network, undefined, 'it exited 0 but printed no result');
  }
  return v as CniResult;
}

/** ADD the attachment to every plugin of the list; returns the final result and caches it. */
export async function addNetworkList(list: Conflist, rt: RuntimeConf, opts: RuntimeOptions): Promise<CniResult> {
  validateRuntimeConf(rt, 'ADD');
  let prev: CniResult | undefined;
  for (const plugin of list.plugins) {
    try {
      prev = asResult(plugin.type, await runPlugin('ADD', list, plugin, rt, opts, prev), list.name);
    } catch (err) {
      try {
        await delPlugins(list, rt, opts, prev);
        await deleteCachedResult(opts.cacheDir, list.name, rt);
      } catch (cleanupErr) {
        const code = err instanceof KnetError ? err.code : 'cni-error';
        throw new KnetError(code, `${(err as Error).message}; undoing the partial ADD also failed: ${(cleanupErr as Error).message}`, { cause: err });
      }
      throw err;
    }
  }
  // The list is non-empty (loadConflist), so prev is set.
  await writeCachedResult(opts.cacheDir, list, rt, prev);
  return prev as CniResult;
}

async function delPlugins(list: Conflist, rt: RuntimeConf, opts: RuntimeOptions, prevResult: unknown): Promise<void> {
  const prev = atLeast040(list.cniVersion) ? prevResult : undefined;
  for (const plugin of [...list.plugins].reverse()) {
    await runPlugin('DEL', list, plugin, rt, opts, prev);
  }
}

/**
 * DEL the attachment from every plugin, in reverse order. Idempotent as the plugins are: a
 * second DEL, or a DEL after a failed ADD, succeeds. The cache entry goes only on success,
 * so a failed DEL can be retried with the same prevResult.
 */
export async function delNetworkList(list: Conflist, rt: RuntimeConf, opts: RuntimeOptions): Promise<void> {
  validateRuntimeConf(rt, 'DEL');
  const cached = await readCachedResult(opts.cacheDir, list.name, rt);
  await delPlugins(list, rt, opts, cached);
  await deleteCachedResult(opts.cacheDir, list.name, rt);
}

/** CHECK the attachment against the cached ADD result; throws when any plugin finds it broken. */
export async function checkNetworkList(list: Conflist, rt: RuntimeConf, opts: RuntimeOptions): Promise<void> {
  validateRuntimeConf(rt, 'CHECK');
  if (list.disableCheck) return;
  if (!atLeast040(list.cniVersion)) {
    throw new KnetError('cni-check-unsupported', `network "${list.name}": CHECK needs cniVersion 0.4.0 or later, the list says ${list.cniVersion}`);
  }
  const cached = await readCachedResult(opts.cacheDir, list.name, rt);
  if (cached === undefined) {
    throw new KnetError('cni-no-cached-result', `network "${list.name}": no cached result for container ${rt.containerId} interface ${rt.ifName}; was it ADDed?`);
  }
  for (const plugin of list.plugins) {
    await runPlugin('CHECK', list, plugin, rt, opts, cached);
  }
}

/** The plugin's VERSION answer: { cniVersion, supportedVersions }. */
export async function pluginVersions(type: string, opts: Pick<RuntimeOptions, 'cniPath' | 'timeoutMs'>): Promise<{ cniVersion: string; supportedVersions: string[] }> {
  const out = await execPlugin({ command: 'VERSION', plugin: type, network: '', conf: { cniVersion: '1.0.0' }, cniPath: opts.cniPath, timeoutMs: opts.timeoutMs });
  return out as { cniVersion: string; supportedVersions: string[] };
}
