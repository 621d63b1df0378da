// The part of SPDY/3.1 (draft-mbelshe-httpbis-spdy-00, version 3.1) a port-forward server
// needs: the peer opens streams (SYN_STREAM), we accept them (SYN_REPLY) and exchange DATA
// both ways, with FIN half-closes, RST_STREAM, PING answers and GOAWAY. Header blocks are
// zlib streams (one per direction for the whole session) primed with the SPDY/3 dictionary.
// Flow control (WINDOW_UPDATE) is not enforced: the Go peer (moby/spdystream) does not either.
//
// Frame layout (big endian):
//   control: 1|version(15) type(16) flags(8) length(24) payload
//   data:    0|stream-id(31)        flags(8) length(24) payload

import { Duplex } from 'node:stream';
import { createDeflate, createInflate, constants } from 'node:zlib';
import type { Deflate, Inflate } from 'node:zlib';

const SYN_STREAM = 1, SYN_REPLY = 2, RST_STREAM = 3, PING = 6, GOAWAY = 7;
const FLAG_FIN = 0x01;
const RST_CANCEL = 5;
const MAX_DATA = 16 * 1024;

/** The SPDY/3 header compression dictionary (spec section 2.6.10.1): length-prefixed names, then text. */
export const SPDY3_DICTIONARY: Buffer = (() => {
  const words = [
    ...('options head post put delete trace accept accept-charset accept-encoding accept-language accept-ranges age allow ' +
      'authorization cache-control connection content-base content-encoding content-language content-length content-location ' +
      'content-md5 content-range content-type date etag expect expires from host if-match if-modified-since if-none-match ' +
      'if-range if-unmodified-since last-modified location max-forwards pragma proxy-authenticate proxy-authorization range ' +
      'referer retry-after server te trailer transfer-encoding upgrade user-agent vary via warning www-authenticate method get status').split(' '),
    '200 OK', 'version', 'HTTP/1.1', 'url', 'public', 'set-cookie', 'keep-alive', 'origin',
  ];
  const tail = '100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505' +
    '203 Non-Authoritative Information204 No Content301 Moved Permanently400 Bad Request401 Unauthorized403 Forbidden' +
    '404 Not Found500 Internal Server Error501 Not Implemented503 Service Unavailable' +
    'Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMT' +
    'chunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,text/plain,text/javascript,' +
    'publicprivatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.';
  return Buffer.concat([...words.map((w) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(w.length);
    return Buffer.concat([len, Buffer.from(w)]);
  }), Buffer.from(tail)]);
})();

export function encodeHeaderBlock(headers: Record<string, string>): Buffer {
  const parts: Buffer[] = [u32(Object.keys(headers).length)];
  for (const [k, v] of Object.entries(headers)) parts.push(u32(Buffer.byteLength(k)), Buffer.from(k), u32(Buffer.byteLength(v)), Buffer.from(v));
  return Buffer.concat(parts);
}

export function decodeHeaderBlock(b: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let off = 4;
  for (let n = b.readUInt32BE(0); n > 0; n--) {
    const kl = b.readUInt32BE(off);
    const k = b.subarray(off + 4, off + 4 + kl).toString();
    off += 4 + kl;
    const vl = b.readUInt32BE(off);
    out[k.toLowerCase()] = b.subarray(off + 4, off + 4 + vl).toString();
    off += 4 + vl;
  }
  return out;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

export function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt16BE(0x8003, 0);
  h.writeUInt16BE(type, 2);
  h.writeUInt32BE(((flags & 0xff) << 24 | payload.length) >>> 0, 4);
  return Buffer.concat([h, payload]);
}

export function dataFrame(streamId: number, flags: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt32BE(streamId & 0x7fffffff, 0);
  h.writeUInt32BE(((flags & 0xff) << 24 | payload.length) >>> 0, 4);
  return Buffer.concat([h, payload]);
}

/** Runs zlib on one header block, keeping the stream's state for the next (Z_SYNC_FLUSH). */
function zlibStep(z: Deflate | Inflate, input: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const onData = (c: Buffer) => chunks.push(c);
    const onError = (err: Error) => {
      z.off('data', onData);
      reject(err);
    };
    z.on('data', onData);
    z.once('error', onError);
    z.write(input);
    z.flush(constants.Z_SYNC_FLUSH, () => {
      z.off('data', onData);
      z.off('error', onError);
      resolve(Buffer.concat(chunks));
    });
  });
}

/** A stream the peer opened: a Duplex whose writes become DATA frames and whose end is FIN. */
export class SpdyStream extends Duplex {
  readonly id: number;
  readonly headers: Record<string, string>;
  private session: SpdySession;

  constructor(session: SpdySession, id: number, headers: Record<string, string>) {
    super({ allowHalfOpen: true });
    this.session = session;
    this.id = id;
    this.headers = headers;
  }

  override _read(): void {}

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    for (let i = 0; i < chunk.length; i += MAX_DATA) this.session.send(dataFrame(this.id, 0, chunk.subarray(i, i + MAX_DATA)));
    cb();
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.session.send(dataFrame(this.id, FLAG_FIN, Buffer.alloc(0)));
    cb();
  }

  /** Abandons the stream (RST_STREAM CANCEL). */
  reset(): void {
    this.session.send(controlFrame(RST_STREAM, 0, Buffer.concat([u32(this.id), u32(RST_CANCEL)])));
    this.destroy();
  }
}

/** The server side of a SPDY/3.1 session over `io` (a socket or a WebSocket stream). */
export class SpdySession {
  private io: Duplex;
  private buf: Buffer = Buffer.alloc(0);
  private inflate = createInflate({ dictionary: SPDY3_DICTIONARY });
  private deflate = createDeflate({ dictionary: SPDY3_DICTIONARY });
  private streams = new Map<number, SpdyStream>();
  /** Incoming frames are handled in order, even though header inflation is asynchronous. */
  private incoming = Promise.resolve();
  /** Outgoing frames are written in order, after any header block compressed before them. */
  private outgoing = Promise.resolve();
  private lastStream = 0;
  closed = false;

  constructor(io: Duplex, onStream: (s: SpdyStream) => void) {
    this.io = io;
    this.onStream = onStream;
    io.on('data', (d: Buffer) => {
      this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
      this.parse();
    });
    io.on('error', () => this.close());
    io.on('close', () => this.close());
    io.on('end', () => this.close());
  }

  private onStream: (s: SpdyStream) => void;

  send(frame: Buffer): void {
    this.outgoing = this.outgoing.then(() => {
      if (!this.closed) this.io.write(frame);
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.streams.values()) s.destroy();
    this.streams.clear();
    this.inflate.close();
    this.deflate.close();
    this.io.destroy();
  }

  /** GOAWAY, then the connection ends. */
  goAway(): void {
    this.send(controlFrame(GOAWAY, 0, Buffer.concat([u32(this.lastStream), u32(0)])));
    this.outgoing = this.outgoing.then(() => void this.io.end());
  }

  private parse(): void {
    while (this.buf.length >= 8) {
      const len = this.buf.readUInt32BE(4) & 0xffffff;
      if (this.buf.length < 8 + len) return;
      const frame = this.buf.subarray(0, 8 + len);
      this.buf = this.buf.subarray(8 + len);
      this.incoming = this.incoming.then(() => this.handle(frame)).catch(() => this.close());
    }
  }

  private async handle(f: Buffer): Promise<void> {
    if (this.closed) return;
    const flags = f[4];
    const payload = f.subarray(8);
    if (!(f[0] & 0x80)) {
      const s = this.streams.get(f.readUInt32BE(0) & 0x7fffffff);
      if (!s) return;
      if (payload.length) s.push(Buffer.from(payload));
      if (flags & FLAG_FIN) s.push(null);
      return;
    }
    switch (f.readUInt16BE(2)) {
      case SYN_STREAM: {
        const id = payload.readUInt32BE(0) & 0x7fffffff;
        const headers = decodeHeaderBlock(await zlibStep(this.inflate, payload.subarray(10)));
        this.lastStream = id;
        const s = new SpdyStream(this, id, headers);
        this.streams.set(id, s);
        s.once('close', () => this.streams.delete(id));
        await this.reply(id);
        if (flags & FLAG_FIN) s.push(null);
        this.onStream(s);
        return;
      }
      case RST_STREAM: {
        const s = this.streams.get(payload.readUInt32BE(0) & 0x7fffffff);
        s?.destroy();
        return;
      }
      case PING:
        this.send(f);
        return;
      case GOAWAY:
        this.close();
        return;
      default:
        return; // SETTINGS, WINDOW_UPDATE, HEADERS: nothing to do for port-forward
    }
  }

  /** SYN_REPLY with an empty header block; compressed now so that blocks keep their order. */
  private reply(id: number): Promise<void> {
    const done = this.outgoing.then(async () => {
      const block = await zlibStep(this.deflate, encodeHeaderBlock({}));
      if (!this.closed) this.io.write(controlFrame(SYN_REPLY, 0, Buffer.concat([u32(id), block])));
    });
    this.outgoing = done.catch(() => {});
    return done;
  }
}
