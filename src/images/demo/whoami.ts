// traefik/whoami: "/" (and any unknown path) dumps the hostname, the pod's IPs, the client
// address and the request as received; /api is the same as JSON, /health answers 200,
// /bench "1". Port from --port, else $WHOAMI_PORT_NUMBER, else 80. No TERM handler, like
// the Go original: SIGTERM ends it by the signal (exit code 143).
import http from 'node:http';
import os from 'node:os';
import { FlagError, canonicalHeaderKey, goLog, goLogTimestamp, joinHostPort, parseFlags, parseGoDuration } from '../go-compat.ts';
import { listenAll } from '../listen.ts';

export function interfaceAddresses(): string[] {
  const ips: string[] = [];
  for (const addrs of Object.values(os.networkInterfaces())) {
    for (const a of addrs ?? []) ips.push(a.address);
  }
  return ips;
}

/** The request as Go's Request.Write prints it: Host, User-Agent, then sorted headers. */
export function requestDump(req: http.IncomingMessage): string {
  const headers = new Map<string, string[]>();
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const key = canonicalHeaderKey(req.rawHeaders[i]);
    if (['Host', 'User-Agent', 'Content-Length', 'Transfer-Encoding', 'Trailer'].includes(key)) continue;
    headers.set(key, [...(headers.get(key) ?? []), req.rawHeaders[i + 1]]);
  }
  const lines = [`${req.method} ${req.url} HTTP/1.1`, `Host: ${req.headers.host ?? ''}`,
    `User-Agent: ${req.headers['user-agent'] ?? 'Go-http-client/1.1'}`];
  if (req.headers['content-length'] && req.headers['content-length'] !== '0') lines.push(`Content-Length: ${req.headers['content-length']}`);
  for (const key of [...headers.keys()].sort()) for (const v of headers.get(key) ?? []) lines.push(`${key}: ${v}`);
  return lines.join('\r\n') + '\r\n\r\n';
}

const flagSpec = {
  port: { kind: 'string', default: '' },
  name: { kind: 'string', default: '' },
  verbose: { kind: 'bool', default: false },
  cert: { kind: 'string', default: '' },
  key: { kind: 'string', default: '' },
  cacert: { kind: 'string', default: '' },
} as const;

export async function runWhoami(args: string[]): Promise<void> {
  let flags: Record<string, string | number | boolean>;
  try {
    flags = parseFlags(args, flagSpec, 'go').flags;
  } catch (err) {
    if (!(err instanceof FlagError)) throw err;
    process.stderr.write(err.message + '\n');
    process.exit(2);
  }
  const port = (flags.port as string) || process.env.WHOAMI_PORT_NUMBER || '80';
  const name = (flags.name as string) || process.env.WHOAMI_NAME || '';

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const remote = joinHostPort(req.socket.remoteAddress ?? '', req.socket.remotePort ?? 0);
    const send = (status: number, body: string, type = 'text/plain; charset=utf-8') => {
      res.writeHead(status, body === '' ? {} : { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
      if (flags.verbose) {
        const t = goLogTimestamp().replace(/^(\d+)\/(\d+)\/(\d+) /, '$3/$2/$1:');
        goLog(`${remote} - - [${t}] "${req.method} ${url.pathname} HTTP/${req.httpVersion}" - -`);
      }
    };
    if (url.pathname === '/health') return send(200, '');
    if (url.pathname === '/bench') return send(200, '1');
    const env = ['1', 't', 'true', 'T', 'TRUE', 'True'].includes(url.searchParams.get('env') ?? '');
    if (url.pathname === '/api') {
      const headers: Record<string, string[]> = {};
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        const k = canonicalHeaderKey(req.rawHeaders[i]);
        if (k !== 'Host') (headers[k] ??= []).push(req.rawHeaders[i + 1]);
      }
      const data: Record<string, unknown> = { hostname: os.hostname(), ip: interfaceAddresses(), headers,
        url: req.url, host: req.headers.host, method: req.method };
      if (name) data.name = name;
      data.remoteAddr = remote;
      if (env) data.environ = { ...process.env };
      return send(200, JSON.stringify(data) + '\n', 'application/json');
    }
    const wait = url.searchParams.get('wait');
    if (wait) {
      try { await new Promise((r) => setTimeout(r, parseGoDuration(wait))); } catch { /* ignored, as upstream */ }
    }
    let body = name ? `Name: ${name}\n` : '';
    body += `Hostname: ${os.hostname()}\n`;
    for (const ip of interfaceAddresses()) body += `IP: ${ip}\n`;
    body += `RemoteAddr: ${remote}\n${requestDump(req)}`;
    if (env) for (const [k, v] of Object.entries(process.env)) body += `${k}=${v}\n`;
    send(200, body);
  });
  goLog(`Starting up on port ${port}`);
  await listenAll(server, Number(port)).catch((err: Error) => {
    goLog(`listen tcp :${port}: bind: ${err.message}`);
    process.exit(1);
  });
}
