import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeErrorMessage, findUnknownFields, strictDecodingMessage, unknownFieldWarning } from './index.ts';

const meta = {
  name: 'web', namespace: 'default', uid: '7c0a6f4e-1d51-4b8e-9a53-0c8f2a1b2c3d', resourceVersion: '42', generation: 3,
  creationTimestamp: '2025-05-01T10:00:00Z', labels: { app: 'web' }, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
  ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d4f', uid: 'u1', controller: true, blockOwnerDeletion: true }],
  finalizers: ['example.com/keep'],
  managedFields: [{
    manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'v1', time: '2025-05-01T10:00:00Z',
    fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } } },
  }],
};

const podSpec = {
  securityContext: { runAsNonRoot: true, runAsUser: 1000, fsGroup: 2000, seccompProfile: { type: 'RuntimeDefault' }, sysctls: [{ name: 'net.ipv4.ip_local_port_range', value: '1024 65000' }] },
  initContainers: [{ name: 'init', image: 'busybox', command: ['sh', '-c', 'true'] }],
  containers: [{
    name: 'web', image: 'registry.k8s.io/e2e-test-images/agnhost:2.53', imagePullPolicy: 'IfNotPresent',
    args: ['netexec', '--http-port=8080'],
    ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
    env: [
      { name: 'MODE', value: 'prod' },
      { name: 'POD_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } },
      { name: 'CPU', valueFrom: { resourceFieldRef: { containerName: 'web', resource: 'limits.cpu', divisor: '1m' } } },
      { name: 'LEVEL', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'level', optional: true } } },
      { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'creds', key: 'token' } } },
    ],
    envFrom: [{ prefix: 'CFG_', configMapRef: { name: 'cfg' } }, { secretRef: { name: 'creds', optional: true } }],
    resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: 1, memory: '128Mi' } },
    livenessProbe: { httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP', httpHeaders: [{ name: 'X-Probe', value: '1' }] }, initialDelaySeconds: 5, periodSeconds: 10, failureThreshold: 3 },
    readinessProbe: { tcpSocket: { port: 8080 }, timeoutSeconds: 1, successThreshold: 1 },
    startupProbe: { exec: { command: ['cat', '/tmp/ready'] }, failureThreshold: 30 },
    lifecycle: { preStop: { sleep: { seconds: 5 } }, postStart: { exec: { command: ['true'] } } },
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } },
    volumeMounts: [{ name: 'data', mountPath: '/data' }, { name: 'cfg', mountPath: '/etc/cfg', readOnly: true }],
    terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File',
  }, {
    name: 'grpc', image: 'example/grpc', livenessProbe: { grpc: { port: 9000, service: 'health' } },
  }],
  volumes: [
    { name: 'data', emptyDir: { sizeLimit: '1Gi' } },
    { name: 'cfg', configMap: { name: 'cfg', items: [{ key: 'a', path: 'a.conf', mode: 0o644 }], defaultMode: 0o444 } },
    { name: 'tls', secret: { secretName: 'tls', optional: false } },
    { name: 'host', hostPath: { path: '/var/log', type: 'Directory' } },
    { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
    { name: 'token', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600, audience: 'api' } }, { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } }] } },
    { name: 'nfs', nfs: { server: 'nfs.example', path: '/exports' } },
  ],
  restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst', serviceAccountName: 'web',
  nodeSelector: { 'kubernetes.io/os': 'linux' },
  tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
  affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } } } }] } },
  hostAliases: [{ ip: '10.0.0.1', hostnames: ['db.local'] }],
  dnsConfig: { nameservers: ['10.96.0.10'], searches: ['svc.cluster.local'], options: [{ name: 'ndots', value: '2' }] },
  topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'web' } } }],
  imagePullSecrets: [{ name: 'regcred' }],
  readinessGates: [{ conditionType: 'example.com/ready' }],
};

const deployment = {
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta,
  spec: {
    replicas: 3, revisionHistoryLimit: 5, progressDeadlineSeconds: 600, minReadySeconds: 2,
    selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
    template: { metadata: { labels: { app: 'web', tier: 'front' } }, spec: podSpec },
  },
  status: {
    observedGeneration: 3, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3,
    conditions: [{ type: 'Available', status: 'True', lastUpdateTime: '2025-05-01T10:00:00Z', lastTransitionTime: '2025-05-01T10:00:00Z', reason: 'MinimumReplicasAvailable', message: 'ok' }],
  },
};

test('a Service with unknown fields reports them in upstream path format and prunes them', () => {
  const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { foo: 1, ports: [{ port: 80 }, { port: 81, bar: true }] }, extra: 'x' };
  const { unknown, pruned } = findUnknownFields('v1', 'Service', svc);
  assert.deepEqual(unknown, ['spec.foo', 'spec.ports[1].bar', 'extra']);
  assert.deepEqual(pruned, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 80 }, { port: 81 }] } });
  assert.equal(svc.spec.foo, 1, 'the input is left alone');
});

test('field names are case-sensitive, like kube-apiserver decoding', () => {
  const svc = { apiVersion: 'v1', kind: 'Service', spec: { ports: [{ port: 80, nodeport: 30080 }] } };
  assert.deepEqual(findUnknownFields('v1', 'Service', svc).unknown, ['spec.ports[0].nodeport']);
});

test('unknown fields deep in a pod template are found', () => {
  const bad = structuredClone(deployment);
  (bad.spec.template.spec.containers[0].env![1].valueFrom as Record<string, unknown>).fieldref = {};
  (bad.spec.strategy.rollingUpdate as Record<string, unknown>).maxUnaivailable = 5;
  assert.deepEqual(findUnknownFields('apps/v1', 'Deployment', bad).unknown, [
    'spec.strategy.rollingUpdate.maxUnaivailable',
    'spec.template.spec.containers[0].env[1].valueFrom.fieldref',
  ]);
});

test('free-form subtrees and other kinds of wrong input are not unknown fields', () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', spec: { affinity: { anything: { goes: 1 } }, containers: 'not-a-list' } };
  assert.deepEqual(findUnknownFields('v1', 'Pod', pod).unknown, []);
  assert.deepEqual(findUnknownFields('v1', 'Nope', { a: 1 }), { unknown: [], pruned: { a: 1 } });
});

const valid: [string, string, unknown][] = [
  ['apps/v1', 'Deployment', deployment],
  ['v1', 'Pod', {
    apiVersion: 'v1', kind: 'Pod', metadata: meta, spec: { ...podSpec, nodeName: 'node-1', hostname: 'web-0', subdomain: 'web' },
    status: {
      phase: 'Running', hostIP: '172.18.0.2', hostIPs: [{ ip: '172.18.0.2' }], podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.5' }],
      startTime: '2025-05-01T10:00:00Z', qosClass: 'Burstable',
      conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: '2025-05-01T10:00:01Z' }],
      containerStatuses: [{
        name: 'web', ready: true, started: true, restartCount: 0, image: 'agnhost', imageID: 'knet://agnhost', containerID: 'knet://abc',
        state: { running: { startedAt: '2025-05-01T10:00:00Z' } }, lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: '2025-05-01T09:59:00Z' } },
      }],
    },
  }],
  ['v1', 'Service', {
    apiVersion: 'v1', kind: 'Service', metadata: meta,
    spec: {
      type: 'LoadBalancer', selector: { app: 'web' }, clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.20'], ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack', ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 'http', nodePort: 30080, appProtocol: 'http' }],
      sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } }, externalTrafficPolicy: 'Local',
      healthCheckNodePort: 31000, internalTrafficPolicy: 'Cluster', allocateLoadBalancerNodePorts: true, loadBalancerSourceRanges: ['0.0.0.0/0'],
      externalIPs: ['1.2.3.4'], publishNotReadyAddresses: false,
    },
    status: { loadBalancer: { ingress: [{ ip: '172.18.255.1', ipMode: 'VIP', ports: [{ port: 80, protocol: 'TCP' }] }] }, conditions: [] },
  }],
  ['networking.k8s.io/v1', 'Ingress', {
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', annotations: { 'nginx.ingress.kubernetes.io/rewrite-target': '/' } },
    spec: {
      ingressClassName: 'knet', defaultBackend: { service: { name: 'web', port: { number: 80 } } },
      tls: [{ hosts: ['web.example.com'], secretName: 'web-tls' }],
      rules: [{ host: 'web.example.com', http: { paths: [
        { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'http' } } } },
        { path: '/static', pathType: 'Exact', backend: { resource: { apiGroup: 'example.com', kind: 'Bucket', name: 'static' } } },
      ] } }],
    },
    status: { loadBalancer: { ingress: [{ ip: '172.18.255.2', ports: [{ port: 443, protocol: 'TCP' }] }] } },
  }],
  ['networking.k8s.io/v1', 'IngressClass', {
    apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'knet', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } },
    spec: { controller: 'knet.dev/ingress', parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'p', scope: 'Namespace', namespace: 'default' } },
  }],
  ['networking.k8s.io/v1', 'NetworkPolicy', {
    apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'db' },
    spec: {
      podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [
        { podSelector: { matchLabels: { app: 'web' } }, namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'Exists' }] } },
        { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } },
      ], ports: [{ protocol: 'TCP', port: 5432 }, { port: 'metrics' }, { port: 30000, endPort: 32767 }] }],
      egress: [{ to: [{ namespaceSelector: {} }], ports: [{ protocol: 'UDP', port: 53 }] }, {}],
    },
  }],
  ['v1', 'Node', {
    apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1' } },
    spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'], taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] },
    status: {
      capacity: { cpu: '4', memory: '8Gi', pods: '110' }, allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
      addresses: [{ type: 'InternalIP', address: '172.18.0.2' }, { type: 'Hostname', address: 'node-1' }],
      conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: '2025-05-01T10:00:00Z', lastTransitionTime: '2025-05-01T10:00:00Z', reason: 'KubeletReady', message: 'ready' }],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: { machineID: 'm', systemUUID: 's', bootID: 'b', kernelVersion: '6.8', osImage: 'knet', containerRuntimeVersion: 'knet://0.1', kubeletVersion: 'v1.33.0', kubeProxyVersion: '', operatingSystem: 'linux', architecture: 'amd64' },
    },
  }],
  ['discovery.k8s.io/v1', 'EndpointSlice', {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-abc', labels: { 'kubernetes.io/service-name': 'web' } }, addressType: 'IPv4',
    endpoints: [{ addresses: ['10.244.1.5'], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: 'default', name: 'web-0', uid: 'u' } }],
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  }],
  ['v1', 'Endpoints', {
    apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web' },
    subsets: [{ addresses: [{ ip: '10.244.1.5', nodeName: 'node-1', targetRef: { kind: 'Pod', name: 'web-0' } }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }],
  }],
  ['v1', 'Secret', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'Opaque', data: { a: 'YQ==' }, stringData: { b: 'b' }, immutable: false }],
  ['v1', 'ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' }, binaryData: { b: 'Yg==' } }],
  ['v1', 'ServiceAccount', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa' }, secrets: [{ name: 'tok' }], imagePullSecrets: [{ name: 'reg' }], automountServiceAccountToken: false }],
  ['v1', 'Namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } }],
  ['v1', 'Event', {
    apiVersion: 'v1', kind: 'Event', metadata: { name: 'web.1' }, involvedObject: { kind: 'Pod', name: 'web-0', fieldPath: 'spec.containers{web}' },
    reason: 'Started', message: 'Started container web', source: { component: 'kubelet', host: 'node-1' }, type: 'Normal', count: 1,
    firstTimestamp: '2025-05-01T10:00:00Z', lastTimestamp: '2025-05-01T10:00:00Z', eventTime: null, reportingComponent: 'kubelet', reportingInstance: 'node-1',
  }],
  ['events.k8s.io/v1', 'Event', {
    apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'web.2' }, eventTime: '2025-05-01T10:00:00.123456Z',
    reportingController: 'knet/agent', reportingInstance: 'node-1', action: 'Pulling', reason: 'Pulling', note: 'pulling',
    regarding: { kind: 'Pod', name: 'web-0' }, type: 'Normal', series: { count: 2, lastObservedTime: '2025-05-01T10:00:01.000000Z' },
  }],
  ['coordination.k8s.io/v1', 'Lease', {
    apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'node-1', namespace: 'kube-node-lease' },
    spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40, renewTime: '2025-05-01T10:00:00.000000Z', leaseTransitions: 0 },
  }],
  ['apps/v1', 'ReplicaSet', {
    apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: meta,
    spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: podSpec } },
    status: { replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 1, availableReplicas: 1, observedGeneration: 1 },
  }],
  ['autoscaling/v1', 'Scale', { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web' }, spec: { replicas: 3 }, status: { replicas: 3, selector: 'app=web' } }],
];

for (const [apiVersion, kind, obj] of valid) {
  test(`a realistic ${apiVersion} ${kind} has no unknown fields`, () => {
    const { unknown, pruned } = findUnknownFields(apiVersion, kind, obj);
    assert.deepEqual(unknown, []);
    assert.deepEqual(pruned, obj);
  });
}

test('messages match kube-apiserver', () => {
  assert.equal(unknownFieldWarning('spec.foo'), 'unknown field "spec.foo"');
  assert.equal(strictDecodingMessage(['spec.foo', 'spec.ports[0].bar']),
    'strict decoding error: unknown field "spec.foo", unknown field "spec.ports[0].bar"');
  assert.equal(decodeErrorMessage('Service', 'v1', 'Service', strictDecodingMessage(['spec.ports[0].nodeport'])),
    'Service in version "v1" cannot be handled as a Service: strict decoding error: unknown field "spec.ports[0].nodeport"');
});
