// The node agent's "kubelet API": an HTTP server on a unix socket with the kubelet's streaming
// endpoints, which the API server proxies pods/log, pods/exec and pods/portforward to:
//   GET /containerLogs/{ns}/{pod}/{container}?follow&previous&tailLines&sinceSeconds&...
//   /exec/{ns}/{pod}/{container}?command=..&stdin&stdout&stderr&tty   (WebSocket upgrade)
//   /portForward/{ns}/{pod}   (WebSocket `SPDY/3.1+portforward.k8s.io`, or SPDY/3.1 upgrade)
// Only root can reach the socket (mode 0600): it runs commands in every pod of the node.

import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { chmodSync, rmSync } from 'node:fs';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { KubeletError, errorOf, statusBody } from './errors.ts';
import { chooseRun, copyLog, parseLogQuery } from './logs.ts';
import { EXEC_PROTOCOLS, parseExecQuery, serveExec } from './exec.ts';
import { PORT_FORWARD_PROTOCOL, PORT_FORWARD_WS_PROTOCOL, servePortForward } from './port-forward.ts';
import type { KubeletLookup } from './types.ts';

export interface KubeletApiOptions {
  socketPath: string;
  lookup: KubeletLookup;
  log(msg: string, fields?: Record<string, unknown>): void;
}

export interface KubeletApi {
  socketPath: string;
  close(): Promise<void>;
}

export async function startKubeletApi(o: KubeletApiOptions): Promise<KubeletApi> {
  const abort = new AbortController();
  const sockets = new Set<Duplex>();
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => [...EXEC_PROTOCOLS, PORT_FORWARD_WS_PROTOCOL].find((p) => offered.has(p)) ?? false,
  });

  const server = createServer((req, res) => {
    handleRequest(o.lookup, req, res, abort.signal).catch((err) => {
      const e = errorOf(err);
      if (e.code >= 500) o.log('kubelet API request failed', { path: req.url, error: e.message });
      if (!res.headersSent) {
        res.writeHead(e.code, { 'Content-Type': 'application/json' });
        res.end(statusBody(e.code, e.message));
      } else {
        res.end();
      }
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    try {
      handleUpgrade(o.lookup, wss, req, socket, head);
    } catch (err) {
      const e = errorOf(err);
      const body = statusBody(e.code, e.message);
      socket.end(`HTTP/1.1 ${e.code} ${e.code === 404 ? 'Not Found' : e.code === 400 ? 'Bad Request' : 'Internal Server Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    }
  });

  rmSync(o.socketPath, { force: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.socketPath, () => resolve());
  });
  chmodSync(o.socketPath, 0o600);
  return {
    socketPath: o.socketPath,
    async close() {
      abort.abort();
      for (const s of sockets) s.destroy();
      wss.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      rmSync(o.socketPath, { force: true });
    },
  };
}

function pathParts(url: URL, prefix: string, count: number): string[] | undefined {
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  return parts[0] === prefix && parts.length === count + 1 ? parts.slice(1) : undefined;
}

async function handleRequest(lookup: KubeletLookup, req: IncomingMessage, res: ServerResponse, stop: AbortSignal): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://kubelet');
  const p = pathParts(url, 'containerLogs', 3);
  if (!p || req.method !== 'GET') throw new KubeletError(404, `the kubelet API has no ${req.method} ${url.pathname}`);
  const [ns, pod, name] = p;
  const access = lookup.container(ns, pod, name);
  if (!access) throw new KubeletError(404, `container "${name}" in pod "${pod}" not found on this node`);
  const opts = parseLogQuery(url.searchParams);
  const run = chooseRun(access, opts.previous);
  const closed = new AbortController();
  res.on('close', () => closed.abort());
  stop.addEventListener('abort', () => closed.abort(), { once: true });
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  // A followed run goes on while the container still runs that same run.
  const stillRunning = () => {
    const now = lookup.container(ns, pod, name);
    return !!now && now.podUID === access.podUID && now.view.restartCount === run && now.view.state.kind === 'running';
  };
  await copyLog(access.logPath(run), opts, { write: (s) => res.write(s), closed: () => res.destroyed }, stillRunning, closed.signal);
  res.end();
}

function handleUpgrade(lookup: KubeletLookup, wss: WebSocketServer, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  const url = new URL(req.url ?? '/', 'http://kubelet');
  const upgrade = String(req.headers.upgrade ?? '').toLowerCase();
  const exec = pathParts(url, 'exec', 3);
  if (exec) {
    const [ns, pod, name] = exec;
    const access = lookup.container(ns, pod, name);
    if (!access || access.view.state.kind !== 'running' || !access.initPid) throw new KubeletError(400, `container not found ("${name}")`);
    const opts = parseExecQuery(url.searchParams);
    if (!opts.command.length) throw new KubeletError(400, 'you must specify at least 1 command');
    if (!opts.stdin && !opts.stdout && !opts.stderr) throw new KubeletError(400, 'you must specify at least one of stdin, stdout, stderr');
    if (upgrade !== 'websocket') throw new KubeletError(400, 'exec needs a WebSocket (v5.channel.k8s.io or v4.channel.k8s.io); SPDY is not supported');
    const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim());
    if (!EXEC_PROTOCOLS.some((p) => offered.includes(p))) throw new KubeletError(400, `unsupported subprotocols ${offered.join(', ')}: knet serves ${EXEC_PROTOCOLS.join(', ')}`);
    wss.handleUpgrade(req, socket, head, (ws) => serveExec(ws, access, opts));
    return;
  }
  const pf = pathParts(url, 'portForward', 2);
  if (pf) {
    const [ns, pod] = pf;
    const sandbox = lookup.sandbox(ns, pod);
    if (!sandbox) throw new KubeletError(400, `pod "${pod}" is not running on this node`);
    if (upgrade === 'websocket') {
      const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim());
      if (!offered.includes(PORT_FORWARD_WS_PROTOCOL)) throw new KubeletError(400, `unsupported subprotocols ${offered.join(', ')}: knet serves ${PORT_FORWARD_WS_PROTOCOL}`);
      wss.handleUpgrade(req, socket, head, (ws) => servePortForward(createWebSocketStream(ws), sandbox));
      return;
    }
    if (upgrade === 'spdy/3.1') {
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${PORT_FORWARD_PROTOCOL}\r\n\r\n`);
      if (head.length) socket.unshift(head);
      servePortForward(socket, sandbox);
      return;
    }
    throw new KubeletError(400, 'port-forward needs a WebSocket or an SPDY/3.1 upgrade');
  }
  throw new KubeletError(404, `the kubelet API has no upgrade at ${url.pathname}`);
}
