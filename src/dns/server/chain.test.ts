import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Rcode } from '../wire/types.ts';
import { buildChain } from './chain.ts';
import type { DnsPlugin, DnsRequest } from './plugin.ts';

const req = {
  message: {} as DnsRequest['message'],
  question: { name: 'web.ns1.svc.cluster.local', type: 1, class: 1 },
  client: { address: '127.0.0.1', port: 5353, transport: 'udp' },
  maxSize: 512,
} satisfies DnsRequest;

function recorder(name: string, seen: string[]): DnsPlugin {
  return {
    name,
    async handle(r, next) {
      seen.push(`${name}>`);
      const res = await next(r);
      seen.push(`<${name}`);
      return res;
    },
  };
}

it('runs plugins in list order and falls off the end with SERVFAIL, as CoreDNS does', async () => {
  const seen: string[] = [];
  const chain = buildChain([recorder('log', seen), recorder('cache', seen)]);
  const res = await chain(req);
  assert.equal(res.rcode, Rcode.SERVFAIL);
  assert.deepEqual(seen, ['log>', 'cache>', '<cache', '<log']);
  assert.equal((await buildChain([])(req)).rcode, Rcode.SERVFAIL);
});

it('stops at the plugin that answers; earlier plugins may rewrite what comes back', async () => {
  const seen: string[] = [];
  const answer: DnsPlugin = {
    name: 'kubernetes',
    async handle(r) {
      return { rcode: Rcode.NOERROR, aa: true, answers: [{ name: r.question.name, type: 1, class: 1, ttl: 30, data: { type: 1, address: '10.96.0.5' } }], authority: [], additional: [] };
    },
  };
  const ttlCap: DnsPlugin = {
    name: 'cap',
    async handle(r, next) {
      const res = await next(r);
      return { ...res, answers: res.answers.map((a) => ({ ...a, ttl: Math.min(a.ttl, 5) })) };
    },
  };
  const chain = buildChain([ttlCap, recorder('log', seen), answer, recorder('never', seen)]);
  const res = await chain(req);
  assert.equal(res.rcode, Rcode.NOERROR);
  assert.equal(res.answers[0].ttl, 5);
  assert.deepEqual(seen, ['log>', '<log']);
});

it('lets a plugin change the request it passes on', async () => {
  const rewrite: DnsPlugin = {
    name: 'rewrite',
    handle: (r, next) => next({ ...r, question: { ...r.question, name: 'other.test' } }),
  };
  const echo: DnsPlugin = {
    name: 'echo',
    async handle(r) {
      return { rcode: 0, answers: [], authority: [], additional: [{ name: r.question.name, type: 16, class: 1, ttl: 1, data: { type: 16, texts: [] } }] };
    },
  };
  const res = await buildChain([rewrite, echo])(req);
  assert.equal(res.additional[0].name, 'other.test');
});
