import { it } from 'node:test';
import assert from 'node:assert/strict';
import { cidrContains, formatCidr4, formatIPv4, parseCidr4, parseIPv4 } from './ip.ts';

it('parses and formats IPv4 addresses and CIDRs', () => {
  assert.equal(parseIPv4('10.96.0.1'), 0x0a600001);
  assert.equal(formatIPv4(0xfffffffe), '255.255.255.254');
  assert.equal(parseIPv4('10.096.0.1'), undefined);
  assert.equal(parseIPv4('256.0.0.1'), undefined);
  assert.equal(parseIPv4('::1'), undefined);
  const c = parseCidr4('10.100.3.4/12');
  assert.equal(formatCidr4(c), '10.96.0.0/12');
  assert.equal(c.size, 1 << 20);
  assert.ok(cidrContains(c, parseIPv4('10.111.255.255')!));
  assert.ok(!cidrContains(c, parseIPv4('10.112.0.0')!));
  assert.throws(() => parseCidr4('10.0.0.0/33'), /not an IPv4 CIDR/);
});
