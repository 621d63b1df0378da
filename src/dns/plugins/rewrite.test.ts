import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCorefile } from '../corefile/index.ts';
import { Rcode, RRType } from '../wire/types.ts';
import { createRewritePlugin } from './rewrite.ts';
import { a, cname, query, response, scriptedNext, addressOf } from './testing.ts';

function rules(lines: string) {
  return parseCorefile(`. {\n${lines}\n}`).servers[0].plugins.rewrite;
}

const echo = () => scriptedNext((req) => response(Rcode.NOERROR, [a(req.question.name, '10.0.0.1')]));

test('exact: the question is rewritten and the answer mapped back in the client\'s case', async () => {
  const p = createRewritePlugin(rules(' rewrite name db.example.org. db.prod.svc.cluster.local'));
  const next = echo();
  const res = await p.handle(query('DB.example.org'), next);
  assert.equal(next.calls[0].question.name, 'db.prod.svc.cluster.local');
  assert.equal(next.calls[0].message.questions[0].name, 'db.prod.svc.cluster.local');
  assert.equal(res.answers[0].name, 'DB.example.org');
});

test('a name no rule matches passes untouched', async () => {
  const p = createRewritePlugin(rules(' rewrite name db.example.org db.prod.svc.cluster.local'));
  const next = echo();
  const req = query('web.example.org');
  await p.handle(req, next);
  assert.equal(next.calls[0], req);
});

test('suffix with answer auto maps owner names back; without it they stay rewritten', async () => {
  const next = scriptedNext((req) => response(Rcode.NOERROR, [
    cname(req.question.name, 'web.internal.example'), a('web.internal.example', '10.0.0.9'),
  ]));
  const auto = createRewritePlugin(rules(' rewrite name suffix .corp.example .internal.example answer auto'));
  const res = await auto.handle(query('www.corp.example'), next);
  assert.equal(next.calls[0].question.name, 'www.internal.example');
  assert.deepEqual(res.answers.map((r) => r.name), ['www.corp.example', 'web.corp.example']);
  const plain = createRewritePlugin(rules(' rewrite name suffix .corp.example. .internal.example.'));
  const raw = await plain.handle(query('www.corp.example'), next);
  assert.deepEqual(raw.answers.map((r) => r.name), ['www.internal.example', 'web.internal.example']);
});

test('prefix and substring', async () => {
  const next = echo();
  await createRewritePlugin(rules(' rewrite name prefix old- new-')).handle(query('old-api.example'), next);
  await createRewritePlugin(rules(' rewrite name substring .us-west-1. .eu-1.')).handle(query('svc.us-west-1.example'), next);
  assert.deepEqual(next.calls.map((r) => r.question.name), ['new-api.example', 'svc.eu-1.example']);
});

test('regex with groups and an explicit answer name rule', async () => {
  const p = createRewritePlugin(rules(` rewrite stop {
   name regex (.*)-(us-west-1)\\.example\\.org {1}.service.{2}.consul
   answer name (.*)\\.service\\.(us-west-1)\\.consul {1}-{2}.example.org
 }`));
  const next = echo();
  const res = await p.handle(query('ftp-us-west-1.example.org'), next);
  assert.equal(next.calls[0].question.name, 'ftp.service.us-west-1.consul');
  assert.equal(res.answers[0].name, 'ftp-us-west-1.example.org');
  assert.equal(addressOf(res.answers[0]), '10.0.0.1');
});

test('stop ends the rule list; continue goes on to the next rule', async () => {
  const next = echo();
  await createRewritePlugin(rules(' rewrite name a.test b.test\n rewrite name b.test c.test')).handle(query('a.test'), next);
  await createRewritePlugin(rules(' rewrite continue name a.test b.test\n rewrite name b.test c.test')).handle(query('a.test'), next);
  assert.deepEqual(next.calls.map((r) => r.question.name), ['b.test', 'c.test']);
});

test('a rule producing an invalid name answers SERVFAIL without calling next', async () => {
  const next = echo();
  const res = await createRewritePlugin(rules(' rewrite name regex ^(.*)$ {1}..bad')).handle(query('x.test'), next);
  assert.equal(res.rcode, Rcode.SERVFAIL);
  assert.equal(next.calls.length, 0);
});
