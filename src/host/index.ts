// The OS boundary: network namespaces, iproute2, sysctl and processes in namespaces.
// Components call these (or take a HostOps) instead of spawning tools themselves.

export type { CommandResult, RunOptions } from './exec.ts';
export { runCommand, runChecked } from './exec.ts';
export { NETNS_DIR, createNetns, deleteNetns, listNetns, netnsExists, netnsPath, runInNetns, runInNetnsChecked } from './netns.ts';
export { bridge, bridgeBatch, bridgeJson, ip, ipBatch, ipJson, sysctl } from './iproute.ts';
export type { HostOps } from './host-ops.ts';
export { realHost } from './host-ops.ts';
export type { FakeHost, FakeResponder, HostCall } from './fake-host.ts';
export { createFakeHost } from './fake-host.ts';
export { splice, startNetnsDialer } from './netns-dialer.ts';
export { readFrames, writeFrame } from './udp-frames.ts';
export type { NetnsDialer } from './netns-dialer.ts';
export { spawnNodeInNetns } from './node-in-netns.ts';
