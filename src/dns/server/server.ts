// The sockets around answerQuery: one UDP socket and one TCP listener on the same port.
// TCP carries each message behind a two-octet length (RFC 1035 §4.2.2); a connection may
// carry many queries, answered as they complete, so pipelined queries can come back out
// of order (RFC 7766 §6.2.1.1). Nothing a peer sends may stop the server: every failure
// ends in a dropped packet or a closed connection, reported through onError.
//
// TCP time limits, as miekg/dns's readTimeout and idleTimeout: each frame must arrive
// whole within the read timeout of its first octet (so trickling octets cannot hold a
// connection), and a connection with nothing pending and nothing in flight closes after
// the idle timeout.

import dgram from 'node:dgram';
import net from 'node:net';
import type { AnswerMemo, AnswerOptions, DnsClient, DnsErrorHook, LocalAnswerHook } from './answer-query.ts';
import { answerQuery } from './answer-query.ts';
import type { DnsHandler, DnsRequest } from './plugin.ts';
import { TcpFrameReader } from './tcp-frames.ts';

export interface DnsServerOptions {
  host: string;
  /** 0 picks a free port (the same one for UDP and TCP when it can). */
  port: number;
  handler: DnsHandler;
  /** Close a TCP connection idle this long (RFC 7766 §6.2.3); default 10 s. */
  tcpIdleTimeoutMs?: number;
  /** Close a TCP connection whose frame is not whole this long after its first octet; default 2 s (miekg/dns). */
  tcpReadTimeoutMs?: number;
  /** Connections beyond this are closed on accept; default 1000. */
  maxTcpConnections?: number;
  /** Queries answered at once on one TCP connection before reading pauses; default 64. */
  maxTcpInFlight?: number;
  /** Advertised and accepted EDNS UDP payload size; default 1232. */
  ednsUdpSize?: number;
  allowTransfer?: (req: DnsRequest) => boolean;
  onError?: DnsErrorHook;
  /** Answers the server wrote without the handler (FORMERR, NOTIMP...); see answer-query.ts. */
  onLocalAnswer?: LocalAnswerHook;
  /** Replays memoised answers (answer-query.ts AnswerMemo). */
  memo?: AnswerMemo;
}

export interface DnsServer {
  udpPort: number;
  tcpPort: number;
  close(): Promise<void>;
}

const QUIET_SOCKET_ERRORS = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

export async function startDnsServer(opts: DnsServerOptions): Promise<DnsServer> {
  const idleMs = opts.tcpIdleTimeoutMs ?? 10_000;
  const readMs = opts.tcpReadTimeoutMs ?? 2_000;
  const maxInFlight = opts.maxTcpInFlight ?? 64;
  const report: DnsErrorHook = (err, ctx) => {
    try {
      opts.onError?.(err, ctx);
    } catch {
      // a failing error hook must not take the server down
    }
  };
  const answerOpts: AnswerOptions = {
    handler: opts.handler,
    ednsUdpSize: opts.ednsUdpSize,
    allowTransfer: opts.allowTransfer,
    onError: report,
    onLocalAnswer: opts.onLocalAnswer,
    memo: opts.memo,
  };
  const udpType = net.isIPv6(opts.host) ? 'udp6' : 'udp4';
  const connections = new Set<net.Socket>();
  let closed = false;

  const tcp = net.createServer({ noDelay: true }, (sock) => serveTcp(sock));
  tcp.maxConnections = opts.maxTcpConnections ?? 1000;
  tcp.on('error', (err) => report(err, { stage: 'tcp' }));

  function serveTcp(sock: net.Socket): void {
    connections.add(sock);
    const client: DnsClient = { address: sock.remoteAddress ?? '', port: sock.remotePort ?? 0, transport: 'tcp' };
    const frames = new TcpFrameReader();
    let frameTimer: NodeJS.Timeout | undefined;
    let inFlight = 0;
    let writeBlocked = false;
    const flow = () => {
      if (sock.destroyed) return;
      if (inFlight >= maxInFlight || writeBlocked) sock.pause();
      else sock.resume();
    };
    sock.setTimeout(idleMs);
    sock.on('timeout', () => {
      // Mid-frame, the read deadline decides.
      if (inFlight === 0 && !frames.midFrame) sock.destroy();
    });
    sock.on('drain', () => {
      writeBlocked = false;
      flow();
    });
    sock.on('error', (err: NodeJS.ErrnoException) => {
      if (!QUIET_SOCKET_ERRORS.has(err.code ?? '')) report(err, { stage: 'tcp', client });
    });
    sock.on('close', () => {
      clearTimeout(frameTimer);
      connections.delete(sock);
    });
    sock.on('data', (chunk: Buffer) => {
      const wasMid = frames.midFrame;
      const whole = frames.push(chunk);
      for (const frame of whole) dispatch(frame);
      if (!frames.midFrame) {
        clearTimeout(frameTimer);
        frameTimer = undefined;
      } else if (!wasMid || whole.length > 0) {
        // A new frame began in this chunk (possibly after whole ones): its deadline starts now.
        clearTimeout(frameTimer);
        const expire = () => {
          // Reading paused on our side (too many in flight) is not the peer's slowness.
          if (sock.isPaused()) frameTimer = setTimeout(expire, readMs);
          else sock.destroy();
        };
        frameTimer = setTimeout(expire, readMs);
      }
      flow();
    });
    const dispatch = (frame: Uint8Array) => {
      inFlight++;
      answerQuery(frame, client, answerOpts)
        .then((out) => {
          if (!out || sock.destroyed) return;
          const framed = Buffer.allocUnsafe(2 + out.length);
          framed.writeUInt16BE(out.length, 0);
          framed.set(out, 2);
          if (!sock.write(framed)) writeBlocked = true;
        })
        .catch((err: unknown) => report(err, { stage: 'tcp', client }))
        .finally(() => {
          inFlight--;
          flow();
        });
    };
  }

  function serveUdp(udp: dgram.Socket): void {
    udp.on('error', (err) => report(err, { stage: 'udp' }));
    udp.on('message', (packet, rinfo) => {
      const client: DnsClient = { address: rinfo.address, port: rinfo.port, transport: 'udp' };
      answerQuery(packet, client, answerOpts)
        .then((out) => {
          if (!out || closed) return;
          udp.send(out, rinfo.port, rinfo.address, (err) => {
            if (err) report(err, { stage: 'udp', client });
          });
        })
        .catch((err: unknown) => report(err, { stage: 'udp', client }));
    });
  }

  const { udp, tcpPort, udpPort } = await bind(tcp, opts.host, opts.port, udpType);
  serveUdp(udp);

  return {
    udpPort,
    tcpPort,
    close: async () => {
      if (closed) return;
      closed = true;
      const tcpClosed = new Promise<void>((resolve) => tcp.close(() => resolve()));
      for (const c of connections) c.destroy();
      await Promise.all([tcpClosed, new Promise<void>((resolve) => udp.close(() => resolve()))]);
    },
  };
}

function listenTcp(tcp: net.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    tcp.once('error', onError);
    tcp.listen({ host, port, exclusive: true }, () => {
      tcp.off('error', onError);
      resolve((tcp.address() as net.AddressInfo).port);
    });
  });
}

function bindUdp(type: 'udp4' | 'udp6', host: string, port: number): Promise<dgram.Socket> {
  return new Promise((resolve, reject) => {
    const udp = dgram.createSocket({ type, reuseAddr: false });
    const onError = (err: Error) => {
      udp.close();
      reject(err);
    };
    udp.once('error', onError);
    udp.bind({ address: host, port, exclusive: true }, () => {
      udp.off('error', onError);
      resolve(udp);
    });
  });
}

function closeTcp(tcp: net.Server): Promise<void> {
  return new Promise((resolve) => tcp.close(() => resolve()));
}

/** Binds TCP then UDP on the same port; with port 0, retries a few ephemeral ports before giving up on sameness. */
async function bind(
  tcp: net.Server,
  host: string,
  port: number,
  udpType: 'udp4' | 'udp6',
): Promise<{ udp: dgram.Socket; tcpPort: number; udpPort: number }> {
  const attempts = port === 0 ? 8 : 1;
  let lastErr: unknown;
  for (let i = 0; i < attempts; i++) {
    const tcpPort = await listenTcp(tcp, host, port);
    try {
      const udp = await bindUdp(udpType, host, tcpPort);
      return { udp, tcpPort, udpPort: tcpPort };
    } catch (err) {
      lastErr = err;
      await closeTcp(tcp);
    }
  }
  if (port !== 0) throw lastErr;
  const tcpPort = await listenTcp(tcp, host, 0);
  try {
    const udp = await bindUdp(udpType, host, 0);
    return { udp, tcpPort, udpPort: udp.address().port };
  } catch (err) {
    await closeTcp(tcp);
    throw err;
  }
}
