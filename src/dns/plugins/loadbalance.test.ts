import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rcode, RRType } from '../wire/types.ts';
import { balanceRecords, createLoadbalancePlugin } from './loadbalance.ts';
import { a, aaaa, cname, query, response, scriptedNext } from './testing.ts';

const addr = (r: { data: { type: number } }) => ('address' in r.data ? r.data.address : `cname`);

test('address records come out in every order over many answers; the CNAME stays first', async () => {
  const records = [cname('www.test', 'web.test'), a('web.test', '10.0.0.1'), a('web.test', '10.0.0.2'), a('web.test', '10.0.0.3')];
  const lb = createLoadbalancePlugin();
  const next = scriptedNext(() => response(Rcode.NOERROR, records));
  const orders = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const res = await lb.handle(query('www.test'), next);
    assert.equal(res.answers[0].type, RRType.CNAME);
    assert.deepEqual(res.answers.slice(1).map(addr).sort(), ['10.0.0.1', '10.0.0.2', '10.0.0.3']);
    orders.add(res.answers.map(addr).join(','));
  }
  assert.equal(orders.size, 6, 'all 3! orders appear');
  assert.deepEqual(records.map(addr), ['cname', '10.0.0.1', '10.0.0.2', '10.0.0.3'], 'input not mutated');
});

test('a deterministic random reverses the order; single records are left alone', () => {
  const recs = [a('x', '1.1.1.1'), aaaa('x', '::1'), a('x', '2.2.2.2')];
  // random() = 0 always swaps with index 0: a Fisher-Yates rotation.
  assert.deepEqual(balanceRecords(recs, () => 0).map(addr), ['::1', '2.2.2.2', '1.1.1.1']);
  const one = [a('x', '1.1.1.1')];
  assert.equal(balanceRecords(one), one);
});
