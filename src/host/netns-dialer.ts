// Connections from this process into a network namespace it cannot enter (a Node.js process
// cannot setns): a small dialer process lives in the namespace and listens on a unix socket;
// each connection names its target in a first line (`<ip> <port>\n`), and the dialer
// connects there from inside the namespace and splices the two. A first line
// `udp <ip> <port>\n` makes the connection a UDP flow instead: datagrams travel framed
// (udp-frames.ts) both ways, through one UDP socket of the dialer connected to the target.
// Used to publish Services on the host's loopback without changing the host's network.
//
// Run as a program (`node netns-dialer.ts <socket>`) it is the dialer itself.

import type { ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import type { Socket } from 'node:net';
import { createSocket } from 'node:dgram';
import { spawnNodeInNetns } from './node-in-netns.ts';
import { readFrames, writeFrame } from './udp-frames.ts';

export interface NetnsDialer {
  /** A connection to ip:port as seen from inside the namespace. */
  dial(ip: string, port: number): Socket;
  /** A UDP flow to ip:port from inside the namespace: framed datagrams (udp-frames.ts) both ways. */
  dialUdp(ip: string, port: number): Socket;
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
      if (!stopped) setTimeout(() => void (stopped ? undefined : launch().catch(() => {})), 500).unref();
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
    dialUdp(ip, port) {
      const s = connect(socketPath);
      s.write(`udp ${ip} ${port}\n`);
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

/** The dialer's side of a UDP flow: one socket connected to the target, for the flow's life. */
function relayUdp(conn: Socket, ip: string, port: number, rest: Buffer): void {
  const sock = createSocket('udp4');
  const close = () => {
    try {
      sock.close();
    } catch { /* closed already */ }
    conn.destroy();
  };
  // ICMP unreachable answers arrive as errors on a connected socket: the flow stays, as UDP
  // would; a socket that cannot even connect ends the flow.
  let connected = false;
  sock.on('error', () => {
    if (!connected) close();
  });
  sock.on('message', (msg) => writeFrame(conn, msg));
  sock.connect(port, ip, () => {
    connected = true;
    readFrames(conn, (payload) => sock.send(payload), rest);
  });
  conn.on('close', close);
  conn.on('error', close);
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
      const words = head.subarray(0, nl).toString().trim().split(' ');
      const udp = words[0] === 'udp';
      const [ip, portText] = udp ? words.slice(1) : words;
      const port = Number(portText);
      // A malformed header closes this connection only; the dialer serves everyone else.
      if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(ip ?? '') || !Number.isInteger(port) || port < 1 || port > 65535) {
        conn.destroy();
        return;
      }
      const rest = head.subarray(nl + 1);
      if (udp) {
        relayUdp(conn, ip, port, rest);
        conn.resume();
        return;
      }
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
