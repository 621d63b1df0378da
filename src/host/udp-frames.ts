// Datagrams over a stream (the netns dialer's unix socket): each one is a 2-byte big-endian
// length and the payload, so datagram boundaries survive the byte stream (as DNS over TCP
// frames its messages, RFC 1035 §4.2.2).

import type { Socket } from 'node:net';

export function writeFrame(s: Socket, payload: Uint8Array): void {
  if (payload.length > 0xffff) return; // larger than any UDP payload
  const head = Buffer.alloc(2);
  head.writeUInt16BE(payload.length);
  s.write(Buffer.concat([head, payload]));
}

/** Calls `onFrame` for each complete frame read from `s` (and for `initial` bytes first). */
export function readFrames(s: Socket, onFrame: (payload: Buffer) => void, initial: Buffer = Buffer.alloc(0)): void {
  let buf = initial;
  const drain = () => {
    while (buf.length >= 2) {
      const n = buf.readUInt16BE(0);
      if (buf.length < 2 + n) break;
      onFrame(buf.subarray(2, 2 + n));
      buf = buf.subarray(2 + n);
    }
  };
  s.on('data', (d: Buffer) => {
    buf = buf.length ? Buffer.concat([buf, d]) : d;
    drain();
  });
  drain();
}
