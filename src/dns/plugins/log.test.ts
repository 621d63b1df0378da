import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCorefile } from '../corefile/index.ts';
import { Rcode, RRType } from '../wire/types.ts';
import { createLogPlugin } from './log.ts';
import { a, nxdomain, query, response, scriptedNext } from './testing.ts';

function logConfig(line: string) {
  return parseCorefile(`. {\n ${line}\n}`).servers[0].plugins.log!;
}

test('every answered query gives one line with client, name, type, rcode and duration', async () => {
  const lines: [string, Record<string, unknown> | undefined][] = [];
  let t = 0;
  const p = createLogPlugin(logConfig('log'), (m, f) => lines.push([m, f]), { now: () => (t += 2) });
  await p.handle(query('web.example.org', RRType.AAAA), scriptedNext(() => response(Rcode.NOERROR, [a('web.example.org', '1.1.1.1')])));
  assert.equal(lines.length, 1);
  assert.equal(lines[0][0], '10.244.0.5:40000 - 1 "AAAA web.example.org. udp" NOERROR 0.002000s');
  assert.equal(lines[0][1]?.rcode, 'NOERROR');
});

test('class and name filters', async () => {
  const lines: string[] = [];
  const p = createLogPlugin(logConfig('log example.org {\n  class denial\n }'), (m) => lines.push(m));
  await p.handle(query('ok.example.org'), scriptedNext(() => response(Rcode.NOERROR, [a('ok.example.org', '1.1.1.1')])));
  await p.handle(query('nx.example.org'), scriptedNext(() => nxdomain('example.org')));
  await p.handle(query('nx.other.test'), scriptedNext(() => nxdomain('other.test')));
  await p.handle(query('empty.example.org'), scriptedNext(() => response(Rcode.NOERROR)));
  assert.equal(lines.length, 2);
  assert.match(lines[0], /nx\.example\.org\. udp" NXDOMAIN/);
  assert.match(lines[1], /empty\.example\.org\. udp" NOERROR/);
});
