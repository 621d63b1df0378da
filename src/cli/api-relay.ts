// How pods reach the API server: the `kubernetes` Service's endpoint is the control-plane
// node's address (172.18.0.2:6443). A relay process inside that node's network namespace
// listens there and forwards each connection over a unix socket to this process, which
// passes it to the API server on 127.0.0.1. TLS is end to end (the serving certificate names
// 172.18.0.2, 10.96.0.1 and kubernetes.default.svc). The host namespace is not changed.
//
// Run as a program (`node api-relay.ts <listen ip> <port> <socket>`) it is the relay itself.

import type { ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';
import type { Server } from 'node:net';
import { spawnNodeInNetns, splice } from '../host/index.ts';
import { rmSync } from 'node:fs';

export interface ApiRelay {
  stop(): Promise<void>;
}

/** The host side: a unix socket that forwards to the API server's loopback port. */
function socketBridge(socketPath: string, apiPort: number): Promise<Server> {
  rmSync(socketPath, { force: true });
  const server = createServer((conn) => splice(conn, connect({ host: '127.0.0.1', port: apiPort })));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve(server));
  });
}

export async function startApiRelay(o: { nodeNetns: string; listenIP: string; listenPort: number; socketPath: string; apiPort: number }): Promise<ApiRelay> {
  const bridge = await socketBridge(o.socketPath, o.apiPort);
  bridge.on('error', () => {}); // accept errors (EMFILE) must not end the process
  let stopped = false;
  let child: ChildProcess;
  // The relay is started again whenever it exits, so pods never lose the API for good.
  const launch = () => {
    child = spawnNodeInNetns(o.nodeNetns, import.meta.filename, [o.listenIP, String(o.listenPort), o.socketPath], ['ignore', 'ignore', 'inherit']);
    child.once('exit', () => {
      if (!stopped) setTimeout(launch, 500).unref();
    });
  };
  launch();
  return {
    async stop() {
      stopped = true;
      child.kill('SIGTERM');
      await new Promise<void>((r) => bridge.close(() => r()));
      rmSync(o.socketPath, { force: true });
    },
  };
}

// The relay inside the node namespace.
if (import.meta.main) {
  const [ip, port, socketPath] = process.argv.slice(2);
  const server = createServer((conn) => splice(conn, connect(socketPath)));
  // A listen failure ends the relay with a message; its parent starts it again.
  server.on('error', (err) => {
    process.stderr.write(`api relay on ${ip}:${port}: ${err.message}\n`);
    process.exit(1);
  });
  server.listen(Number(port), ip);
  process.on('SIGTERM', () => process.exit(0));
}
