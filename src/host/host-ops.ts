// The OS boundary as one value, so components take `host: HostOps` and unit tests pass a fake
// that records calls; `realHost` is the only implementation that touches the machine.

import type { CommandResult, RunOptions } from './exec.ts';
import { bridge, bridgeBatch, bridgeJson, ip, ipBatch, ipJson, sysctl } from './iproute.ts';
import { createNetns, deleteNetns, listNetns, netnsExists, netnsPath, runInNetns } from './netns.ts';

export interface HostOps {
  createNetns(name: string): Promise<void>;
  deleteNetns(name: string): Promise<void>;
  listNetns(prefix?: string): Promise<string[]>;
  netnsExists(name: string): Promise<boolean>;
  netnsPath(name: string): string;
  ip(ns: string | undefined, args: string[]): Promise<string>;
  ipJson<T = unknown>(ns: string | undefined, args: string[]): Promise<T[]>;
  ipBatch(ns: string | undefined, lines: string[], opts?: { force?: boolean }): Promise<void>;
  bridge(ns: string | undefined, args: string[]): Promise<string>;
  bridgeJson<T = unknown>(ns: string | undefined, args: string[]): Promise<T[]>;
  bridgeBatch(ns: string | undefined, lines: string[], opts?: { force?: boolean }): Promise<void>;
  sysctl(ns: string, key: string, value: string): Promise<void>;
  runInNetns(ns: string, argv: string[], opts?: RunOptions): Promise<CommandResult>;
}

export const realHost: HostOps = Object.freeze({
  createNetns, deleteNetns, listNetns, netnsExists, netnsPath,
  ip, ipJson, ipBatch, bridge, bridgeJson, bridgeBatch, sysctl, runInNetns,
});
