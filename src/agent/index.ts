// The node agent: registers a Node, runs the pods bound to it in sandboxes wired by CNI.
export { startNodeAgent, podNetnsName } from './agent.ts';
export type { NodeAgent, NodeAgentOptions } from './agent.ts';
export { cniPodNetwork } from './cni-network.ts';
export type { PodNetwork, ProgramChoice } from './pod-worker.ts';
export { parseResolvConf } from './pod-files.ts';
export type { DnsSettings } from './pod-files.ts';
