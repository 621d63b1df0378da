// One DNS exchange with one upstream over UDP or TCP: send a query already encoded, return the
// first reply that carries the query's id with QR set. Every exchange owns a fresh socket
// (a new random source port each time, RFC 5452 §9.2), so nothing outlives it: the socket is
// closed and the timer cleared on every way out, and an aborted signal ends it at once.
//
// UDP sockets are connected, so the kernel drops datagrams from other addresses and an ICMP
// port-unreachable surfaces as ECONNREFUSED instead of a silent wait for the timeout.
// TCP frames carry a two-octet length (RFC 1035 §4.2.2).

import dgram from 'node:dgram';
import net from 'node:net';

export type ForwardErrorCode = 'timeout' | 'refused' | 'io' | 'closed' | 'bad-reply' | 'no-upstreams' | 'no-healthy';

/** Why a forwarded query failed; the plugin throws it so the `errors` plugin logs it once and answers SERVFAIL. */
export class ForwardError extends Error {
  override name = 'ForwardError';
  readonly code: ForwardErrorCode;
  constructor(code: ForwardErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export interface ExchangeTarget {
  host: string;
  port: number;
}

export interface ExchangeOptions {
  timeoutMs: number;
  /** Aborting ends the exchange with ForwardError('closed'). */
  signal: AbortSignal;
  /** Health probes: the socket and timer do not keep the process alive (unref). */
  background?: boolean;
}

export type UpstreamTransport = 'udp' | 'tcp';

/** Formats host and port as CoreDNS names an upstream in logs and the `to` metric label. */
export function upstreamLabel(t: ExchangeTarget): string {
  return net.isIPv6(t.host) ? `[${t.host}]:${t.port}` : `${t.host}:${t.port}`;
}

function isReplyTo(bytes: Uint8Array, id: number): boolean {
  return bytes.length >= 12 && ((bytes[0] << 8) | bytes[1]) === id && (bytes[2] & 0x80) !== 0;
}

function socketError(err: NodeJS.ErrnoException, target: ExchangeTarget): ForwardError {
  const code = err.code === 'ECONNREFUSED' ? 'refused' : 'io';
  return new ForwardError(code, `${upstreamLabel(target)}: ${err.code ?? err.message}`, { cause: err });
}

/**
 * Sends `wire` (whose first two octets are its id) and resolves with the raw reply.
 * Rejects with ForwardError: timeout, refused (ICMP unreachable or TCP RST), io, closed.
 */
export function exchange(target: ExchangeTarget, wire: Uint8Array, transport: UpstreamTransport, opts: ExchangeOptions): Promise<Uint8Array> {
  if (opts.signal.aborted) return Promise.reject(new ForwardError('closed', 'forwarder is closed'));
  const id = (wire[0] << 8) | wire[1];
  return new Promise<Uint8Array>((resolve, reject) => {
    let done = false;
    let release = () => {};
    const finish = (err: ForwardError | undefined, reply?: Uint8Array) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      opts.signal.removeEventListener('abort', onAbort);
      release();
      if (err) reject(err);
      else resolve(reply as Uint8Array);
    };
    const onAbort = () => finish(new ForwardError('closed', 'forwarder is closed'));
    const timer = setTimeout(
      () => finish(new ForwardError('timeout', `${upstreamLabel(target)}: no ${transport} answer within ${opts.timeoutMs} ms`)),
      opts.timeoutMs,
    );
    opts.signal.addEventListener('abort', onAbort, { once: true });
    release = transport === 'udp' ? exchangeUdp(target, wire, id, finish, opts.background) : exchangeTcp(target, wire, id, finish, opts.background);
    if (opts.background) timer.unref();
  });
}

type Finish = (err: ForwardError | undefined, reply?: Uint8Array) => void;

/** Starts the UDP exchange; returns the function that closes its socket. */
function exchangeUdp(target: ExchangeTarget, wire: Uint8Array, id: number, finish: Finish, background = false): () => void {
  const sock = dgram.createSocket(net.isIPv6(target.host) ? 'udp6' : 'udp4');
  if (background) sock.unref();
  let open = true;
  sock.on('error', (err) => finish(socketError(err, target)));
  sock.on('message', (msg) => {
    // Late answers to an earlier id on a reused port, or junk, are skipped as miekg/dns does.
    if (isReplyTo(msg, id)) finish(undefined, new Uint8Array(msg));
  });
  sock.connect(target.port, target.host, () => {
    if (!open) return;
    sock.send(wire, (err) => {
      if (err) finish(socketError(err, target));
    });
  });
  return () => {
    open = false;
    try {
      sock.close();
    } catch {
      // already closed by an error path
    }
  };
}

/** Starts the TCP exchange; returns the function that destroys its connection. */
function exchangeTcp(target: ExchangeTarget, wire: Uint8Array, id: number, finish: Finish, background = false): () => void {
  const sock = net.connect({ host: target.host, port: target.port, noDelay: true });
  if (background) sock.unref();
  let pending: Buffer = Buffer.alloc(0);
  const framed = Buffer.allocUnsafe(2 + wire.length);
  framed.writeUInt16BE(wire.length, 0);
  framed.set(wire, 2);
  sock.on('connect', () => sock.write(framed));
  sock.on('error', (err) => finish(socketError(err, target)));
  sock.on('close', () => finish(new ForwardError('io', `${upstreamLabel(target)}: connection closed before an answer`)));
  sock.on('data', (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    while (pending.length >= 2) {
      const len = pending.readUInt16BE(0);
      if (pending.length < 2 + len) break;
      const frame = pending.subarray(2, 2 + len);
      pending = pending.subarray(2 + len);
      if (isReplyTo(frame, id)) {
        finish(undefined, new Uint8Array(frame));
        return;
      }
    }
  });
  return () => sock.destroy();
}
