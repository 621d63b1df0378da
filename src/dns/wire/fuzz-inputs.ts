// Inputs for fuzz tests of the codec and the server: a seeded PRNG, a few valid messages
// to mutate, and mutations that aim at the fragile parts (pointers, counts, lengths).

import { encodeMessage } from './encode.ts';
import type { DnsMessage } from './types.ts';
import { seededRandom } from '../../lib/seeded-random.ts';
import { newQuery } from './query.ts';

/** The seeded PRNG, so a failure can be replayed from its seed. */
export const prng = seededRandom;

export function seedMessages(): Uint8Array[] {
  const base: DnsMessage = {
    ...newQuery('web.ns1.svc.cluster.local', 33, { id: 7, qr: true, aa: true }),
    answers: [
      { name: '_http._tcp.web.ns1.svc.cluster.local', type: 33, class: 1, ttl: 30, data: { type: 33, priority: 0, weight: 50, port: 80, target: 'a.web.ns1.svc.cluster.local' } },
      { name: 'web.ns1.svc.cluster.local', type: 5, class: 1, ttl: 30, data: { type: 5, target: 'x.ns1.svc.cluster.local' } },
      { name: 'dns-version.cluster.local', type: 16, class: 1, ttl: 30, data: { type: 16, texts: ['1.1.0', 'b'] } },
      { name: 'mx.test', type: 15, class: 1, ttl: 30, data: { type: 15, preference: 1, exchange: 'web.ns1.svc.cluster.local' } },
      { name: 'u.test', type: 7, class: 1, ttl: 30, data: { type: 7, raw: Uint8Array.from([1, 0x61, 0]) } },
    ],
    authority: [
      { name: 'cluster.local', type: 6, class: 1, ttl: 5, data: { type: 6, mname: 'ns.dns.cluster.local', rname: 'hostmaster.cluster.local', serial: 1, refresh: 7200, retry: 1800, expire: 86400, minimum: 30 } },
    ],
    additional: [
      { name: 'a.web.ns1.svc.cluster.local', type: 1, class: 1, ttl: 30, data: { type: 1, address: '10.244.1.5' } },
      { name: 'a.web.ns1.svc.cluster.local', type: 28, class: 1, ttl: 30, data: { type: 28, address: 'fd00::5' } },
    ],
    edns: { udpPayloadSize: 1232, extendedRcode: 0, version: 0, dnssecOk: true, options: [{ code: 10, data: new Uint8Array(8) }] },
  };
  const query: DnsMessage = { ...base, qr: false, aa: false, answers: [], authority: [], additional: [] };
  return [encodeMessage(base), encodeMessage(query), encodeMessage({ ...query, edns: undefined })];
}

export function mutate(seed: Uint8Array, rnd: () => number): Uint8Array {
  const b = Array.from(seed);
  const n = 1 + Math.floor(rnd() * 6);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(rnd() * Math.max(1, b.length));
    switch (Math.floor(rnd() * 7)) {
      case 0:
        b[at] ^= 1 << Math.floor(rnd() * 8);
        break;
      case 1:
        b[at] = Math.floor(rnd() * 256);
        break;
      case 2: // a compression pointer anywhere
        b[at] = 0xc0 | Math.floor(rnd() * 4);
        if (at + 1 < b.length) b[at + 1] = Math.floor(rnd() * 256);
        break;
      case 3:
        b.length = at;
        break;
      case 4:
        b.splice(at, 0, ...Array.from({ length: 1 + Math.floor(rnd() * 8) }, () => Math.floor(rnd() * 256)));
        break;
      case 5: // counts
        if (b.length >= 12) b[4 + Math.floor(rnd() * 8)] = Math.floor(rnd() * 256);
        break;
      case 6:
        b.splice(at, Math.floor(rnd() * 16));
        break;
    }
  }
  return Uint8Array.from(b);
}

export function randomPacket(rnd: () => number): Uint8Array {
  const b = new Uint8Array(Math.floor(rnd() * 600));
  for (let i = 0; i < b.length; i++) b[i] = Math.floor(rnd() * 256);
  // keep section counts small now and then so the decoder gets past the header
  if (b.length >= 12 && rnd() < 0.5) {
    for (let i = 4; i < 12; i += 2) {
      b[i] = 0;
      b[i + 1] &= 3;
    }
  }
  return b;
}
