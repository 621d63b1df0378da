import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldError } from '../../lib/field-errors.ts';
import { applyDefaults, validateObject, validateStatus } from './index.ts';

const meta = (name: string, namespace?: string) => ({ name, ...(namespace ? { namespace } : {}) });
function check(key: string, o: any, old?: any): string[] {
  applyDefaults(key, o);
  return validateObject(key, o, old).map((e) => formatFieldError(e));
}
const pod = (spec: any, name = 'p'): any => ({ metadata: meta(name, 'default'), spec });
const ctr = (extra: any = {}) => ({ name: 'c', image: 'nginx:1.27', ...extra });

test('Pod defaults', () => {
  const p = pod({ containers: [ctr({ image: 'nginx', ports: [{ containerPort: 80 }], readinessProbe: { httpGet: { port: 80 } } })] });
  applyDefaults('pods', p);
  const c = p.spec.containers[0];
  assert.equal(c.imagePullPolicy, 'Always');
  assert.equal(c.ports[0].protocol, 'TCP');
  assert.deepEqual(c.readinessProbe, { httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
  assert.equal(p.spec.terminationGracePeriodSeconds, 30);
  assert.equal(p.spec.enableServiceLinks, true);
  const tagged = pod({ containers: [ctr()] });
  applyDefaults('pods', tagged);
  assert.equal(tagged.spec.containers[0].imagePullPolicy, 'IfNotPresent');
});

test('Pod validation table', () => {
  const cases: [string, any, string[]][] = [
    ['valid', pod({ containers: [ctr({ ports: [{ containerPort: 80, name: 'http' }] })] }), []],
    ['no containers', pod({ containers: [] }), ['spec.containers: Required value']],
    ['image required', pod({ containers: [{ name: 'c' }] }), ['spec.containers[0].image: Required value']],
    ['bad container name', pod({ containers: [ctr({ name: 'C' })] }), [
      `spec.containers[0].name: Invalid value: "C": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    ]],
    ['duplicate across init', pod({ containers: [ctr()], initContainers: [ctr()] }), ['spec.initContainers[0].name: Duplicate value: "c"']],
    ['port range', pod({ containers: [ctr({ ports: [{ containerPort: 70000 }] })] }), ['spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive']],
    ['duplicate port names', pod({ containers: [ctr({ ports: [{ containerPort: 80, name: 'web' }, { containerPort: 81, name: 'web' }] })] }), [
      'spec.containers[0].ports[1].name: Duplicate value: "web"',
    ]],
    ['two handlers', pod({ containers: [ctr({ livenessProbe: { exec: { command: ['true'] }, tcpSocket: { port: 80 } } })] }), [
      'spec.containers[0].livenessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type',
    ]],
    ['no handler', pod({ containers: [ctr({ readinessProbe: { periodSeconds: 5 } })] }), [
      'spec.containers[0].readinessProbe: Required value: must specify a handler type',
    ]],
    ['restartPolicy', pod({ restartPolicy: 'Sometimes', containers: [ctr()] }), [
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    ]],
    ['dnsPolicy None without config', pod({ dnsPolicy: 'None', containers: [ctr()] }), [
      'spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None',
    ]],
    ['too many nameservers', pod({ dnsConfig: { nameservers: ['1.1.1.1', '1.0.0.1', '8.8.8.8', '8.8.4.4'] }, containers: [ctr()] }), [
      'spec.dnsConfig.nameservers: Invalid value: []string{"1.1.1.1", "1.0.0.1", "8.8.8.8", "8.8.4.4"}: must not have more than 3 nameservers',
    ]],
    ['hostname label', pod({ hostname: 'a.b', containers: [ctr()] }), ['spec.hostname: Invalid value: "a.b": must not contain dots']],
    ['env name', pod({ containers: [ctr({ env: [{ name: 'A=B', value: '1' }] })] }), [
      "spec.containers[0].env[0].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='",
    ]],
    ['duplicate volumes', pod({ volumes: [{ name: 'v', emptyDir: {} }, { name: 'v', emptyDir: {} }], containers: [ctr()] }), [
      'spec.volumes[1].name: Duplicate value: "v"',
    ]],
  ];
  for (const [name, obj, want] of cases) assert.deepEqual(check('pods', obj), want, name);
});

test('Pod update: image may change, other spec fields may not', () => {
  const old = pod({ containers: [ctr()] });
  old.metadata.resourceVersion = '1';
  applyDefaults('pods', old);
  const image = structuredClone(old);
  image.spec.containers[0].image = 'nginx:1.28';
  assert.deepEqual(check('pods', image, old), []);
  const other = structuredClone(old);
  other.spec.restartPolicy = 'Never';
  const errs = check('pods', other, old);
  assert.equal(errs.length, 1);
  assert.ok(errs[0].startsWith('spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n'), errs[0]);
  const added = structuredClone(old);
  added.spec.containers.push(ctr({ name: 'd' }));
  assert.deepEqual(check('pods', added, old), ['spec.containers: Forbidden: pod updates may not add or remove containers']);
});

test('Pod status: podIPs must be valid', () => {
  const old = pod({ containers: [ctr()] });
  old.metadata.resourceVersion = '1';
  const p = structuredClone(old);
  p.status = { podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.5' }, { ip: '10.244.1.6' }] };
  assert.deepEqual(validateStatus('pods', p, old).map((e) => formatFieldError(e)), [
    'status.podIPs: Invalid value: []interface {}{{"ip":"10.244.1.5"}, {"ip":"10.244.1.6"}}: may specify no more than one IP for each IP family',
  ]);
});

const deploy = (spec: any): any => ({ metadata: meta('web', 'default'), spec });
const template = (labels: any, spec: any = { containers: [ctr()] }) => ({ metadata: { labels }, spec });

test('Deployment defaults and validation', () => {
  const d = deploy({ selector: { matchLabels: { app: 'web' } }, template: template({ app: 'web' }) });
  applyDefaults('deployments.apps', d);
  assert.equal(d.spec.replicas, 1);
  assert.deepEqual(d.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
  assert.equal(d.spec.revisionHistoryLimit, 10);
  assert.equal(d.spec.progressDeadlineSeconds, 600);
  assert.equal(d.spec.template.spec.restartPolicy, 'Always');
  assert.equal(d.spec.template.spec.enableServiceLinks, undefined, 'Pod-only default stays off templates');
  assert.deepEqual(validateObject('deployments.apps', d), []);

  const cases: [string, any, string[]][] = [
    ['mismatch', deploy({ selector: { matchLabels: { app: 'web' } }, template: template({ app: 'api' }) }), [
      'spec.template.metadata.labels: Invalid value: {"app":"api"}: `selector` does not match template `labels`',
    ]],
    ['no selector', deploy({ template: template({ app: 'web' }) }), ['spec.selector: Required value']],
    ['empty selector', deploy({ selector: {}, template: template({ app: 'web' }) }), ['spec.selector: Invalid value: {}: empty selector is invalid for deployment']],
    ['negative replicas', deploy({ replicas: -1, selector: { matchLabels: { app: 'web' } }, template: template({ app: 'web' }) }), [
      'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    ]],
    ['both zero', deploy({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } }, selector: { matchLabels: { app: 'web' } }, template: template({ app: 'web' }) }), [
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0',
    ]],
    ['restartPolicy', deploy({ selector: { matchLabels: { app: 'web' } }, template: template({ app: 'web' }, { restartPolicy: 'Never', containers: [ctr()] }) }), [
      'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    ]],
  ];
  for (const [name, obj, want] of cases) assert.deepEqual(check('deployments.apps', obj), want, name);

  const old = deploy({ selector: { matchLabels: { app: 'web' } }, template: template({ app: 'web' }) });
  old.metadata.resourceVersion = '3';
  applyDefaults('deployments.apps', old);
  const moved = structuredClone(old);
  moved.spec.selector = { matchLabels: { app: 'web', tier: 'x' } };
  moved.spec.template.metadata.labels.tier = 'x';
  assert.deepEqual(check('deployments.apps', moved, old), ['spec.selector: Invalid value: {"matchLabels":{"app":"web","tier":"x"}}: field is immutable']);
});

test('ReplicaSet defaults replicas and validates its template', () => {
  const rs: any = { metadata: meta('web-1', 'default'), spec: { selector: { matchLabels: { app: 'web' } }, template: template({ app: 'web' }) } };
  assert.deepEqual(check('replicasets.apps', rs), []);
  assert.equal(rs.spec.replicas, 1);
});

const ing = (spec: any): any => ({ metadata: meta('web', 'default'), spec });
const backend = { service: { name: 'web', port: { number: 80 } } };

test('Ingress validation table', () => {
  const cases: [string, any, string[]][] = [
    ['valid', ing({ rules: [{ host: '*.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } }] }), []],
    ['empty', ing({}), ['spec: Invalid value: []interface {}{}: either `defaultBackend` or `rules` must be specified']],
    ['pathType required', ing({ rules: [{ http: { paths: [{ path: '/', backend }] } }] }), ['spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified']],
    ['relative path', ing({ rules: [{ http: { paths: [{ path: 'x', pathType: 'Exact', backend }] } }] }), ['spec.rules[0].http.paths[0].path: Invalid value: "x": must be an absolute path']],
    ['dot segments', ing({ rules: [{ http: { paths: [{ path: '/a/../b', pathType: 'Prefix', backend }] } }] }), [
      "spec.rules[0].http.paths[0].path: Invalid value: \"/a/../b\": must not contain '/../'",
    ]],
    ['IP host', ing({ rules: [{ host: '1.2.3.4', http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } }] }), [
      'spec.rules[0].host: Invalid value: "1.2.3.4": must be a DNS name, not an IP address',
    ]],
    ['bad wildcard', ing({ rules: [{ host: 'a.*.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } }] }), [
      `spec.rules[0].host: Invalid value: "a.*.com": a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    ]],
    ['both port name and number', ing({ defaultBackend: { service: { name: 'web', port: { name: 'http', number: 80 } } } }), [
      'spec.defaultBackend: Invalid value: "": cannot set both port name & port number',
    ]],
    ['no port', ing({ defaultBackend: { service: { name: 'web' } } }), ['spec.defaultBackend: Required value: port name or number is required']],
    ['no backend', ing({ defaultBackend: {} }), ['spec.defaultBackend: Invalid value: "": resource or service backend is required']],
  ];
  for (const [name, obj, want] of cases) assert.deepEqual(check('ingresses.networking.k8s.io', obj), want, name);
});

test('IngressClass controller rules', () => {
  const ic = (controller: any): any => ({ metadata: meta('nginx'), spec: { controller } });
  assert.deepEqual(check('ingressclasses.networking.k8s.io', ic('k8s.io/ingress-nginx')), []);
  assert.deepEqual(check('ingressclasses.networking.k8s.io', ic('')), ['spec.controller: Required value']);
  assert.deepEqual(check('ingressclasses.networking.k8s.io', ic('nginx')), ['spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")']);
  assert.deepEqual(check('ingressclasses.networking.k8s.io', ic(`a.io/${'x'.repeat(250)}`)), ['spec.controller: Too long: may not be more than 250 bytes']);
});

test('NetworkPolicy defaults and validation', () => {
  const np: any = { metadata: meta('np', 'default'), spec: { podSelector: {}, egress: [{ ports: [{ port: 53 }] }] } };
  applyDefaults('networkpolicies.networking.k8s.io', np);
  assert.deepEqual(np.spec.policyTypes, ['Ingress', 'Egress']);
  assert.equal(np.spec.egress[0].ports[0].protocol, 'TCP');
  const mk = (ingress: any): any => ({ metadata: meta('np', 'default'), spec: { podSelector: {}, ingress } });
  const cases: [string, any, string[]][] = [
    ['valid', mk([{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }] }]), []],
    ['empty peer', mk([{ from: [{}] }]), ['spec.ingress[0].from[0]: Required value: must specify a peer']],
    ['ipBlock plus selector', mk([{ from: [{ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }] }]), ['spec.ingress[0].from[0]: Forbidden: may not specify both ipBlock and another peer']],
    ['except outside', mk([{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['11.0.0.0/16'] } }] }]), [
      'spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "11.0.0.0/16": must be a strict subset of `cidr`',
    ]],
    ['endPort below port', mk([{ ports: [{ port: 80, endPort: 70 }] }]), ['spec.ingress[0].ports[0].endPort: Invalid value: 70: must be greater than or equal to `port`']],
    ['endPort with named port', mk([{ ports: [{ port: 'http', endPort: 90 }] }]), ['spec.ingress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is non-numeric']],
  ];
  for (const [name, obj, want] of cases) assert.deepEqual(check('networkpolicies.networking.k8s.io', obj), want, name);
  const bad: any = { metadata: meta('np', 'default'), spec: { podSelector: {}, policyTypes: ['Ingress', 'Sideways'] } };
  assert.deepEqual(check('networkpolicies.networking.k8s.io', bad), ['spec.policyTypes[1]: Unsupported value: "Sideways": supported values: "Ingress", "Egress"']);
});

test('EndpointSlice and Endpoints', () => {
  const es = (addressType: string, addresses: string[], ports: any[] = [{ port: 80 }]): any => ({
    metadata: meta('web-abc', 'default'), addressType, endpoints: [{ addresses }], ports,
  });
  assert.deepEqual(check('endpointslices.discovery.k8s.io', es('IPv4', ['10.244.1.5'])), []);
  assert.deepEqual(check('endpointslices.discovery.k8s.io', es('IPv4', ['2001:db8::1'])), ['endpoints[0].addresses[0]: Invalid value: "2001:db8::1": must be a valid IPv4 address']);
  assert.deepEqual(check('endpointslices.discovery.k8s.io', es('IPv6', ['2001:db8::1'])), []);
  assert.deepEqual(check('endpointslices.discovery.k8s.io', es('FQDN', ['db.example.com'])), []);
  assert.deepEqual(check('endpointslices.discovery.k8s.io', es('IPX', ['1.2.3.4'])), ['addressType: Unsupported value: "IPX": supported values: "FQDN", "IPv4", "IPv6"']);
  assert.deepEqual(check('endpointslices.discovery.k8s.io', es('IPv4', [])), ['endpoints[0].addresses: Required value: must contain at least 1 address']);
  assert.deepEqual(check('endpointslices.discovery.k8s.io', es('IPv4', ['10.0.0.1'], [{ port: 80, name: 'a' }, { port: 81, name: 'a' }])), ['ports[1].name: Duplicate value: "a"']);
  const many = es('IPv4', ['10.0.0.1']);
  many.endpoints = Array.from({ length: 1001 }, () => ({ addresses: ['10.0.0.1'] }));
  assert.deepEqual(check('endpointslices.discovery.k8s.io', many), ['endpoints: Too many: 1001: must have at most 1000 items']);

  const ep: any = { metadata: meta('web', 'default'), subsets: [{ addresses: [{ ip: '10.244.1.5' }], ports: [{ port: 8080 }] }] };
  assert.deepEqual(check('endpoints', ep), []);
  assert.equal(ep.subsets[0].ports[0].protocol, 'TCP');
  assert.deepEqual(check('endpoints', { metadata: meta('web', 'default'), subsets: [{ ports: [{ port: 80 }] }] }), [
    'subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`',
  ]);
});

test('Namespace, ConfigMap, Secret, Node and unknown kinds', () => {
  const ns: any = { metadata: meta('team-a') };
  assert.deepEqual(check('namespaces', ns), []);
  assert.equal(ns.metadata.labels['kubernetes.io/metadata.name'], 'team-a');
  assert.deepEqual(ns.spec.finalizers, ['kubernetes']);
  assert.deepEqual(check('namespaces', { metadata: meta('a.b') }), ['metadata.name: Invalid value: "a.b": must not contain dots']);
  assert.deepEqual(check('namespaces', { metadata: meta('x', 'default') }), ['metadata.namespace: Forbidden: not allowed on this type']);

  assert.deepEqual(check('configmaps', { metadata: meta('cfg', 'default'), data: { 'app.conf': 'x' } }), []);
  assert.deepEqual(check('configmaps', { metadata: meta('cfg', 'default'), data: { 'a/b': 'x' } }), [
    `data[a/b]: Invalid value: "a/b": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
  ]);
  assert.deepEqual(check('configmaps', { metadata: meta('cfg', 'default'), data: { big: 'x'.repeat(1024 * 1024 + 1) } }), [': Too long: may not be more than 1048576 bytes']);

  const sec: any = { metadata: meta('s', 'default'), stringData: { password: 'hunter2' } };
  assert.deepEqual(check('secrets', sec), []);
  assert.equal(sec.type, 'Opaque');
  assert.equal(sec.data.password, Buffer.from('hunter2').toString('base64'));
  assert.deepEqual(check('secrets', { metadata: meta('tls', 'default'), type: 'kubernetes.io/tls', data: { 'tls.crt': '' } }), ['data[tls.key]: Required value']);

  assert.deepEqual(check('nodes', { metadata: meta('node-1.example'), spec: { podCIDRs: ['10.244.1.0/24'] } }), []);
  assert.deepEqual(check('leases.coordination.k8s.io', { metadata: meta('Bad', 'kube-system') }), [
    `metadata.name: Invalid value: "Bad": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
  ]);
  assert.deepEqual(check('serviceaccounts', { metadata: { generateName: 'sa-' } }), [
    'metadata.name: Required value: name or generateName is required', 'metadata.namespace: Required value',
  ]);
  assert.deepEqual(check('widgets.example.com', { metadata: meta('ok', 'default') }), []);
});

test('ObjectMeta: annotations size and finalizers', () => {
  const big = { metadata: { ...meta('cfg', 'default'), annotations: { a: 'x'.repeat(256 * 1024) } } };
  assert.deepEqual(check('configmaps', big), ['metadata.annotations: Too long: may not be more than 262144 bytes']);
  assert.deepEqual(check('configmaps', { metadata: { ...meta('cfg', 'default'), finalizers: ['mine'] } }), [
    'metadata.finalizers[0]: Invalid value: "mine": name is neither a standard finalizer name nor is it fully qualified',
  ]);
});
