// Defaulting as the v1 SetDefaults_* functions do it (k/k pkg/apis/core/v1/defaults.go,
// apps/v1, networking/v1 and discovery/v1 defaults), plus the few registry-strategy defaults
// kubectl users see on every object (Namespace finalizers, Service clusterIPs/ipFamilies).
// Everything fills in place and never overwrites a value the client set.

import { asArray, isObject } from './meta.ts';
import { externallyAccessible } from './service-types.ts';

type Obj = Record<string, any>;
const obj = (parent: Obj, key: string): Obj => (isObject(parent[key]) ? parent[key] : (parent[key] = {}));

/** SetDefaults_Container: pull policy from the tag, termination message, port protocols, probes. */
function defaultContainer(c: Obj): void {
  if (!isObject(c)) return;
  if (!c.imagePullPolicy) c.imagePullPolicy = imageTag(String(c.image ?? '')) === 'latest' ? 'Always' : 'IfNotPresent';
  if (!c.terminationMessagePath) c.terminationMessagePath = '/dev/termination-log';
  if (!c.terminationMessagePolicy) c.terminationMessagePolicy = 'File';
  for (const p of asArray(c.ports)) if (isObject(p) && !p.protocol) p.protocol = 'TCP';
  for (const key of ['livenessProbe', 'readinessProbe', 'startupProbe']) if (isObject(c[key])) defaultProbe(c[key]);
  for (const key of ['postStart', 'preStop']) if (isObject(c.lifecycle?.[key]?.httpGet)) defaultHTTPGet(c.lifecycle[key].httpGet);
  for (const e of asArray(c.env)) {
    const fieldRef = e?.valueFrom?.fieldRef;
    if (isObject(fieldRef) && !fieldRef.apiVersion) fieldRef.apiVersion = 'v1';
  }
}

/** The tag of an image reference the way parsers.ParseImageName sees it ("latest" when absent). */
export function imageTag(image: string): string {
  const noDigest = image.split('@')[0];
  if (image.includes('@') && !noDigest.slice(noDigest.lastIndexOf('/') + 1).includes(':')) return '';
  const lastSegment = noDigest.slice(noDigest.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  return colon >= 0 ? lastSegment.slice(colon + 1) : 'latest';
}

function defaultProbe(p: Obj): void {
  if (!p.timeoutSeconds) p.timeoutSeconds = 1;
  if (!p.periodSeconds) p.periodSeconds = 10;
  if (!p.successThreshold) p.successThreshold = 1;
  if (!p.failureThreshold) p.failureThreshold = 3;
  if (isObject(p.httpGet)) defaultHTTPGet(p.httpGet);
}

function defaultHTTPGet(h: Obj): void {
  if (!h.path) h.path = '/';
  if (!h.scheme) h.scheme = 'HTTP';
}

/** SetDefaults_PodSpec (also applied to pod templates) and the container defaults. */
export function defaultPodSpec(spec: Obj): void {
  if (!isObject(spec)) return;
  if (!spec.dnsPolicy) spec.dnsPolicy = 'ClusterFirst';
  if (!spec.restartPolicy) spec.restartPolicy = 'Always';
  if (!isObject(spec.securityContext)) spec.securityContext = {};
  if (spec.terminationGracePeriodSeconds === undefined || spec.terminationGracePeriodSeconds === null) spec.terminationGracePeriodSeconds = 30;
  if (!spec.schedulerName) spec.schedulerName = 'default-scheduler';
  for (const c of [...asArray(spec.containers), ...asArray(spec.initContainers), ...asArray(spec.ephemeralContainers)]) defaultContainer(c);
  for (const v of asArray(spec.volumes)) defaultVolume(v);
}

function defaultVolume(v: Obj): void {
  if (!isObject(v)) return;
  const sources = Object.keys(v).filter((k) => k !== 'name');
  if (sources.length === 0) v.emptyDir = {};
  for (const k of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    if (isObject(v[k]) && v[k].defaultMode === undefined) v[k].defaultMode = 420;
  }
}

/** SetDefaults_Pod: only on Pods, not templates (enableServiceLinks, hostNetwork host ports). */
function defaultPod(pod: Obj): void {
  const spec = obj(pod, 'spec');
  defaultPodSpec(spec);
  if (spec.enableServiceLinks === undefined || spec.enableServiceLinks === null) spec.enableServiceLinks = true;
  if (spec.hostNetwork === true) {
    for (const c of [...asArray(spec.containers), ...asArray(spec.initContainers)]) {
      for (const p of asArray(c?.ports)) if (isObject(p) && !p.hostPort) p.hostPort = p.containerPort;
    }
  }
}

function defaultTemplate(spec: Obj): void {
  const template = obj(spec, 'template');
  defaultPodSpec(obj(template, 'spec'));
}

function defaultService(svc: Obj): void {
  const spec = obj(svc, 'spec');
  if (!spec.sessionAffinity) spec.sessionAffinity = 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP' && typeof spec.sessionAffinityConfig?.clientIP?.timeoutSeconds !== 'number') {
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
  }
  if (!spec.type) spec.type = 'ClusterIP';
  for (const p of asArray(spec.ports)) {
    if (!isObject(p)) continue;
    if (!p.protocol) p.protocol = 'TCP';
    if (p.targetPort === undefined || p.targetPort === null || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  if (externallyAccessible(spec) && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster';
  if (!spec.internalTrafficPolicy && spec.type !== 'ExternalName') spec.internalTrafficPolicy = 'Cluster';
  if (spec.type === 'LoadBalancer' && typeof spec.allocateLoadBalancerNodePorts !== 'boolean') spec.allocateLoadBalancerNodePorts = true;
  if (spec.type === 'LoadBalancer') {
    for (const ing of asArray(svc.status?.loadBalancer?.ingress)) if (isObject(ing) && ing.ip && !ing.ipMode) ing.ipMode = 'VIP';
  }
  if (spec.type === 'ExternalName') return;
  // NormalizeClusterIPs (registry strategy): an old client sets only the singular field.
  if (spec.clusterIP && asArray(spec.clusterIPs).length === 0) spec.clusterIPs = [spec.clusterIP];
  // IP family defaults come from the allocator in kube-apiserver (knet is single-stack IPv4);
  // headless services without a selector default to RequireDualStack with both families.
  const headlessSelectorless = spec.clusterIP === 'None' && Object.keys(spec.selector ?? {}).length === 0;
  if (!spec.ipFamilyPolicy) spec.ipFamilyPolicy = headlessSelectorless ? 'RequireDualStack' : 'SingleStack';
  if (asArray(spec.ipFamilies).length === 0) {
    const first = asArray<string>(spec.clusterIPs).find((ip) => ip !== 'None');
    const primary = first?.includes(':') ? 'IPv6' : 'IPv4';
    const other = primary === 'IPv4' ? 'IPv6' : 'IPv4';
    spec.ipFamilies = headlessSelectorless && spec.ipFamilyPolicy !== 'SingleStack' ? [primary, other] : [primary];
  }
}

function defaultNamespace(ns: Obj): void {
  const meta = obj(ns, 'metadata');
  if (meta.name) obj(meta, 'labels')['kubernetes.io/metadata.name'] = meta.name;
  const spec = obj(ns, 'spec');
  if (!Array.isArray(spec.finalizers)) spec.finalizers = ['kubernetes'];
  const status = obj(ns, 'status');
  if (!status.phase) status.phase = 'Active';
}

function defaultDeployment(d: Obj): void {
  const spec = obj(d, 'spec');
  if (spec.replicas === undefined || spec.replicas === null) spec.replicas = 1;
  const strategy = obj(spec, 'strategy');
  if (!strategy.type) strategy.type = 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = obj(strategy, 'rollingUpdate');
    if (ru.maxUnavailable === undefined || ru.maxUnavailable === null) ru.maxUnavailable = '25%';
    if (ru.maxSurge === undefined || ru.maxSurge === null) ru.maxSurge = '25%';
  }
  if (spec.revisionHistoryLimit === undefined || spec.revisionHistoryLimit === null) spec.revisionHistoryLimit = 10;
  if (spec.progressDeadlineSeconds === undefined || spec.progressDeadlineSeconds === null) spec.progressDeadlineSeconds = 600;
  defaultTemplate(spec);
}

function defaultReplicaSet(rs: Obj): void {
  const spec = obj(rs, 'spec');
  if (spec.replicas === undefined || spec.replicas === null) spec.replicas = 1;
  defaultTemplate(spec);
}

function defaultNetworkPolicy(np: Obj): void {
  const spec = obj(np, 'spec');
  for (const rule of [...asArray(spec.ingress), ...asArray(spec.egress)]) {
    for (const p of asArray(rule?.ports)) if (isObject(p) && !p.protocol) p.protocol = 'TCP';
  }
  if (asArray(spec.policyTypes).length === 0) {
    spec.policyTypes = asArray(spec.egress).length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  }
}

function defaultEndpointSlice(es: Obj): void {
  for (const p of asArray(es.ports)) {
    if (!isObject(p)) continue;
    if (p.name === undefined || p.name === null) p.name = '';
    if (!p.protocol) p.protocol = 'TCP';
  }
}

function defaultEndpoints(ep: Obj): void {
  for (const ss of asArray(ep.subsets)) for (const p of asArray(ss?.ports)) if (isObject(p) && !p.protocol) p.protocol = 'TCP';
}

/** SetDefaults_Secret, plus the v1 conversion that folds write-only stringData into data. */
function defaultSecret(s: Obj): void {
  if (!s.type) s.type = 'Opaque';
  if (isObject(s.stringData)) {
    const data = obj(s, 'data');
    for (const [k, v] of Object.entries(s.stringData)) data[k] = Buffer.from(String(v ?? '')).toString('base64');
    delete s.stringData;
  }
}

const DEFAULTERS: Record<string, (o: Obj) => void> = {
  pods: defaultPod,
  services: defaultService,
  namespaces: defaultNamespace,
  endpoints: defaultEndpoints,
  secrets: defaultSecret,
  'deployments.apps': defaultDeployment,
  'replicasets.apps': defaultReplicaSet,
  'networkpolicies.networking.k8s.io': defaultNetworkPolicy,
  'endpointslices.discovery.k8s.io': defaultEndpointSlice,
};

export function applyDefaults(key: string, o: any): void {
  if (isObject(o)) DEFAULTERS[key]?.(o);
}
