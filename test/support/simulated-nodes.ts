// A stand-in for the node agent in controller tests, until the real one (issue: pod network)
// runs pods: it registers Node objects that report Ready, and for every pod bound to one of
// them writes what a kubelet would through the status subresource (phase Running, a pod IP
// from the node's pod CIDR, the Ready condition) and finishes graceful deletions. Tests can
// hold pods not-ready to exercise readiness. It talks only to the API, like the real agent.

import { isConflict, isNotFound, KubeClient, resource } from '../../src/k8s/client.ts';
import { Informer } from '../../src/k8s/informer.ts';
import { formatIPv4, parseCidr4 } from '../../src/lib/ip.ts';

const nodesR = resource('nodes');
const podsR = resource('pods');

export interface SimulatedNodes {
  /** Decides which pods report Ready (default: all); re-evaluates every pod at once. */
  setReadiness(isReady: (pod: any) => boolean): void;
  stop(): Promise<void>;
}

export async function startSimulatedNodes(api: { server: string; token: string; caCert: string }, names: string[], opts: { labels?: Record<string, Record<string, string>>; taints?: Record<string, any[]> } = {}): Promise<SimulatedNodes> {
  const client = new KubeClient({ ...api, userAgent: 'simulated-kubelet' });
  const abort = new AbortController();
  const mine = new Set(names);
  let isReady: (pod: any) => boolean = () => true;
  const ips = new Map<string, string>(); // pod uid -> ip
  const nextHost = new Map<string, number>();

  for (const [i, name] of names.entries()) {
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const node = await client.create(nodesR, undefined, {
      metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', ...(opts.labels?.[name] ?? {}) } },
      spec: { taints: opts.taints?.[name] },
    });
    await client.update(nodesR, undefined, {
      ...node,
      status: {
        addresses: [{ type: 'InternalIP', address: `172.18.0.${i + 2}` }, { type: 'Hostname', address: name }],
        capacity: { cpu: '2', memory: '4Gi', pods: '110' },
        allocatable: { cpu: '2', memory: '4Gi', pods: '110' },
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now, lastTransitionTime: now }],
      },
    }, { subresource: 'status' });
  }

  const nodes = new Informer(client, nodesR, { log: () => {} });
  const pods = new Informer(client, podsR, { log: () => {} });
  const pending = new Set<string>();
  const sync = async (key: string) => {
    const pod = pods.getByKey(key);
    if (!pod || !mine.has(pod.spec?.nodeName)) return;
    try {
      if (pod.metadata.deletionTimestamp) {
        await client.delete(podsR, pod.metadata.namespace, pod.metadata.name, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
        return;
      }
      const node = nodes.get(undefined, pod.spec.nodeName);
      const cidr = node?.spec?.podCIDR;
      let ip = ips.get(pod.metadata.uid) ?? pod.status?.podIP;
      if (!ip && cidr) {
        const c = parseCidr4(cidr);
        const host = (nextHost.get(node.metadata.name) ?? 1) + 1;
        nextHost.set(node.metadata.name, host);
        ip = formatIPv4(c.base + host);
      }
      if (!ip) return; // no pod CIDR yet: the node update will bring us back
      ips.set(pod.metadata.uid, ip);
      const ready = isReady(pod) ? 'True' : 'False';
      const st = pod.status ?? {};
      const readyCond = (st.conditions ?? []).find((c: any) => c.type === 'Ready');
      if (st.phase === 'Running' && st.podIP === ip && readyCond?.status === ready) return;
      const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      const cond = (type: string, status: string) => ({ type, status, lastProbeTime: null, lastTransitionTime: now });
      await client.update(podsR, pod.metadata.namespace, {
        ...pod,
        status: {
          ...st,
          phase: 'Running', hostIP: node?.status?.addresses?.[0]?.address, podIP: ip, podIPs: [{ ip }], startTime: st.startTime ?? now,
          conditions: [cond('PodReadyToStartContainers', 'True'), cond('Initialized', 'True'), cond('Ready', ready), cond('ContainersReady', ready), cond('PodScheduled', 'True')],
          containerStatuses: (pod.spec.containers ?? []).map((c: any) => ({
            name: c.name, image: c.image, imageID: '', ready: ready === 'True', restartCount: 0, started: true,
            state: { running: { startedAt: st.startTime ?? now } },
          })),
        },
      }, { subresource: 'status' });
    } catch (err) {
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
  };
  const kick = (key: string) => {
    if (pending.has(key)) return;
    pending.add(key);
    setTimeout(() => {
      pending.delete(key);
      sync(key).catch(() => setTimeout(() => kick(key), 100));
    }, 5);
  };
  pods.onChange((e) => {
    if (e.type !== 'DELETED') kick(`${e.obj.metadata.namespace}/${e.obj.metadata.name}`);
  });
  nodes.onChange(() => {
    for (const p of pods.list()) if (mine.has(p.spec?.nodeName)) kick(`${p.metadata.namespace}/${p.metadata.name}`);
  });
  const running = [nodes.run(abort.signal), pods.run(abort.signal)];
  await Promise.all([nodes.waitForSync(), pods.waitForSync()]);
  return {
    setReadiness(fn) {
      isReady = fn;
      for (const p of pods.list()) kick(`${p.metadata.namespace}/${p.metadata.name}`);
    },
    async stop() {
      abort.abort();
      await Promise.all(running);
      client.close();
    },
  };
}
