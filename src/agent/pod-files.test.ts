import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { containerEnv, etcHosts, expand, parseResolvConf, resolvConf, serviceEnv } from './pod-files.ts';

const dns = { clusterDNS: ['10.96.0.10'], clusterDomain: 'cluster.local', hostResolv: { nameservers: ['192.0.2.53'], searches: ['corp.example'], options: ['edns0'] } };
const pod = (spec: object = {}, meta: object = {}) => ({ metadata: { name: 'web-1', namespace: 'shop', uid: 'u1', ...meta }, spec: { containers: [{ name: 'c' }], ...spec } });

describe('pod files', () => {
  it('writes resolv.conf for ClusterFirst, Default, None and dnsConfig', () => {
    assert.equal(resolvConf(pod(), dns), 'search shop.svc.cluster.local svc.cluster.local cluster.local corp.example\nnameserver 10.96.0.10\noptions ndots:5\n');
    assert.equal(resolvConf(pod({ dnsPolicy: 'Default' }), dns), 'search corp.example\nnameserver 192.0.2.53\noptions edns0\n');
    assert.equal(resolvConf(pod({ hostNetwork: true }), dns), 'search corp.example\nnameserver 192.0.2.53\noptions edns0\n', 'ClusterFirst on the host network falls back to Default');
    assert.equal(resolvConf(pod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['1.2.3.4'], searches: ['a.b'], options: [{ name: 'ndots', value: '2' }, { name: 'rotate' }] } }), dns),
      'search a.b\nnameserver 1.2.3.4\noptions ndots:2 rotate\n');
    assert.equal(resolvConf(pod({ dnsConfig: { options: [{ name: 'ndots', value: '1' }] } }), dns).split('\n')[2], 'options ndots:1');
  });

  it('parses the node\'s resolv.conf', () => {
    assert.deepEqual(parseResolvConf('# x\nnameserver 1.1.1.1\nsearch a b\noptions ndots:2 # c\n'), { nameservers: ['1.1.1.1'], searches: ['a', 'b'], options: ['ndots:2'] });
  });

  it('writes the managed hosts file with subdomain FQDN and host aliases', () => {
    const text = etcHosts(pod({ hostname: 'db-0', subdomain: 'db', hostAliases: [{ ip: '10.1.2.3', hostnames: ['foo.local', 'bar.local'] }] }), ['10.244.1.5'], 'cluster.local');
    assert.match(text, /^# Kubernetes-managed hosts file\.\n127\.0\.0\.1\tlocalhost\n/);
    assert.match(text, /\n10\.244\.1\.5\tdb-0\.db\.shop\.svc\.cluster\.local\tdb-0\n/);
    assert.match(text, /\n# Entries added by HostAliases\.\n10\.1\.2\.3\tfoo\.local\tbar\.local\n$/);
  });

  it('injects Service variables like the kubelet, kubernetes always, others only with service links', () => {
    const svcs = [
      { metadata: { name: 'kubernetes', namespace: 'default' }, spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP' }] } },
      { metadata: { name: 'my-db', namespace: 'shop' }, spec: { clusterIP: '10.96.5.5', ports: [{ name: 'sql', port: 5432, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }] } },
      { metadata: { name: 'headless', namespace: 'shop' }, spec: { clusterIP: 'None', ports: [{ port: 80 }] } },
      { metadata: { name: 'other', namespace: 'elsewhere' }, spec: { clusterIP: '10.96.7.7', ports: [{ port: 80 }] } },
    ];
    const env = serviceEnv(pod(), svcs);
    assert.equal(env.KUBERNETES_SERVICE_HOST, '10.96.0.1');
    assert.equal(env.KUBERNETES_SERVICE_PORT, '443');
    assert.equal(env.KUBERNETES_SERVICE_PORT_HTTPS, '443');
    assert.equal(env.MY_DB_SERVICE_HOST, '10.96.5.5');
    assert.equal(env.MY_DB_PORT, 'tcp://10.96.5.5:5432');
    assert.equal(env.MY_DB_PORT_53_UDP, 'udp://10.96.5.5:53');
    assert.equal(env.MY_DB_PORT_53_UDP_PROTO, 'udp');
    assert.equal(env.MY_DB_PORT_5432_TCP_ADDR, '10.96.5.5');
    assert.equal(env.HEADLESS_SERVICE_HOST, undefined);
    assert.equal(env.OTHER_SERVICE_HOST, undefined);
    const noLinks = serviceEnv(pod({ enableServiceLinks: false }), svcs);
    assert.deepEqual(Object.keys(noLinks).filter((k) => !k.startsWith('KUBERNETES_')), []);
  });

  it('builds container env with valueFrom and $(VAR) expansion, and says what is missing', () => {
    const cms = new Map([['cfg', { data: { mode: 'fast' } }]]);
    const secrets = new Map([['s', { data: { pw: Buffer.from('hunter2').toString('base64') } }]]);
    const c = {
      name: 'c',
      envFrom: [{ configMapRef: { name: 'cfg' }, prefix: 'CFG_' }],
      env: [
        { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
        { name: 'PW', valueFrom: { secretKeyRef: { name: 's', key: 'pw' } } },
        { name: 'URL', value: 'http://$(POD_IP):80/$$(x)' },
      ],
    };
    const r = containerEnv(pod(), c, { serviceEnv: {}, configMaps: cms, secrets, nodeName: 'n1', hostIP: '172.18.0.2', podIPs: ['10.244.1.5'] });
    assert.ok('env' in r);
    assert.equal(r.env.CFG_mode, 'fast');
    assert.equal(r.env.POD_IP, '10.244.1.5');
    assert.equal(r.env.NODE, 'n1');
    assert.equal(r.env.PW, 'hunter2');
    assert.equal(r.env.URL, 'http://10.244.1.5:80/$(x)');
    const missing = containerEnv(pod(), { name: 'c', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'nope' } } }] }, { serviceEnv: {}, configMaps: cms, secrets, nodeName: 'n1', hostIP: '', podIPs: [] });
    assert.deepEqual(missing, { error: { reason: 'CreateContainerConfigError', message: "couldn't find key nope in ConfigMap shop/cfg" } });
    assert.equal(expand('$(A)-$(B)', { A: '1' }), '1-$(B)');
  });
});
