// Named network namespaces, as `ip netns` keeps them: a bind mount per namespace under
// /run/netns. Listing and existence checks read that directory directly (no process spawn);
// changes go through `ip netns` so that the mount handling stays iproute2's.

import { readdir, stat } from 'node:fs/promises';
import { KnetError } from '../lib/errors.ts';
import { runChecked, runCommand } from './exec.ts';
import type { CommandResult, RunOptions } from './exec.ts';

export const NETNS_DIR = '/run/netns';

export function netnsPath(name: string): string {
  checkName(name);
  return `${NETNS_DIR}/${name}`;
}

export async function netnsExists(name: string): Promise<boolean> {
  try {
    await stat(netnsPath(name));
    return true;
  } catch {
    return false;
  }
}

/** Names of the named namespaces, sorted; only those starting with `prefix` if given. */
export async function listNetns(prefix = ''): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(NETNS_DIR);
  } catch {
    return [];
  }
  return names.filter((n) => n.startsWith(prefix)).sort();
}

/** Creates the namespace unless it exists; concurrent creators both succeed. */
export async function createNetns(name: string): Promise<void> {
  if (await netnsExists(name)) return;
  const r = await runCommand('ip', ['netns', 'add', name]);
  if (r.code !== 0 && !(await netnsExists(name))) {
    throw new KnetError('host-command-failed', `ip netns add ${name} failed: ${r.stderr.trim()}`);
  }
}

/**
 * Removes the namespace's name. Processes still inside keep it alive (and their links with
 * it), so callers stop those first; a missing namespace is not an error.
 */
export async function deleteNetns(name: string): Promise<void> {
  if (!(await netnsExists(name))) return;
  const r = await runCommand('ip', ['netns', 'delete', name]);
  if (r.code !== 0 && (await netnsExists(name))) {
    throw new KnetError('host-command-failed', `ip netns delete ${name} failed: ${r.stderr.trim()}`);
  }
}

/** Runs argv with the namespace's network stack (only the network: mounts stay the host's). */
export function runInNetns(ns: string, argv: string[], opts: RunOptions = {}): Promise<CommandResult> {
  if (argv.length === 0) throw new KnetError('host-command-failed', 'runInNetns: empty command');
  return runCommand('nsenter', [`--net=${netnsPath(ns)}`, '--', ...argv], opts);
}

/** Like runInNetns, but a non-zero exit throws with the command and its stderr. */
export function runInNetnsChecked(ns: string, argv: string[], opts: RunOptions = {}): Promise<string> {
  return runChecked('nsenter', [`--net=${netnsPath(ns)}`, '--', ...argv], opts);
}

function checkName(name: string): void {
  // `ip netns` accepts any file name; refusing '/' and dot names keeps paths inside NETNS_DIR.
  if (!name || name.includes('/') || name === '.' || name === '..' || name.length > 255) {
    throw new KnetError('bad-name', `"${name}" is not a usable network namespace name`);
  }
}
