// The pod status the node agent reports, computed from what its runtime knows (upstream:
// kubelet's generateAPIPodStatus and getPhase): phase, the five conditions, container
// statuses with states, restart counts and last termination, the pod and host IPs.
// Pure: the agent compares the result with the stored status and writes only changes.

export type ContainerState =
  | { kind: 'waiting'; reason: string; message?: string }
  | { kind: 'running'; startedAt: string }
  | { kind: 'terminated'; exitCode: number; reason: string; message?: string; startedAt?: string; finishedAt: string; signal?: number };

export interface ContainerView {
  name: string;
  image: string;
  containerID?: string;
  state: ContainerState;
  lastState?: ContainerState;
  restartCount: number;
  ready: boolean;
  started: boolean;
}

export interface PodView {
  /** The sandbox (network namespace + CNI) is up. */
  sandboxReady: boolean;
  podIPs: string[];
  hostIP: string;
  startTime?: string;
  initContainers: ContainerView[];
  containers: ContainerView[];
  /** A failure before any container could start (CNI, image), as reason/message. */
  failure?: { reason: string; message: string };
}

export function podPhase(pod: any, v: PodView): string {
  const restart = pod.spec?.restartPolicy ?? 'Always';
  const init = v.initContainers;
  if (init.some((c) => c.state.kind === 'terminated' && c.state.exitCode !== 0) && restart === 'Never') return 'Failed';
  const initDone = init.every((c) => c.state.kind === 'terminated' && c.state.exitCode === 0);
  if (!initDone) return 'Pending';
  const cs = v.containers;
  const running = cs.filter((c) => c.state.kind === 'running').length;
  const waiting = cs.filter((c) => c.state.kind === 'waiting').length;
  const terminated = cs.filter((c) => c.state.kind === 'terminated');
  const failed = terminated.filter((c) => (c.state as any).exitCode !== 0).length;
  const succeeded = terminated.length - failed;
  // Upstream: a waiting container that never ran keeps the pod Pending.
  if (waiting && cs.some((c) => c.state.kind === 'waiting' && c.restartCount === 0 && !c.lastState)) return 'Pending';
  if (running) return 'Running';
  if (terminated.length === cs.length && cs.length) {
    if (restart === 'Always') return 'Running';
    if (failed === 0) return 'Succeeded';
    return restart === 'Never' ? 'Failed' : 'Running';
  }
  if (waiting && succeeded + failed + waiting === cs.length && restart !== 'Never') return 'Running';
  return 'Pending';
}

function stateJson(s: ContainerState, id?: string): any {
  switch (s.kind) {
    case 'waiting':
      return { waiting: { reason: s.reason, ...(s.message ? { message: s.message } : {}) } };
    case 'running':
      return { running: { startedAt: s.startedAt } };
    case 'terminated':
      return {
        terminated: {
          exitCode: s.exitCode, reason: s.reason, ...(s.message ? { message: s.message } : {}), ...(s.signal ? { signal: s.signal } : {}),
          startedAt: s.startedAt ?? null, finishedAt: s.finishedAt, ...(id ? { containerID: id } : {}),
        },
      };
  }
}

function containerStatus(c: ContainerView): any {
  return {
    name: c.name, image: c.image, imageID: '', ...(c.containerID ? { containerID: c.containerID } : {}),
    ready: c.ready, restartCount: c.restartCount, started: c.started,
    state: stateJson(c.state, c.containerID),
    lastState: c.lastState ? stateJson(c.lastState) : {},
  };
}

function condition(prev: any[], type: string, ok: boolean, now: string, reason?: string, message?: string): any {
  const status = ok ? 'True' : 'False';
  const old = prev.find((c) => c.type === type);
  const same = old && old.status === status;
  return {
    type, status, lastProbeTime: null,
    lastTransitionTime: same ? old.lastTransitionTime : now,
    ...(reason ? { reason } : {}), ...(message ? { message } : {}),
  };
}

/** The status to write: keeps qosClass, PodScheduled and fields other writers own. */
export function computePodStatus(pod: any, v: PodView, now: string): any {
  const prev: any[] = pod.status?.conditions ?? [];
  const phase = podPhase(pod, v);
  const initDone = v.initContainers.every((c) => c.state.kind === 'terminated' && c.state.exitCode === 0);
  const notReady = v.containers.filter((c) => !c.ready).map((c) => c.name);
  const uninit = v.initContainers.filter((c) => !(c.state.kind === 'terminated' && c.state.exitCode === 0)).map((c) => c.name);
  const containersReady = initDone && notReady.length === 0 && v.containers.length > 0;
  const terminal = phase === 'Succeeded' || phase === 'Failed';
  const readyMsg = notReady.length ? `containers with unready status: [${notReady.join(' ')}]` : undefined;
  const conditions = [
    condition(prev, 'PodReadyToStartContainers', v.sandboxReady && !terminal, now),
    condition(prev, 'Initialized', initDone, now, initDone ? undefined : 'ContainersNotInitialized', initDone ? undefined : `containers with incomplete status: [${uninit.join(' ')}]`),
    condition(prev, 'Ready', containersReady && !terminal, now, containersReady && !terminal ? undefined : terminal ? 'PodCompleted' : 'ContainersNotReady', containersReady || terminal ? undefined : readyMsg),
    condition(prev, 'ContainersReady', containersReady && !terminal, now, containersReady && !terminal ? undefined : terminal ? 'PodCompleted' : 'ContainersNotReady', containersReady || terminal ? undefined : readyMsg),
    prev.find((c) => c.type === 'PodScheduled') ?? condition([], 'PodScheduled', true, now),
  ];
  const status: any = {
    ...(pod.status ?? {}),
    phase,
    conditions,
    hostIP: v.hostIP,
    hostIPs: v.hostIP ? [{ ip: v.hostIP }] : undefined,
    startTime: pod.status?.startTime ?? v.startTime ?? now,
    containerStatuses: v.containers.map(containerStatus),
  };
  if (v.podIPs.length) {
    status.podIP = v.podIPs[0];
    status.podIPs = v.podIPs.map((ip) => ({ ip }));
  } else {
    delete status.podIP;
    delete status.podIPs;
  }
  if (v.initContainers.length) status.initContainerStatuses = v.initContainers.map(containerStatus);
  else delete status.initContainerStatuses;
  if (v.failure && !v.sandboxReady) {
    status.reason = undefined;
    status.message = undefined;
  }
  if (!status.hostIPs) delete status.hostIPs;
  for (const k of Object.keys(status)) if (status[k] === undefined) delete status[k];
  return status;
}

/** Whether two statuses differ in what the agent owns (ignoring transition times it keeps). */
export function statusChanged(a: any, b: any): boolean {
  return JSON.stringify(a ?? {}) !== JSON.stringify(b ?? {});
}
