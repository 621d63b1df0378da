import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Duplex } from 'node:stream';
import { createDeflate, constants } from 'node:zlib';
import { SPDY3_DICTIONARY, SpdySession, controlFrame, dataFrame, decodeHeaderBlock, encodeHeaderBlock } from './spdy.ts';

describe('SPDY/3.1', () => {
  it('has the spec dictionary (1423 bytes, zlib dictionary id 0xe3c6a7c2)', () => {
    assert.equal(SPDY3_DICTIONARY.length, 1423);
    let a = 1, b = 0;
    for (const x of SPDY3_DICTIONARY) {
      a = (a + x) % 65521;
      b = (b + a) % 65521;
    }
    assert.equal(((b << 16) | a) >>> 0, 0xe3c6a7c2);
  });

  it('accepts a stream, replies, and carries data both ways with FIN', async () => {
    const toServer = new PassThrough();
    const fromServer = new PassThrough();
    const io = Duplex.from({ readable: toServer, writable: fromServer });
    const got: string[] = [];
    new SpdySession(io, (s) => {
      got.push(s.headers.streamtype);
      s.on('data', (d) => s.write(Buffer.from(String(d).toUpperCase())));
      s.on('end', () => s.end());
    });
    // The client's header block: compressed with the dictionary, flushed.
    const deflate = createDeflate({ dictionary: SPDY3_DICTIONARY });
    const block = await new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      deflate.on('data', (c) => chunks.push(c));
      deflate.write(encodeHeaderBlock({ streamtype: 'data', port: '80', requestid: '0' }));
      deflate.flush(constants.Z_SYNC_FLUSH, () => resolve(Buffer.concat(chunks)));
    });
    const syn = Buffer.concat([Buffer.from([0, 0, 0, 1, 0, 0, 0, 0, 0, 0]), block]);
    const frame = controlFrame(1, 0, syn);
    toServer.write(frame.subarray(0, 3)); // frames may arrive split
    toServer.write(frame.subarray(3));
    toServer.write(dataFrame(1, 1, Buffer.from('hello')));
    const out: Buffer[] = [];
    fromServer.on('data', (d) => out.push(d));
    await new Promise((r) => setTimeout(r, 100));
    const all = Buffer.concat(out);
    assert.equal(all.readUInt16BE(0), 0x8003);
    assert.equal(all.readUInt16BE(2), 2); // SYN_REPLY
    const replyLen = all.readUInt32BE(4) & 0xffffff;
    const data = all.subarray(8 + replyLen);
    assert.equal(data.readUInt32BE(0), 1);
    assert.equal(data.subarray(8, 8 + (data.readUInt32BE(4) & 0xffffff)).toString(), 'HELLO');
    const fin = data.subarray(8 + 5);
    assert.equal(fin[4], 1); // FLAG_FIN
    assert.deepEqual(got, ['data']);
    assert.deepEqual(decodeHeaderBlock(encodeHeaderBlock({ A: 'b' })), { a: 'b' });
  });
});
