// The outgoing half of netexec's /dial: one HTTP GET or UDP exchange per try, with the
// error texts Go's net/http and net packages produce, since e2e tests match on them.
import dgram from 'node:dgram';
import dns from 'node:dns/promises';
import http from 'node:http';
import net from 'node:net';
import { joinHostPort } from '../go-compat.ts';

const dialTimeoutMs = 5000;

/** Linux strerror texts, lower-case as Go prints syscall.Errno. */
const errnoText: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  EHOSTUNREACH: 'no route to host',
  ENETUNREACH: 'network is unreachable',
  ECONNRESET: 'connection reset by peer',
  ETIMEDOUT: 'connection timed out',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EADDRNOTAVAIL: 'cannot assign requested address',
  EPIPE: 'broken pipe',
};

export function errnoMessage(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return (e.code && errnoText[e.code]) ?? e.message;
}

/** Resolves host and port as net.ResolveTCPAddr does: IP literal, else a lookup preferring IPv4. */
export async function resolveHostPort(host: string, port: string): Promise<{ address: string; port: number }> {
  if (port !== '' && !/^\d+$/.test(port)) throw new Error(`lookup tcp/${port}: unknown port`);
  const portNumber = port === '' ? 0 : Number(port);
  if (portNumber > 65535) throw new Error(`address ${port}: invalid port`);
  if (host === '' || net.isIP(host)) return { address: host === '' ? '127.0.0.1' : host, port: portNumber };
  try {
    const all = await dns.lookup(host, { all: true });
    const chosen = all.find((a) => a.family === 4) ?? all[0];
    return { address: chosen.address, port: portNumber };
  } catch {
    throw new Error(`lookup ${host}: no such host`);
  }
}

export function dialHttp(request: string, address: string, port: number): Promise<string> {
  const hostPort = joinHostPort(address, port);
  const url = `http://${hostPort}/${request}`;
  return new Promise((resolve, reject) => {
    let req: http.ClientRequest;
    const fail = (why: string) => reject(new Error(`Get ${JSON.stringify(url)}: ${why}`));
    try {
      req = http.request({ host: address, port, path: `/${request}`, method: 'GET', agent: false });
    } catch (err) {
      fail((err as Error).message);
      return;
    }
    let connected = false;
    const timer = setTimeout(() => {
      req.destroy();
      fail(connected ? 'context deadline exceeded (Client.Timeout exceeded while awaiting headers)'
        : `dial tcp ${hostPort}: i/o timeout (Client.Timeout exceeded while awaiting headers)`);
    }, dialTimeoutMs);
    req.on('socket', (s) => s.once('connect', () => { connected = true; }));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => { clearTimeout(timer); resolve(Buffer.concat(chunks).toString()); });
      res.on('error', (err) => { clearTimeout(timer); fail(err.message); });
    });
    req.on('error', (err) => {
      clearTimeout(timer);
      fail(connected ? errnoMessage(err) : `dial tcp ${hostPort}: connect: ${errnoMessage(err)}`);
    });
    req.end();
  });
}

/** Sends `request` as one datagram and waits up to 5s for one reply (2048 bytes max). */
export function dialUdp(request: string, address: string, port: number, timeoutMs = dialTimeoutMs): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket(net.isIPv6(address) ? 'udp6' : 'udp4');
    let local = '';
    const remote = joinHostPort(address, port);
    const done = (err: Error | null, reply?: string) => {
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on('error', () => {});
      try { socket.close(); } catch { /* already closed */ }
      if (err) reject(err); else resolve(reply ?? '');
    };
    const readFailed = (why: string) =>
      new Error(`reading from udp connection failed. err:'read udp ${local}->${remote}: ${why}'`);
    const timer = setTimeout(() => done(readFailed('i/o timeout')), timeoutMs);
    socket.on('message', (msg) => {
      if (msg.length === 0) done(readFailed('EOF'));
      else done(null, msg.subarray(0, 2048).toString());
    });
    socket.on('error', (err) => done(readFailed(`read: ${errnoMessage(err)}`)));
    socket.connect(port, address, () => {
      const a = socket.address();
      local = joinHostPort(a.address, a.port);
      socket.send(request, (err) => {
        if (err) done(new Error(`udp connection write failed. err:write udp ${local}->${remote}: ${errnoMessage(err)}`));
      });
    });
  });
}
