import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TcpFrameReader } from './tcp-frames.ts';

function framed(...bodies: number[][]): Uint8Array {
  return Uint8Array.from(bodies.flatMap((b) => [b.length >> 8, b.length & 0xff, ...b]));
}

describe('TcpFrameReader', () => {
  it('splits a stream into length-prefixed frames however it is chunked', () => {
    const bytes = framed([1, 2, 3], [], [9]);
    for (const size of [1, 2, 3, bytes.length]) {
      const r = new TcpFrameReader();
      const out: number[][] = [];
      for (let i = 0; i < bytes.length; i += size) out.push(...r.push(bytes.subarray(i, i + size)).map((f) => [...f]));
      assert.deepEqual(out, [[1, 2, 3], [], [9]], `chunks of ${size}`);
      assert.equal(r.midFrame, false);
    }
  });

  it('knows when it holds part of a frame', () => {
    const r = new TcpFrameReader();
    assert.equal(r.midFrame, false);
    r.push(Uint8Array.of(0));
    assert.equal(r.midFrame, true);
    r.push(Uint8Array.of(2, 7));
    assert.equal(r.midFrame, true);
    assert.deepEqual(r.push(Uint8Array.of(8)).map((f) => [...f]), [[7, 8]]);
    assert.equal(r.midFrame, false);
  });

  it('copies each octet once: a 64 KiB frame in one-octet chunks is cheap', () => {
    const body = Array.from({ length: 65_535 }, (_, i) => i & 0xff);
    const bytes = framed(body);
    const r = new TcpFrameReader();
    const t0 = performance.now();
    let frames: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i++) frames = frames.concat(r.push(bytes.subarray(i, i + 1)));
    const ms = performance.now() - t0;
    assert.equal(frames.length, 1);
    assert.equal(frames[0].length, 65_535);
    assert.equal(frames[0][300], 300 & 0xff);
    assert.ok(ms < 250, `took ${ms} ms`);
  });
});
