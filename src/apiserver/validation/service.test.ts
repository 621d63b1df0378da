import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldError } from '../../lib/field-errors.ts';
import { applyDefaults, prepareServiceUpdate, validateObject, validateStatus } from './index.ts';

const svc = (spec: any, name = 'web'): any => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec });
/** Default then validate, returning kubectl-style lines. */
function check(o: any, old?: any): string[] {
  applyDefaults('services', o);
  return validateObject('services', o, old).map((e) => formatFieldError(e));
}

test('Service defaults', () => {
  const s = svc({ ports: [{ port: 80 }], selector: { app: 'web' } });
  applyDefaults('services', s);
  assert.deepEqual(s.spec, {
    ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }], selector: { app: 'web' }, sessionAffinity: 'None', type: 'ClusterIP',
    internalTrafficPolicy: 'Cluster', ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'],
  });
  const lb = svc({ type: 'LoadBalancer', sessionAffinity: 'ClientIP', ports: [{ port: 80, targetPort: 'http' }] });
  applyDefaults('services', lb);
  assert.equal(lb.spec.externalTrafficPolicy, 'Cluster');
  assert.equal(lb.spec.allocateLoadBalancerNodePorts, true);
  assert.deepEqual(lb.spec.sessionAffinityConfig, { clientIP: { timeoutSeconds: 10800 } });
  assert.equal(lb.spec.ports[0].targetPort, 'http');
  const en = svc({ type: 'ExternalName', externalName: 'example.com' });
  applyDefaults('services', en);
  assert.equal(en.spec.internalTrafficPolicy, undefined);
  assert.equal(en.spec.ipFamilies, undefined);
  const headless = svc({ clusterIP: 'None' });
  applyDefaults('services', headless);
  assert.deepEqual(headless.spec.clusterIPs, ['None']);
  assert.equal(headless.spec.ipFamilyPolicy, 'RequireDualStack');
  const extIPs = svc({ ports: [{ port: 80 }], externalIPs: ['1.2.3.4'] });
  applyDefaults('services', extIPs);
  assert.equal(extIPs.spec.externalTrafficPolicy, 'Cluster');
});

test('Service validation table', () => {
  const cases: [string, any, string[]][] = [
    ['valid ClusterIP', svc({ ports: [{ port: 80 }] }), []],
    ['valid headless without ports', svc({ clusterIP: 'None' }), []],
    ['valid ExternalName', svc({ type: 'ExternalName', externalName: 'db.example.com.' }), []],
    ['bad name', svc({ ports: [{ port: 80 }] }, 'Web'), [
      `metadata.name: Invalid value: "Web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
    ]],
    ['ports required', svc({}), ['spec.ports: Required value']],
    ['port range', svc({ ports: [{ port: 70000, targetPort: 80 }] }), ['spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive']],
    ['names required when >1', svc({ ports: [{ port: 80 }, { port: 81, name: 'b' }] }), ['spec.ports[0].name: Required value']],
    ['duplicate names', svc({ ports: [{ port: 80, name: 'a' }, { port: 81, name: 'a' }] }), ['spec.ports[1].name: Duplicate value: "a"']],
    ['bad protocol', svc({ ports: [{ port: 80, protocol: 'ICMP' }] }), ['spec.ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"']],
    ['bad targetPort name', svc({ ports: [{ port: 80, targetPort: 'Http' }] }), ['spec.ports[0].targetPort: Invalid value: "Http": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)']],
    ['duplicate port+protocol', svc({ ports: [{ port: 80, name: 'a' }, { port: 80, name: 'b' }] }), ['spec.ports[1]: Duplicate value: {"port":80,"protocol":"TCP"}']],
    ['nodePort on ClusterIP', svc({ ports: [{ port: 80, nodePort: 30080 }] }), ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]],
    ['externalName required', svc({ type: 'ExternalName' }), ['spec.externalName: Required value']],
    ['externalName format', svc({ type: 'ExternalName', externalName: 'Bad_Name' }), [
      `spec.externalName: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    ]],
    ['ExternalName with clusterIPs', svc({ type: 'ExternalName', externalName: 'a.b', clusterIPs: ['10.0.0.1'] }), ['spec.clusterIPs: Forbidden: may not be set for ExternalName services']],
    ['bad sessionAffinity', svc({ ports: [{ port: 80 }], sessionAffinity: 'Sticky' }), ['spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"']],
    ['affinity timeout', svc({ ports: [{ port: 80 }], sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 90000 } } }), [
      'spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 90000: must be greater than 0 and less than 86400',
    ]],
    ['LB-only source ranges', svc({ ports: [{ port: 80 }], loadBalancerSourceRanges: ['10.0.0.0/8'] }), ["spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'"]],
    ['bad source range', svc({ type: 'LoadBalancer', ports: [{ port: 80 }], loadBalancerSourceRanges: ['10.0.0.0/40'] }), [
      'spec.LoadBalancerSourceRanges[0]: Invalid value: "10.0.0.0/40": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    ]],
    ['externalTrafficPolicy on ClusterIP', svc({ ports: [{ port: 80 }], externalTrafficPolicy: 'Local' }), [
      'spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services',
    ]],
    ['external IP invalid', svc({ ports: [{ port: 80 }], externalIPs: ['1.2.3'] }), [
      'spec.externalIPs[0]: Invalid value: "1.2.3": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    ]],
    ['external IP loopback', svc({ ports: [{ port: 80 }], externalIPs: ['127.0.0.1'] }), [
      'spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
    ]],
    ['bad ipFamilyPolicy', svc({ ports: [{ port: 80 }], ipFamilyPolicy: 'Dual' }), [
      'spec.ipFamilyPolicy: Unsupported value: "Dual": supported values: "PreferDualStack", "RequireDualStack", "SingleStack"',
    ]],
    ['None for NodePort', svc({ type: 'NodePort', clusterIP: 'None', ports: [{ port: 80 }] }), [
      `spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for NodePort services`,
    ]],
    ['bad clusterIP', svc({ clusterIP: '10.0.0.300', ports: [{ port: 80 }] }), [
      'spec.clusterIPs[0]: Invalid value: "10.0.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    ]],
    ['family mismatch', svc({ clusterIP: '2001:db8::1', ipFamilies: ['IPv4'], ports: [{ port: 80 }] }), [
      'spec.clusterIPs[0]: Invalid value: "2001:db8::1": expected an IPv4 value as indicated by `ipFamilies[0]`',
    ]],
  ];
  for (const [name, obj, want] of cases) assert.deepEqual(check(obj), want, name);
});

const stored = (spec: any): any => {
  const s = svc(spec);
  s.metadata.resourceVersion = '5';
  s.metadata.uid = 'u1';
  applyDefaults('services', s);
  return s;
};

test('Service update: clusterIP immutable, primary cannot be unset', () => {
  const old = stored({ clusterIP: '10.96.0.10', ports: [{ port: 80 }] });
  const changed = structuredClone(old);
  changed.spec.clusterIP = '10.96.0.11';
  changed.spec.clusterIPs = ['10.96.0.11'];
  assert.deepEqual(check(changed, old), ['spec.clusterIPs[0]: Invalid value: []string{"10.96.0.11"}: may not change once set']);
  const unset = structuredClone(old);
  unset.spec.clusterIP = '';
  unset.spec.clusterIPs = [];
  assert.deepEqual(check(unset, old), ['spec.clusterIPs[0]: Invalid value: []interface {}{}: primary clusterIP can not be unset']);
  const noRV = structuredClone(old);
  delete noRV.metadata.resourceVersion;
  assert.deepEqual(check(noRV, old), ['metadata.resourceVersion: Invalid value: "": must be specified for an update']);
});

test('prepareServiceUpdate: type transitions drop what the new type does not use', () => {
  const old = stored({ type: 'NodePort', clusterIP: '10.96.0.10', externalTrafficPolicy: 'Cluster', ports: [{ port: 80, nodePort: 30080 }] });
  // NodePort -> ExternalName, user left clusterIP and nodePorts alone: they are cleared.
  const toEN = structuredClone(old);
  toEN.spec.type = 'ExternalName';
  toEN.spec.externalName = 'example.com';
  prepareServiceUpdate(toEN, old);
  assert.equal(toEN.spec.clusterIP, undefined);
  assert.equal(toEN.spec.clusterIPs, undefined);
  assert.equal(toEN.spec.ipFamilies, undefined);
  assert.equal(toEN.spec.ipFamilyPolicy, undefined);
  assert.equal(toEN.spec.ports[0].nodePort, undefined);
  assert.equal(toEN.spec.externalTrafficPolicy, undefined);
  assert.deepEqual(check(toEN, old), []);
  // NodePort -> ClusterIP: nodePort released, clusterIP kept.
  const toCIP = structuredClone(old);
  toCIP.spec.type = 'ClusterIP';
  prepareServiceUpdate(toCIP, old);
  assert.equal(toCIP.spec.ports[0].nodePort, undefined);
  assert.equal(toCIP.spec.clusterIP, '10.96.0.10');
  assert.deepEqual(check(toCIP, old), []);
  // A user-set new nodePort while switching to ClusterIP is kept, so validation rejects it.
  const explicit = structuredClone(old);
  explicit.spec.type = 'ClusterIP';
  explicit.spec.ports[0].nodePort = 30099;
  prepareServiceUpdate(explicit, old);
  assert.deepEqual(check(explicit, old), ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]);
  // A replace that omits allocated values keeps them (patchAllocatedValues).
  const replace = structuredClone(old);
  delete replace.spec.clusterIP;
  delete replace.spec.clusterIPs;
  delete replace.spec.ports[0].nodePort;
  prepareServiceUpdate(replace, old);
  assert.equal(replace.spec.clusterIP, '10.96.0.10');
  assert.deepEqual(replace.spec.clusterIPs, ['10.96.0.10']);
  assert.equal(replace.spec.ports[0].nodePort, 30080);
});

test('Service status: LB ingress only for LoadBalancer', () => {
  const old = stored({ ports: [{ port: 80 }] });
  const s = structuredClone(old);
  s.status = { loadBalancer: { ingress: [{ ip: '172.18.255.1', ipMode: 'VIP' }] } };
  assert.deepEqual(validateStatus('services', s, old).map((e) => formatFieldError(e)), [
    "status.loadBalancer.ingress: Forbidden: may only be used when `spec.type` is 'LoadBalancer'",
  ]);
  const lbOld = stored({ type: 'LoadBalancer', ports: [{ port: 80 }] });
  const lb = structuredClone(lbOld);
  lb.status = { loadBalancer: { ingress: [{ ip: '172.18.255.1', ipMode: 'VIP' }] } };
  assert.deepEqual(validateStatus('services', lb, lbOld), []);
});
