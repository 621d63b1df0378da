// iproute2 (`ip`, `bridge`) and sysctl, run against a named namespace with `-n` so that no
// process has to enter it. `-batch -` sends many changes through one process: a node's whole
// route set costs one fork instead of one per route.

import { runChecked } from './exec.ts';
import { netnsPath } from './netns.ts';

function nsArgs(ns: string | undefined): string[] {
  if (ns === undefined) return [];
  netnsPath(ns); // validates the name
  return ['-n', ns];
}

/** `ip [-n ns] args...` → stdout. */
export function ip(ns: string | undefined, args: string[]): Promise<string> {
  return runChecked('ip', [...nsArgs(ns), ...args]);
}

/** `ip [-n ns] -j args...`, parsed; iproute2 prints nothing at all for some empty lists. */
export async function ipJson<T = unknown>(ns: string | undefined, args: string[]): Promise<T[]> {
  return parseJsonList<T>(await runChecked('ip', [...nsArgs(ns), '-j', ...args]));
}

/**
 * Many `ip` commands in one process, one per line without the leading `ip`. Stops at the first
 * failing line unless `force` (then runs all and still fails if any did).
 */
export async function ipBatch(ns: string | undefined, lines: string[], opts: { force?: boolean } = {}): Promise<void> {
  if (lines.length === 0) return;
  await runChecked('ip', [...nsArgs(ns), ...(opts.force ? ['-force'] : []), '-batch', '-'], { input: lines.join('\n') + '\n' });
}

/** `bridge [-n ns] args...` → stdout (forwarding database of VXLAN and bridge devices). */
export function bridge(ns: string | undefined, args: string[]): Promise<string> {
  return runChecked('bridge', [...nsArgs(ns), ...args]);
}

export async function bridgeJson<T = unknown>(ns: string | undefined, args: string[]): Promise<T[]> {
  return parseJsonList<T>(await runChecked('bridge', [...nsArgs(ns), '-j', ...args]));
}

export async function bridgeBatch(ns: string | undefined, lines: string[], opts: { force?: boolean } = {}): Promise<void> {
  if (lines.length === 0) return;
  await runChecked('bridge', [...nsArgs(ns), ...(opts.force ? ['-force'] : []), '-batch', '-'], { input: lines.join('\n') + '\n' });
}

/**
 * Sets a sysctl inside the namespace. The namespace is required: /proc/sys/net shows the
 * network namespace of the process that opens it, so the write runs under nsenter, and the
 * host's settings are never the target.
 */
export async function sysctl(ns: string, key: string, value: string): Promise<void> {
  await runChecked('nsenter', [`--net=${netnsPath(ns)}`, '--', 'sysctl', '-q', '-w', `${key}=${value}`]);
}

function parseJsonList<T>(out: string): T[] {
  const text = out.trim();
  if (!text) return [];
  const v = JSON.parse(text) as unknown;
  return (Array.isArray(v) ? v : [v]) as T[];
}
