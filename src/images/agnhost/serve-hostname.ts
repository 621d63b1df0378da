// agnhost serve-hostname: answers every HTTP request, TCP connection or UDP datagram with
// the hostname. On SIGTERM upstream logs, then lingers 60s "awaiting pod deletion" before
// exiting 0; we keep that, so the kubelet's grace period decides, as it does upstream.
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import { goLog, joinHostPort } from '../go-compat.ts';
import type { FlagValues } from '../go-compat.ts';
import { bindUdp, listenAll, sendText } from '../listen.ts';

export const serveHostnameFlags = {
  tcp: { kind: 'bool', default: false },
  udp: { kind: 'bool', default: false },
  http: { kind: 'bool', default: true },
  close: { kind: 'bool', default: false },
  port: { kind: 'int', default: 9376 },
} as const;

/** How long upstream waits after SIGTERM before returning; tests may shorten it. */
const lingerMs = Number(process.env.KNET_SERVE_HOSTNAME_LINGER_MS ?? 60_000);

function fatal(message: string): never {
  goLog(message);
  process.exit(1);
}

export async function runServeHostname(flags: FlagValues): Promise<void> {
  const port = flags.port as number;
  if (flags.http && (flags.tcp || flags.udp)) fatal("Can't server TCP/UDP mode and HTTP mode at the same time");
  const name = os.hostname();

  process.on('SIGTERM', () => {
    goLog('Shutting down after receiving signal: terminated.');
    goLog('Awaiting pod deletion.');
    setTimeout(() => process.exit(0), lingerMs);
  });

  if (flags.tcp) {
    const server = net.createServer((conn) => {
      goLog(`TCP request from ${joinHostPort(conn.remoteAddress ?? '', conn.remotePort ?? 0)}`);
      conn.on('error', () => {});
      conn.end(name);
    });
    await listenAll(server, port).catch((err: Error) => fatal(`Error from net.Listen(): ${err.message}`));
  }
  if (flags.udp) {
    const socket = await bindUdp(port).catch((err: Error) => fatal(`Error from ListenUDP(): ${err.message}`));
    socket.on('message', (_msg, rinfo) => {
      goLog(`UDP request from ${joinHostPort(rinfo.address, rinfo.port)}`);
      socket.send(name, rinfo.port, rinfo.address);
    });
  }
  if (flags.http) {
    const server = http.createServer((req, res) => {
      goLog(`HTTP request from ${joinHostPort(req.socket.remoteAddress ?? '', req.socket.remotePort ?? 0)}`);
      if (flags.close) res.setHeader('Connection', 'close');
      sendText(res, 200, name);
    });
    await listenAll(server, port).catch((err: Error) => fatal(`listen tcp :${port}: bind: ${err.message}`));
  }
  goLog(`Serving on port ${port}.`);
}
