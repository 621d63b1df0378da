// Test-only: a scripted DNS upstream on UDP and TCP at one loopback address and port. The
// script sees each decoded query and returns the whole reply message (so tests control every
// flag, TC included), or undefined to stay silent.

import dgram from 'node:dgram';
import net from 'node:net';
import { decodeMessage } from '../wire/decode.ts';
import { encodeMessage } from '../wire/encode.ts';
import type { DnsMessage, ResourceRecord } from '../wire/types.ts';
import type { UpstreamTransport } from './forward-exchange.ts';

export type UpstreamScript = (query: DnsMessage, transport: UpstreamTransport) => DnsMessage | undefined | Promise<DnsMessage | undefined>;

export interface FakeUpstream {
  host: string;
  port: number;
  /** Every query received, in arrival order. */
  seen: { transport: UpstreamTransport; query: DnsMessage }[];
  close(): Promise<void>;
}

/** The reply a well-behaved server would send: query echoed with QR, RA and the given records. */
export function replyTo(query: DnsMessage, answers: ResourceRecord[], extra: Partial<DnsMessage> = {}): DnsMessage {
  return {
    ...query, qr: true, ra: true, aa: false, tc: false, rcode: 0, answers, authority: [], additional: [],
    edns: query.edns && { ...query.edns, options: [] }, ...extra,
  };
}

export async function startFakeUpstream(host: string, port: number, script: UpstreamScript): Promise<FakeUpstream> {
  const seen: FakeUpstream['seen'] = [];
  const answer = async (packet: Uint8Array, transport: UpstreamTransport): Promise<Uint8Array | undefined> => {
    const query = decodeMessage(packet);
    seen.push({ transport, query });
    const reply = await script(query, transport);
    return reply && encodeMessage(reply);
  };
  const udp = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
  udp.on('message', (packet, rinfo) => {
    void answer(packet, 'udp').then((out) => {
      if (out) udp.send(out, rinfo.port, rinfo.address);
    });
  });
  const sockets = new Set<net.Socket>();
  const tcp = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => {});
    let buf = Buffer.alloc(0);
    sock.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const frame = buf.subarray(2, 2 + buf.readUInt16BE(0));
        buf = buf.subarray(2 + frame.length);
        void answer(frame, 'tcp').then((out) => {
          if (!out || sock.destroyed) return;
          const framed = Buffer.alloc(2 + out.length);
          framed.writeUInt16BE(out.length, 0);
          framed.set(out, 2);
          sock.write(framed);
        });
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind(port, host, () => resolve());
  });
  const bound = udp.address().port;
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(bound, host, () => resolve());
  });
  return {
    host,
    port: bound,
    seen,
    close: async () => {
      for (const s of sockets) s.destroy();
      await Promise.all([
        new Promise<void>((resolve) => udp.close(() => resolve())),
        new Promise<void>((resolve) => tcp.close(() => resolve())),
      ]);
    },
  };
}
