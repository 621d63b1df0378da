// Connections from this process into a network namespace it cannot enter (a Node.js process
// cannot setns): a small dialer process lives in the namespace and listens on a unix socket;
// each connection names its target in a first line (`<ip> <port>\n`), and the dialer
// connects there from inside the namespace and splices the two. Used to publish Services on
// the host's loopback without changing the host's network.
//
// Run as a program (`node netns-dialer.ts <socket>`) it is the dialer itself.

import type { ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import type { Socket } from 'node:net';
import { spawnNodeInNetns } from './node-in-netns.ts';

export interface NetnsDialer {
  /** A connection to ip:port as seen from inside the namespace. */
  dial(ip: string, port: number): Socket;
  stop(): void;
}

export async function startNetnsDialer(netns: string, socketPath: string): Promise<NetnsDialer> {
  let stopped = false;
  let child: ChildProcess;
  // The dialer is restarted if it ever exits, so publishing survives a crash of it.
  const launch = async (): Promise<void> => {
    rmSync(socketPath, { force: true });
    child = spawnNodeInNetns(netns, import.meta.filename, [socketPath], ['ignore', 'ignore', 'inherit']);
    child.once('exit', () => {
      if (!stopped) setTimeout(() => void launch().catch(() => {}), 500).unref();
    });
    for (let i = 0; i < 500 && !existsSync(socketPath); i++) {
      if (child.exitCode !== null) throw new Error(`the dialer in ${netns} exited (${child.exitCode})`);
      await new Promise((r) => setTimeout(r, 10));
    }
    if (!existsSync(socketPath)) throw new Error(`the dialer in ${netns} did not start within 5 s`);
  };
  await launch();
  return {
    dial(ip, port) {
      const s = connect(socketPath);
      s.write(`${ip} ${port}\n`);
      return s;
    },
    stop() {
      stopped = true;
      child.kill('SIGTERM');
      rmSync(socketPath, { force: true });
    },
  };
}

/** Joins two connections both ways; either one failing or ending closes both. */
export function splice(a: Socket, b: Socket): void {
  a.pipe(b).pipe(a);
  const end = () => {
    a.destroy();
    b.destroy();
  };
  a.on('error', end);
  b.on('error', end);
  a.on('close', end);
  b.on('close', end);
}

if (import.meta.main) {
  const socketPath = process.argv[2];
  const server = createServer((conn) => {
    let head = Buffer.alloc(0);
    const onData = (d: Buffer) => {
      head = Buffer.concat([head, d]);
      const nl = head.indexOf(10);
      if (nl < 0) {
        if (head.length > 256) conn.destroy();
        return;
      }
      conn.off('data', onData);
      conn.pause();
      const [ip, portText] = head.subarray(0, nl).toString().trim().split(' ');
      const port = Number(portText);
      // A malformed header closes this connection only; the dialer serves everyone else.
      if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(ip ?? '') || !Number.isInteger(port) || port < 1 || port > 65535) {
        conn.destroy();
        return;
      }
      const rest = head.subarray(nl + 1);
      const up = connect({ host: ip, port });
      if (rest.length) up.write(rest);
      splice(conn, up);
      conn.resume();
    };
    conn.on('data', onData);
    conn.on('error', () => conn.destroy());
  });
  server.on('error', (err) => process.stderr.write(`netns dialer: ${err.message}\n`));
  server.listen(socketPath);
  process.on('SIGTERM', () => process.exit(0));
}
