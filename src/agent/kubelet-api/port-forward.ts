// `kubectl port-forward` on the node (protocol portforward.k8s.io over SPDY/3.1): for every
// local connection the client opens two streams with the same `requestid` header, an `error`
// stream and a `data` stream, each naming the `port`. The data stream is joined to a TCP
// connection to localhost:<port> made inside the pod's network namespace (as the kubelet
// does), so servers bound to 127.0.0.1 in the pod are reachable; a failure to connect is
// written to the error stream. The agent cannot enter namespaces itself, so each connection
// is a small Node relay started under `nsenter --net`.

import { spawn } from 'node:child_process';
import type { Duplex } from 'node:stream';
import { SpdySession } from './spdy.ts';
import type { SpdyStream } from './spdy.ts';

export const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';
/** kubectl 1.31+: SPDY frames carried in WebSocket binary messages (KEP-4006). */
export const PORT_FORWARD_WS_PROTOCOL = 'SPDY/3.1+portforward.k8s.io';

const PAIR_TIMEOUT_MS = 30_000;

// Connects to localhost:<port> (IPv4, then IPv6), then copies stdin -> socket -> stdout.
const RELAY = `
const net = require('node:net');
const port = Number(process.argv[1]);
const errors = [];
const attempt = (host) => {
  const s = net.connect({ host, port });
  s.once('connect', () => {
    process.stdin.pipe(s);
    s.pipe(process.stdout);
    s.once('close', () => process.exit(0));
  });
  s.once('error', (e) => {
    if (s.connecting === false && s.bytesRead + s.bytesWritten > 0) process.exit(0);
    const v4 = host === '127.0.0.1';
    const why = e.code === 'ECONNREFUSED' ? 'connect: connection refused' : e.message;
    errors.push(v4 ? 'IPv4: dial tcp4 127.0.0.1:' + port + ': ' + why : 'IPv6: dial tcp6 [::1]:' + port + ': ' + why);
    if (host === '127.0.0.1') return attempt('::1');
    process.stderr.write(errors.join(' '));
    process.exit(1);
  });
};
attempt('127.0.0.1');
`;

interface Pending {
  error?: SpdyStream;
  data?: SpdyStream;
  timer: NodeJS.Timeout;
}

export function servePortForward(io: Duplex, sandbox: { initPid: number; podUID: string }): SpdySession {
  const pending = new Map<string, Pending>();
  const session = new SpdySession(io, (s) => {
    const id = s.headers.requestid ?? '';
    const type = s.headers.streamtype;
    if (type !== 'error' && type !== 'data') {
      s.reset();
      return;
    }
    let p = pending.get(id);
    if (!p) {
      p = { timer: setTimeout(() => abandon(id), PAIR_TIMEOUT_MS) };
      pending.set(id, p);
    }
    p[type] = s;
    s.on('error', () => {});
    if (p.error && p.data) {
      clearTimeout(p.timer);
      pending.delete(id);
      forward(sandbox, p.error, p.data);
    }
  });
  const abandon = (id: string) => {
    const p = pending.get(id);
    pending.delete(id);
    p?.error?.reset();
    p?.data?.reset();
  };
  return session;
}

function forward(sandbox: { initPid: number; podUID: string }, errorStream: SpdyStream, data: SpdyStream): void {
  const port = Number(data.headers.port);
  errorStream.resume(); // the client closes its side at once; nothing to read
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    errorStream.end(`invalid port: ${data.headers.port}`);
    data.end();
    return;
  }
  const relay = spawn('/usr/bin/nsenter', [`--target=${sandbox.initPid}`, '--net', '--', process.execPath, '-e', RELAY, String(port)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  relay.stderr!.on('data', (d) => (stderr += d));
  relay.stdin!.on('error', () => {});
  data.pipe(relay.stdin!);
  relay.stdout!.pipe(data);
  data.on('close', () => {
    if (relay.exitCode === null) relay.kill('SIGTERM');
  });
  relay.once('close', (code) => {
    if (code) {
      errorStream.end(`error forwarding port ${port} to pod ${sandbox.podUID}, uid : failed to connect to localhost:${port} inside the pod's network namespace: ${stderr.trim()}`);
    } else {
      errorStream.end();
    }
  });
}
