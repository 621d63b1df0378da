import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCorefile } from '../corefile/index.ts';
import { Rcode, RRType } from '../wire/types.ts';
import { createHostsPlugin, parseHostsFile } from './hosts.ts';
import { query, response, scriptedNext, addressOf, targetOf } from './testing.ts';

const file = `# static table
127.0.0.1   localhost
10.0.0.5    db.example.org db   # the database
fe80::1%eth0 link.example.org
fd00::5     db.example.org
not-an-ip   junk
10.0.0.9
`;

function hosts(block: string, args = '') {
  return parseCorefile(`. {\n hosts ${args} {\n${block}\n }\n}`).servers[0].plugins.hosts!;
}

const refuse = () => scriptedNext(() => response(Rcode.REFUSED));

test('parseHostsFile reads hosts(5) lines and skips junk', () => {
  assert.deepEqual(parseHostsFile(file), [
    { address: '127.0.0.1', names: ['localhost'] },
    { address: '10.0.0.5', names: ['db.example.org', 'db'] },
    { address: 'fe80::1', names: ['link.example.org'] },
    { address: 'fd00::5', names: ['db.example.org'] },
  ]);
});

test('A and AAAA from file content and inline entries, case-insensitively', async () => {
  const p = createHostsPlugin(hosts('  10.0.0.6 DB.example.org\n  ttl 60'), { fileContent: file });
  const next = refuse();
  const v4 = await p.handle(query('Db.Example.Org'), next);
  assert.equal(v4.rcode, Rcode.NOERROR);
  assert.equal(v4.aa, true);
  assert.deepEqual(v4.answers.map((r) => [r.name, r.ttl, addressOf(r)]), [
    ['Db.Example.Org', 60, '10.0.0.6'], ['Db.Example.Org', 60, '10.0.0.5'],
  ]);
  const v6 = await p.handle(query('db.example.org', RRType.AAAA), next);
  assert.deepEqual(v6.answers.map((r) => addressOf(r)), ['fd00::5']);
  assert.equal(next.calls.length, 0);
  assert.equal(p.entries(), 4);
});

test('PTR from every entry, unless no_reverse', async () => {
  const p = createHostsPlugin(hosts(''), { fileContent: file });
  const ptr = await p.handle(query('5.0.0.10.in-addr.arpa', RRType.PTR), refuse());
  assert.deepEqual(ptr.answers.map((r) => targetOf(r)), ['db.example.org', 'db']);
  const v6 = await p.handle(query('5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa', RRType.PTR), refuse());
  assert.deepEqual(v6.answers.map((r) => targetOf(r)), ['db.example.org']);
  const off = createHostsPlugin(hosts('  no_reverse'), { fileContent: file });
  const none = await off.handle(query('5.0.0.10.in-addr.arpa', RRType.PTR), refuse());
  assert.equal(none.answers.length, 0);
});

test('NODATA for a known name of another type; SERVFAIL for an unknown one (no SOA to prove NXDOMAIN with, as CoreDNS)', async () => {
  const p = createHostsPlugin(hosts(''), { fileContent: file });
  const nodata = await p.handle(query('localhost', RRType.AAAA), refuse());
  assert.equal(nodata.rcode, Rcode.NOERROR);
  assert.equal(nodata.aa, true);
  assert.equal(nodata.answers.length, 0);
  assert.equal((await p.handle(query('localhost', RRType.MX), refuse())).rcode, Rcode.NOERROR);
  const unknown = await p.handle(query('missing.example.org'), refuse());
  assert.equal(unknown.rcode, Rcode.SERVFAIL);
  assert.equal((await p.handle(query('missing.example.org', RRType.TXT), refuse())).rcode, Rcode.SERVFAIL);
});

test('a PTR miss always goes down the chain, fallthrough or not', async () => {
  const p = createHostsPlugin(hosts(''), { fileContent: file });
  const next = refuse();
  assert.equal((await p.handle(query('9.9.9.9.in-addr.arpa', RRType.PTR), next)).rcode, Rcode.REFUSED);
  assert.equal(next.calls.length, 1);
});

test('fallthrough passes misses down the chain, only for its zones', async () => {
  const all = createHostsPlugin(hosts('  fallthrough'), { fileContent: file });
  const next = refuse();
  assert.equal((await all.handle(query('missing.example.org'), next)).rcode, Rcode.REFUSED);
  assert.equal(next.calls.length, 1);
  // Only NXDOMAIN falls through: a known name without the asked type is answered NODATA.
  const nodata = await all.handle(query('localhost', RRType.AAAA), next);
  assert.equal(nodata.rcode, Rcode.NOERROR);
  assert.equal(next.calls.length, 1);
  const some = createHostsPlugin(hosts('  fallthrough in-addr.arpa'), { fileContent: file });
  assert.equal((await some.handle(query('missing.example.org'), next)).rcode, Rcode.SERVFAIL);
  assert.equal((await some.handle(query('9.9.9.9.in-addr.arpa', RRType.PTR), next)).rcode, Rcode.REFUSED);
});

test('names outside the zones go to next; reloaded file content replaces the old', async () => {
  const p = createHostsPlugin(hosts('', '/etc/hosts example.org'), { fileContent: file });
  const next = refuse();
  assert.equal((await p.handle(query('localhost'), next)).rcode, Rcode.REFUSED);
  p.setFileContent('10.1.1.1 new.example.org\n');
  const fresh = await p.handle(query('new.example.org'), next);
  assert.equal(fresh.answers.length, 1);
  assert.equal((await p.handle(query('db.example.org'), next)).rcode, Rcode.SERVFAIL);
});
