// The node agent's kubelet API (logs, exec, port-forward) on a unix socket; the API server
// finds the socket through the Node annotation KUBELET_SOCKET_ANNOTATION.
export { startKubeletApi } from './server.ts';
export type { KubeletApi, KubeletApiOptions } from './server.ts';
export type { ContainerAccess, KubeletLookup } from './types.ts';

/** Node annotation naming the unix socket of the node's kubelet API. */
export { KUBELET_SOCKET_ANNOTATION } from '../../k8s/well-known.ts';
