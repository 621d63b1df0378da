import assert from 'node:assert/strict';
import { it } from 'node:test';
import { dnsServerList, dnsSuffixList } from './dns-info.ts';

const conf = 'nameserver 10.96.0.10\nsearch default.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n';

it('reads the search list and the first nameserver line', () => {
  assert.deepEqual(dnsSuffixList(conf), ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local']);
  assert.deepEqual(dnsServerList(conf), ['10.96.0.10']);
  assert.throws(() => dnsSuffixList('nameserver 1.1.1.1\n'), /Could not find DNS search list!/);
});
