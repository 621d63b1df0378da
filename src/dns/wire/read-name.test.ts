import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DnsFormatError } from './errors.ts';
import { decodeMessage } from './decode.ts';
import { encodeMessage } from './encode.ts';
import { newQuery } from './query.ts';
import { MAX_POINTER_HOPS, readName } from './read-name.ts';

/**
 * A message whose name at the end follows `hops` backward pointers, each to the pointer
 * just before it, down to the label "a" at offset 12.
 */
function pointerChain(hops: number): { buf: Uint8Array; start: number } {
  const bytes = [...new Array(12).fill(0), 1, 0x61, 0]; // "a." at 12
  let prev = 12;
  for (let i = 0; i < hops; i++) {
    const at = bytes.length;
    bytes.push(0xc0 | (prev >> 8), prev & 0xff);
    prev = at;
  }
  return { buf: Uint8Array.from(bytes), start: prev };
}

describe('readName compression pointers', () => {
  it('follows up to miekg/dns\'s 126 pointers in one name', () => {
    assert.equal(MAX_POINTER_HOPS, 126);
    const { buf, start } = pointerChain(126);
    assert.deepEqual(readName(buf, start, buf.length), { name: 'a', next: start + 2 });
  });

  it('refuses a name that follows more pointers, as bad-pointer', () => {
    for (const hops of [127, 5000]) {
      const { buf, start } = pointerChain(hops);
      assert.throws(() => readName(buf, start, buf.length), (e: unknown) => e instanceof DnsFormatError && e.reason === 'bad-pointer' && /too many compression pointers/.test(e.message));
    }
  });
});

describe('decodeMessage and section counts', () => {
  it('decodes responses with many records: count limits belong to the server, not the codec (forward decodes upstream answers)', () => {
    const answers = Array.from({ length: 5 }, (_, i) => ({ name: 'a.test', type: 1, class: 1, ttl: 5, data: { type: 1 as const, address: `10.0.0.${i}` } }));
    const msg = decodeMessage(encodeMessage(newQuery('a.test', 1, { qr: true, answers, authority: answers, additional: answers })));
    assert.equal(msg.answers.length + msg.authority.length + msg.additional.length, 15);
  });
});
