// A HostOps for unit tests: keeps a set of namespace names, records every call in order, and
// answers `ipJson`/`bridgeJson`/`ip`/`runInNetns` from an optional responder (default: empty).
// It models no kernel state beyond the namespace set; real behaviour is the real-namespace tests'.

import type { CommandResult, RunOptions } from './exec.ts';
import type { HostOps } from './host-ops.ts';
import { netnsPath } from './netns.ts';

export interface HostCall {
  op: keyof HostOps;
  ns?: string;
  args: string[];
}

export type FakeResponder = (call: HostCall) => unknown;

export interface FakeHost extends HostOps {
  calls: HostCall[];
  namespaces: Set<string>;
}

export function createFakeHost(respond: FakeResponder = () => undefined): FakeHost {
  const calls: HostCall[] = [];
  const namespaces = new Set<string>();
  const record = (op: keyof HostOps, ns: string | undefined, args: string[]): unknown => {
    const call = { op, ns, args };
    calls.push(call);
    return respond(call);
  };
  return {
    calls,
    namespaces,
    netnsPath,
    async createNetns(name) { record('createNetns', name, []); namespaces.add(name); },
    async deleteNetns(name) { record('deleteNetns', name, []); namespaces.delete(name); },
    async listNetns(prefix = '') { return [...namespaces].filter((n) => n.startsWith(prefix)).sort(); },
    async netnsExists(name) { return namespaces.has(name); },
    async ip(ns, args) { return String(record('ip', ns, args) ?? ''); },
    async ipJson<T>(ns: string | undefined, args: string[]) { return (record('ipJson', ns, args) ?? []) as T[]; },
    async ipBatch(ns, lines) { record('ipBatch', ns, lines); },
    async bridge(ns, args) { return String(record('bridge', ns, args) ?? ''); },
    async bridgeJson<T>(ns: string | undefined, args: string[]) { return (record('bridgeJson', ns, args) ?? []) as T[]; },
    async bridgeBatch(ns, lines) { record('bridgeBatch', ns, lines); },
    async sysctl(ns, key, value) { record('sysctl', ns, [`${key}=${value}`]); },
    async runInNetns(ns: string, argv: string[], _opts?: RunOptions): Promise<CommandResult> {
      const r = record('runInNetns', ns, argv) as Partial<CommandResult> | undefined;
      return { code: 0, stdout: '', stderr: '', timedOut: false, ...r };
    },
  };
}
