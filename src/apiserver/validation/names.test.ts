import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cidrContains, dns1035LabelErrors, dns1123LabelErrors, isDNS1035Label, isDNS1123Label, isDNS1123Subdomain,
  isQualifiedName, isValidCIDR, isValidIP, portNameErrors, qualifiedNameErrors, validateLabels,
} from './names.ts';
import { formatFieldError } from '../../lib/field-errors.ts';

test('name formats accept and reject as apimachinery does', () => {
  const cases: [(v: string) => boolean, string, boolean][] = [
    [isDNS1123Label, 'my-name', true], [isDNS1123Label, '123-abc', true], [isDNS1123Label, 'My-name', false],
    [isDNS1123Label, 'a.b', false], [isDNS1123Label, 'a'.repeat(64), false], [isDNS1123Label, '-a', false],
    [isDNS1123Subdomain, 'example.com', true], [isDNS1123Subdomain, 'a..b', false], [isDNS1123Subdomain, 'a'.repeat(254), false],
    [isDNS1035Label, 'web', true], [isDNS1035Label, '1web', false], [isDNS1035Label, 'web-', false],
    [isQualifiedName, 'app', true], [isQualifiedName, 'example.com/App_1', true], [isQualifiedName, '/app', false],
    [isQualifiedName, 'a/b/c', false], [isQualifiedName, 'Example.com/app', false], [isQualifiedName, '-x', false],
  ];
  for (const [fn, v, ok] of cases) assert.equal(fn(v), ok, `${fn.name}(${v})`);
});

test('DNS label messages match upstream text', () => {
  assert.deepEqual(dns1123LabelErrors('a.b'), ['must not contain dots']);
  assert.deepEqual(dns1035LabelErrors('Web'), [
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
  ]);
  assert.deepEqual(dns1123LabelErrors('x'.repeat(64)), ['must be no more than 63 characters']);
  assert.deepEqual(qualifiedNameErrors('/x'), ['prefix part must be non-empty']);
});

test('IANA port names', () => {
  assert.deepEqual(portNameErrors('http'), []);
  assert.deepEqual(portNameErrors('8080'), ['must contain at least one letter (a-z)']);
  assert.deepEqual(portNameErrors('a--b'), ['must not contain consecutive hyphens']);
  assert.deepEqual(portNameErrors('HTTP'), ['must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)', 'must contain at least one letter (a-z)']);
  assert.deepEqual(portNameErrors('abcdefghijklmnop'), ['must be no more than 15 characters']);
});

test('IPs and CIDRs, IPv4 and IPv6', () => {
  for (const ip of ['10.0.0.1', '010.0.0.1', '::1', '2001:db8::ffff', '::ffff:1.2.3.4']) assert.equal(isValidIP(ip), true, ip);
  for (const ip of ['10.0.0', '256.1.1.1', 'fe80::1%eth0', 'abc', '']) assert.equal(isValidIP(ip), false, ip);
  for (const c of ['10.0.0.0/8', '2001:db8::/64', '0.0.0.0/0']) assert.equal(isValidCIDR(c), true, c);
  for (const c of ['10.0.0.0/33', '10.0.0.0', '2001:db8::/129', 'x/8']) assert.equal(isValidCIDR(c), false, c);
  assert.equal(cidrContains('10.0.0.0/8', '10.1.0.0/16').contains, true);
  assert.equal(cidrContains('10.0.0.0/8', '11.0.0.0/16').contains, false);
  assert.equal(cidrContains('2001:db8::/32', '2001:db8:1::/48').contains, true);
  assert.equal(cidrContains('2001:db8::/32', '2001:db9::/48').contains, false);
});

test('validateLabels reports keys and values on the given path', () => {
  const errs = validateLabels({ 'bad key!': 'ok', good: 'x'.repeat(64) }, 'metadata.labels');
  assert.equal(errs.length, 2);
  assert.match(formatFieldError(errs[0]), /^metadata\.labels: Invalid value: "bad key!": name part must consist of/);
  assert.equal(formatFieldError(errs[1]), `metadata.labels: Invalid value: "${'x'.repeat(64)}": must be no more than 63 characters`);
  assert.deepEqual(validateLabels({ app: 'web', 'example.com/tier': '' }, 'l'), []);
});
