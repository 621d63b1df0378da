import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { ClusterView, toServiceView } from './view.ts';
import { ep, service, slice } from './test-fixtures.ts';

const http = [{ name: 'http', protocol: 'TCP', port: 80 }];

describe('toServiceView', () => {
  it('keeps what DNS needs, canonical and defaulted', () => {
    const v = toServiceView(service('NS', 'Web', {
      clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1', 'FD00:0:0::A'], ports: [{ name: 'http', port: 80 }, { port: 53, protocol: 'UDP' }],
    }));
    assert.deepEqual({ ...v }, {
      namespace: 'ns', name: 'web', type: 'ClusterIP', clusterIPs: ['10.0.0.1', 'fd00::a'], headless: false, externalName: '',
      ports: [{ name: 'http', protocol: 'TCP', port: 80 }, { name: '', protocol: 'UDP', port: 53 }],
      publishNotReadyAddresses: false,
    });
  });

  it('reads clusterIP when clusterIPs is absent, and marks None as headless', () => {
    assert.deepEqual(toServiceView(service('a', 'b', { clusterIP: '10.0.0.9' })).clusterIPs, ['10.0.0.9']);
    const h = toServiceView(service('a', 'b', { clusterIP: 'None', publishNotReadyAddresses: true }));
    assert.equal(h.headless, true);
    assert.deepEqual(h.clusterIPs, []);
    assert.equal(h.publishNotReadyAddresses, true);
    assert.deepEqual(h.ports, [{ name: '', protocol: '', port: -1 }], 'portless services get the sentinel');
  });

  it('ExternalName keeps its target without the trailing dot and no addresses', () => {
    const e = toServiceView(service('a', 'b', { type: 'ExternalName', externalName: 'db.example.com.', clusterIP: '' }));
    assert.equal(e.externalName, 'db.example.com');
    assert.equal(e.headless, false);
    assert.deepEqual(e.clusterIPs, []);
  });
});

describe('ClusterView', () => {
  it('indexes services by IP and follows updates and deletes', () => {
    const v = new ClusterView();
    v.upsertService(service('a', 'web', { clusterIPs: ['10.0.0.1'], ports: http }));
    assert.deepEqual(v.servicesByIP('10.0.0.1').map((s) => s.name), ['web']);
    v.upsertService(service('a', 'web', { clusterIPs: ['10.0.0.2'], ports: http }));
    assert.deepEqual(v.servicesByIP('10.0.0.1'), []);
    assert.deepEqual(v.servicesByIP('10.0.0.2').map((s) => s.name), ['web']);
    assert.equal(v.service('A', 'WEB')?.name, 'web', 'lookups ignore case');
    v.deleteService({ metadata: { namespace: 'a', name: 'web' } });
    assert.equal(v.service('a', 'web'), undefined);
    assert.deepEqual(v.servicesByIP('10.0.0.2'), []);
  });

  it('forgets a deleted Service\'s cached endpoints, so deleted Services cost no memory', () => {
    const v = new ClusterView();
    for (let i = 0; i < 50; i++) {
      v.upsertService(service('a', `svc-${i}`, { clusterIP: 'None', ports: http }));
      assert.deepEqual(v.subsets('a', `svc-${i}`), []); // a headless Service without slices yet
      v.deleteService({ metadata: { namespace: 'a', name: `svc-${i}` } });
    }
    assert.equal(v.cachedSubsets(), 0);
  });

  it('merges endpoints of all slices of a Service, once per address', () => {
    const v = new ClusterView();
    v.upsertSlice(slice('a', 'web-1', 'web', 'IPv4', http, [ep('10.1.0.1', { ready: false }), ep('10.1.0.2')]));
    v.upsertSlice(slice('a', 'web-2', 'web', 'IPv4', http, [ep('10.1.0.1', { ready: true, hostname: 'h1' }), ep('10.1.0.3')]));
    v.upsertSlice(slice('a', 'web-3', 'web', 'IPv4', [{ name: 'metrics', protocol: 'TCP', port: 9090 }], [ep('10.1.0.9')]));
    v.upsertSlice(slice('a', 'other-1', 'other', 'IPv4', http, [ep('10.1.0.7')]));
    const subsets = v.subsets('a', 'web');
    assert.equal(subsets.length, 2, 'one subset per port set');
    const first = subsets.find((s) => s.ports[0].port === 80)!;
    assert.deepEqual(first.addresses.map((a) => [a.ip, a.ready, a.hostname]), [
      ['10.1.0.1', true, 'h1'], ['10.1.0.2', true, ''], ['10.1.0.3', true, ''],
    ]);
    assert.deepEqual(subsets.find((s) => s.ports[0].port === 9090)!.addresses.map((a) => a.ip), ['10.1.0.9']);
  });

  it('drops a slice from its old Service when relabelled, and on delete', () => {
    const v = new ClusterView();
    v.upsertSlice(slice('a', 's1', 'web', 'IPv4', http, [ep('10.1.0.1')]));
    assert.equal(v.subsets('a', 'web')[0].addresses.length, 1);
    v.upsertSlice(slice('a', 's1', 'api', 'IPv4', http, [ep('10.1.0.1')]));
    assert.deepEqual(v.subsets('a', 'web'), []);
    assert.deepEqual(v.endpointsByIP('10.1.0.1').map((e) => e.service), ['api']);
    v.deleteSlice({ metadata: { namespace: 'a', name: 's1' } });
    assert.deepEqual(v.subsets('a', 'api'), []);
    assert.deepEqual(v.endpointsByIP('10.1.0.1'), []);
  });

  it('keeps endpoint conditions, pod names and canonical IPv6 addresses', () => {
    const v = new ClusterView();
    v.upsertSlice(slice('a', 's6', 'web', 'IPv6', http, [
      { addresses: ['FD00:0::1'], conditions: { ready: false, serving: true, terminating: true }, targetRef: { kind: 'Pod', name: 'web-0' } },
      { addresses: ['fd00::2'], targetRef: { kind: 'Pod', name: 'x'.repeat(64) } },
    ]));
    v.upsertSlice(slice('a', 'sf', 'web', 'FQDN', http, [{ addresses: ['db.example.com'] }]));
    const [a, b] = v.subsets('a', 'web')[0].addresses;
    assert.deepEqual({ ...a }, { ip: 'fd00::1', hostname: '', podName: 'web-0', ready: false, serving: true, terminating: true });
    assert.equal(b.ready, true, 'unknown readiness counts as ready');
    assert.equal(b.podName, '', 'pod names too long for a label are not kept');
    assert.equal(v.subsets('a', 'web')[0].addresses.length, 2, 'FQDN addresses are ignored');
  });

  it('indexes pods by every IP and forgets terminating ones', () => {
    const v = new ClusterView();
    v.upsertPod({ metadata: { namespace: 'a', name: 'p' }, status: { podIP: '10.2.0.1', podIPs: [{ ip: '10.2.0.1' }, { ip: 'fd00::21' }] } });
    assert.deepEqual(v.podsByIP('fd00::21').map((p) => p.name), ['p']);
    v.upsertPod({ metadata: { namespace: 'a', name: 'p', deletionTimestamp: '2025-01-01T00:00:00Z' }, status: { podIP: '10.2.0.1' } });
    assert.deepEqual(v.podsByIP('10.2.0.1'), []);
    v.upsertPod({ metadata: { namespace: 'a', name: 'q' }, status: {} });
    v.deletePod({ metadata: { namespace: 'a', name: 'q' } });
    assert.deepEqual(v.podsByIP(''), []);
  });

  it('moves `modified` only when something DNS serves changed', () => {
    let now = 100;
    const v = new ClusterView({ now: () => now });
    now = 200;
    v.upsertService(service('a', 'web', { clusterIPs: ['10.0.0.1'], ports: http }));
    assert.equal(v.modified, 200);
    now = 300;
    v.upsertService({ ...service('a', 'web', { clusterIPs: ['10.0.0.1'], ports: http }), status: { loadBalancer: {} } });
    assert.equal(v.modified, 200, 'a change DNS does not see keeps the serial');
    v.upsertSlice(slice('a', 's', 'web', 'IPv4', http, [ep('10.1.0.1')]));
    assert.equal(v.modified, 300);
    now = 400;
    v.deleteNamespace({ metadata: { name: 'nothing' } });
    assert.equal(v.modified, 300);
    v.upsertNamespace({ metadata: { name: 'Nothing' } });
    assert.equal(v.hasNamespace('NOTHING'), true);
    assert.equal(v.modified, 400);
  });
});
