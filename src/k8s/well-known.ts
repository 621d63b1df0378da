// Names knet's components agree on through the API (labels, annotations), kept in one place
// because components do not import each other.

/** On a Node: the unix socket of its agent's kubelet API (logs, exec, port-forward). */
export const KUBELET_SOCKET_ANNOTATION = 'knet.dev/kubelet-socket';
