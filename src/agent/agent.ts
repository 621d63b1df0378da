// The node agent (the kubelet's role for one node): registers the Node, renews its Lease,
// runs the pods bound to it (one PodWorker each) and reports their status, and finishes their
// deletion. It reads the cluster only through the API: pods bound to this node (a field
// selector), Services (for the environment), ConfigMaps and Secrets (env), its own Node.

import { isConflict, isNotFound, resource } from '../k8s/client.ts';
import type { KubeClient } from '../k8s/client.ts';
import { Informer, objectKey } from '../k8s/informer.ts';
import { EventRecorder } from '../k8s/event-recorder.ts';
import { WorkQueue } from '../k8s/workqueue.ts';
import { mkdirSync } from 'node:fs';
import { sleep } from '../lib/backoff.ts';
import type { Logger } from '../lib/log.ts';
import { registerNode, renewLease, updateNodeStatus } from './node-status.ts';
import { containerEnv, etcHosts, podHostname, resolvConf, serviceEnv } from './pod-files.ts';
import type { DnsSettings } from './pod-files.ts';
import { PodWorker } from './pod-worker.ts';
import { writeServiceAccount } from './sandbox.ts';
import type { PodNetwork, ProgramChoice } from './pod-worker.ts';
import { computePodStatus, statusChanged } from './status.ts';
import { KUBELET_SOCKET_ANNOTATION, startKubeletApi } from './kubelet-api/index.ts';
import { startNodeProber } from './prober.ts';
import { rfc3339 } from '../lib/time.ts';

const podsR = resource('pods');
const servicesR = resource('services');
const configMapsR = resource('configmaps');
const secretsR = resource('secrets');
const nodesR = resource('nodes');
const saR = resource('serviceaccounts');

export interface NodeAgentOptions {
  client: KubeClient;
  nodeName: string;
  /** The node's network namespace (probes leave from there). */
  nodeNetns: string;
  nodeIP: string;
  cluster: string;
  /** Where pod directories live (one per pod uid). */
  dataDir: string;
  /**
   * Directories pods must not see (knet's state: tokens, sockets, keys). Hidden behind an
   * empty read-only mount in every sandbox. Default: dataDir.
   */
  hiddenPaths?: string[];
  network: PodNetwork;
  program(container: any): ProgramChoice;
  dns: DnsSettings;
  labels?: Record<string, string>;
  taints?: any[];
  /** Crash-loop back-off (default 10 s doubling to 5 min, as the kubelet). */
  restartBackoff?: { initialMs: number; maxMs: number };
  log: Logger;
}

export interface NodeAgent {
  /** Resolves once the node is registered and its pod CIDR is known. */
  ready: Promise<void>;
  podCIDR(): string | undefined;
  stop(): Promise<void>;
}

export function podNetnsName(cluster: string, pod: any): string {
  return `knet-${cluster}-pod-${String(pod.metadata.uid).slice(0, 12)}`;
}

export function startNodeAgent(o: NodeAgentOptions): NodeAgent {
  const abort = new AbortController();
  const log = (msg: string, f: Record<string, unknown> = {}) => o.log(msg, { node: o.nodeName, ...f });
  const pods = new Informer(o.client, podsR, { log, fieldSelector: `spec.nodeName=${o.nodeName}` });
  const services = new Informer(o.client, servicesR, { log });
  const configMaps = new Informer(o.client, configMapsR, { log });
  const secrets = new Informer(o.client, secretsR, { log });
  const self = new Informer(o.client, nodesR, { log, fieldSelector: `metadata.name=${o.nodeName}` });
  const recorder = new EventRecorder(o.client, 'kubelet', log);
  const workers = new Map<string, PodWorker>();
  const prober = startNodeProber(o.nodeNetns);
  const queue = new WorkQueue({ baseDelayMs: 500, maxDelayMs: 60_000 });
  let node: any;

  // --- kubelet API: logs, exec and port-forward for the API server, on a unix socket ---
  const kubeletSocket = `${o.dataDir}/kubelet.sock`;
  const kubeletApi = (async () => {
    mkdirSync(o.dataDir, { recursive: true });
    return startKubeletApi({
      socketPath: kubeletSocket, log,
      lookup: {
        container: (ns, pod, c) => workers.get(`${ns}/${pod}`)?.containerAccess(c),
        sandbox: (ns, pod) => {
          const w = workers.get(`${ns}/${pod}`);
          const initPid = w?.sandboxPid();
          return w && initPid ? { initPid, podUID: w.pod.metadata.uid } : undefined;
        },
      },
    });
  })();
  // --- end kubelet API ---

  const running: Promise<void>[] = [];
  const ready = (async () => {
    await kubeletApi;
    node = await registerNode(o.client, o.nodeName, o.nodeIP, { labels: o.labels, taints: o.taints, annotations: { [KUBELET_SOCKET_ANNOTATION]: kubeletSocket } });
    for (const inf of [pods, services, configMaps, secrets, self]) running.push(inf.run(abort.signal));
    await Promise.all([self.waitForSync(), pods.waitForSync(), services.waitForSync()]);
    while (!self.get(undefined, o.nodeName)?.spec?.podCIDR && !abort.signal.aborted) await sleep(50, abort.signal);
  })();

  // Heartbeats: the Lease every 10 s, the node status every 60 s.
  running.push((async () => {
    await ready.catch(() => {});
    let tick = 0;
    while (!abort.signal.aborted) {
      try {
        await renewLease(o.client, node);
        if (++tick % 6 === 0) node = await updateNodeStatus(o.client, self.get(undefined, o.nodeName) ?? node, o.nodeIP);
        if (tick % 30 === 0) await refreshTokens();
      } catch (err) {
        log('node heartbeat failed', { error: String((err as Error).message) });
      }
      await sleep(10_000, abort.signal);
    }
  })());

  pods.onChange((e) => queue.add(objectKey(e.obj)));
  for (const inf of [services, configMaps, secrets]) {
    // A pod waiting on a missing ConfigMap or Secret retries when one appears.
    inf.onChange((e) => {
      if (e.type === 'ADDED' && inf !== services) for (const p of pods.list(e.obj.metadata.namespace)) queue.add(objectKey(p));
    });
  }

  const worker = async () => {
    await ready;
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      try {
        await sync(key);
        queue.forget(key);
      } catch (err) {
        if (!abort.signal.aborted) {
          log('pod sync failed; will retry', { pod: key, error: String((err as Error)?.message ?? err) });
          queue.addRateLimited(key);
        }
      } finally {
        queue.done(key);
      }
    }
  };
  for (let i = 0; i < 4; i++) running.push(worker().catch(() => {}));

  async function sync(key: string): Promise<void> {
    const pod = pods.getByKey(key);
    let w = workers.get(key);
    if (w && (!pod || pod.metadata.uid !== w.pod.metadata.uid)) {
      // Gone from the API (force-deleted) or replaced by a new pod of the same name.
      await w.stop(0);
      workers.delete(key);
      w = undefined;
    }
    if (!pod) return;
    if (pod.metadata.deletionTimestamp) {
      await (w ?? makeWorker(pod)).stop(pod.metadata.deletionGracePeriodSeconds ?? 30);
      workers.delete(key);
      try {
        await o.client.delete(podsR, pod.metadata.namespace, pod.metadata.name, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
      } catch (err) {
        if (!isNotFound(err) && !isConflict(err)) throw err;
      }
      return;
    }
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') {
      // Finished: the sandbox and IP go, the worker (and its logs) stay until deletion.
      if (w) await w.stop(0, false);
      return;
    }
    if (!w) {
      w = makeWorker(pod);
      workers.set(key, w);
    }
    w.pod = pod;
    await w.start().catch(async (err) => {
      await writeStatus(key);
      throw err;
    });
    await writeStatus(key);
  }

  /** hostNetwork pods share the node's namespace: no CNI, the node's address is theirs. */
  const hostNetwork: PodNetwork = { setup: async () => [o.nodeIP], teardown: async () => {} };

  function makeWorker(pod: any): PodWorker {
    const key = objectKey(pod);
    const onHost = !!pod.spec?.hostNetwork;
    return new PodWorker(pod, {
      network: onHost ? hostNetwork : o.network,
      prober,
      restartBackoff: o.restartBackoff,
      program: o.program,
      hostIP: o.nodeIP,
      dir: `${o.dataDir}/pods/${pod.metadata.uid}`,
      hiddenPaths: o.hiddenPaths ?? [o.dataDir],
      netns: onHost ? o.nodeNetns : podNetnsName(o.cluster, pod),
      log,
      event: (p, type, reason, message) => recorder.event(p, type, reason, message),
      changed: () => void writeStatus(key).catch((err) => log('status write failed', { pod: key, error: String(err?.message ?? err) })),
      files: async (p, ips) => ({
        hostname: onHost ? o.nodeName : podHostname(p),
        hosts: etcHosts(p, ips, o.dns.clusterDomain),
        resolvConf: resolvConf(p, o.dns),
        serviceAccount: await serviceAccountFiles(p),
      }),
      env: (p, c, ips) => containerEnv(p, c, {
        serviceEnv: serviceEnv(p, services.list()),
        configMaps: new Map(configMaps.list(p.metadata.namespace).map((x) => [x.metadata.name, x])),
        secrets: new Map(secrets.list(p.metadata.namespace).map((x) => [x.metadata.name, x])),
        nodeName: o.nodeName, hostIP: o.nodeIP, podIPs: ips,
      }),
    });
  }

  /**
   * Service-account tokens live an hour (3607 s, as the kubelet asks); like the kubelet, the
   * agent renews a pod's token once 80% of that has passed, rewriting the file in place.
   */
  const tokenIssued = new Map<string, number>();
  async function refreshTokens(): Promise<void> {
    const live = new Set([...workers.values()].map((w) => w.pod.metadata.uid));
    for (const uid of tokenIssued.keys()) if (!live.has(uid)) tokenIssued.delete(uid);
    for (const w of workers.values()) {
      const issued = tokenIssued.get(w.pod.metadata.uid) ?? 0;
      if (Date.now() - issued < 0.8 * 3607_000) continue;
      const files = await serviceAccountFiles(w.pod).catch(() => undefined);
      if (files) writeServiceAccount(`${o.dataDir}/pods/${w.pod.metadata.uid}`, files);
    }
  }

  /** token, ca.crt and namespace, as the projected kube-api-access volume holds them. */
  async function serviceAccountFiles(pod: any): Promise<Record<string, string> | undefined> {
    if (pod.spec.automountServiceAccountToken === false) return undefined;
    const sa = pod.spec.serviceAccountName || 'default';
    try {
      const tr = await o.client.create(saR, pod.metadata.namespace, {
        apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: { name: sa },
        spec: { expirationSeconds: 3607, boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name, uid: pod.metadata.uid } },
      }, { subresource: 'token' });
      tokenIssued.set(pod.metadata.uid, Date.now());
      return { token: tr.status.token, 'ca.crt': o.client.config.caCert, namespace: pod.metadata.namespace };
    } catch (err) {
      if (isNotFound(err)) return { 'ca.crt': o.client.config.caCert, namespace: pod.metadata.namespace };
      throw err;
    }
  }

  const writing = new Map<string, Promise<void>>();
  /** Writes the status of one pod, one write at a time per pod, only when it changed. */
  function writeStatus(key: string): Promise<void> {
    const prev = writing.get(key) ?? Promise.resolve();
    const next = prev.then(async () => {
      const w = workers.get(key);
      if (!w) return;
      for (let attempt = 0; attempt < 5; attempt++) {
        const pod = attempt === 0 ? (pods.getByKey(key) ?? w.pod) : await o.client.get(podsR, w.pod.metadata.namespace, w.pod.metadata.name);
        if (pod.metadata.uid !== w.pod.metadata.uid) return;
        const status = computePodStatus(pod, w.view(), rfc3339());
        if (!statusChanged(pod.status, status)) return;
        try {
          await o.client.update(podsR, pod.metadata.namespace, { ...pod, status }, { subresource: 'status', fieldManager: 'kubelet' });
          return;
        } catch (err) {
          if (isNotFound(err)) return;
          if (!isConflict(err)) throw err;
        }
      }
    });
    const settled = next.catch(() => {});
    writing.set(key, settled);
    void settled.then(() => {
      if (writing.get(key) === settled) writing.delete(key);
    });
    return next;
  }

  return {
    ready,
    podCIDR: () => self.get(undefined, o.nodeName)?.spec?.podCIDR,
    async stop() {
      abort.abort();
      queue.shutdown();
      await Promise.all([...workers.values()].map((w) => w.stop(0).catch(() => {})));
      workers.clear();
      prober.stop();
      await Promise.allSettled(running);
      await (await kubeletApi.catch(() => undefined))?.close(); // kubelet API
      await recorder.flush();
    },
  };
}
