// What the kubelet API needs to know about one container, as the agent's pod workers see it.
// The API never reaches into the agent: it asks through `KubeletLookup`.

import type { ContainerView } from '../status.ts';

export interface ContainerAccess {
  namespace: string;
  pod: string;
  podUID: string;
  /** PID (in this machine's PID namespace) of the pod sandbox's PID 1; absent without a sandbox. */
  initPid?: number;
  /** PID of the container's main process while it runs. */
  pid?: number;
  /** The container's status as the agent reports it (state, lastState, restartCount). */
  view: ContainerView;
  /** The CRI log file of the container's run number `restart`. */
  logPath(restart: number): string;
  /** Pod-level securityContext merged with the container's (exec gets the same privileges). */
  securityContext: any;
  workingDir?: string;
  /**
   * What the image makes of a command, as for the container's own start: `/agnhost` in an
   * agnhost pod, busybox applets in a busybox pod (knet runs programs, not image files).
   */
  execArgv?(argv: string[]): string[];
}

export interface KubeletLookup {
  /** The container, or undefined when this node runs no such pod or the pod has no such container. */
  container(namespace: string, pod: string, container: string): ContainerAccess | undefined;
  /** The pod sandbox's PID 1 (for port-forward), or undefined when the pod is not running here. */
  sandbox(namespace: string, pod: string): { initPid: number; podUID: string } | undefined;
}
