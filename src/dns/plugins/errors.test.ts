import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rcode } from '../wire/types.ts';
import { createErrorsPlugin } from './errors.ts';
import { a, query, response, scriptedNext } from './testing.ts';

test('a throwing plugin below becomes SERVFAIL and is logged once', async () => {
  const lines: [string, Record<string, unknown> | undefined][] = [];
  const p = createErrorsPlugin((msg, fields) => lines.push([msg, fields]));
  const res = await p.handle(query('boom.test'), async () => { throw new Error('upstream 10.0.0.1:53 timed out'); });
  assert.equal(res.rcode, Rcode.SERVFAIL);
  assert.equal(lines.length, 1);
  assert.equal(lines[0][1]?.name, 'boom.test');
  assert.equal(lines[0][1]?.error, 'upstream 10.0.0.1:53 timed out');
});

test('answers pass through untouched and nothing is logged', async () => {
  const lines: string[] = [];
  const p = createErrorsPlugin((msg) => lines.push(msg));
  const ok = response(Rcode.NOERROR, [a('ok.test', '1.2.3.4')]);
  assert.equal(await p.handle(query('ok.test'), scriptedNext(() => ok)), ok);
  assert.deepEqual(lines, []);
});
