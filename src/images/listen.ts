// Binding and small HTTP helpers shared by the built-in programs. The upstream programs
// (Go's ":port") bind the IPv6 wildcard dual-stack, so they accept IPv4 and IPv6 on every
// interface; where the namespace has no IPv6 we fall back to 0.0.0.0.
import dgram from 'node:dgram';
import type http from 'node:http';
import type net from 'node:net';

function listenOnce(server: net.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => { server.off('listening', onListening); reject(err); };
    const onListening = () => { server.off('error', onError); resolve(); };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ port, host, ipv6Only: false });
  });
}

function noIPv6(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'EAFNOSUPPORT' || code === 'EADDRNOTAVAIL';
}

/** Listens on `host` if given, else on every interface (dual-stack when possible). */
export async function listenAll(server: net.Server, port: number, host = ''): Promise<void> {
  if (host !== '') return listenOnce(server, port, host);
  try {
    await listenOnce(server, port, '::');
  } catch (err) {
    if (!noIPv6(err)) throw err;
    await listenOnce(server, port, '0.0.0.0');
  }
}

function bindOnce(socket: dgram.Socket, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    socket.once('error', onError);
    socket.bind(port, host, () => { socket.off('error', onError); resolve(); });
  });
}

/** A UDP socket bound to `host`, or to every interface (dual-stack when possible). */
export async function bindUdp(port: number, host = ''): Promise<dgram.Socket> {
  if (host !== '') {
    const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
    await bindOnce(socket, port, host);
    return socket;
  }
  const socket = dgram.createSocket({ type: 'udp6', ipv6Only: false });
  try {
    await bindOnce(socket, port, '::');
    return socket;
  } catch (err) {
    socket.close();
    if (!noIPv6(err)) throw err;
    const v4 = dgram.createSocket('udp4');
    await bindOnce(v4, port, '0.0.0.0');
    return v4;
  }
}

/** Writes a response with the headers Go's net/http would add for a text body. */
export function sendText(res: http.ServerResponse, status: number, body: string, contentType = 'text/plain; charset=utf-8'): void {
  const headers: Record<string, string | number> = { 'Content-Length': Buffer.byteLength(body) };
  if (body !== '') headers['Content-Type'] = contentType;
  res.writeHead(status, headers);
  res.end(body);
}

/** Go's http.Error: the message plus a newline, never sniffed. */
export function sendGoError(res: http.ServerResponse, status: number, message: string): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  sendText(res, status, message + '\n');
}

export function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Go's Request.FormValue sources: a urlencoded POST/PUT body first, then the query. */
export async function formValues(req: http.IncomingMessage, url: URL): Promise<URLSearchParams> {
  const type = req.headers['content-type'] ?? '';
  const merged = new URLSearchParams();
  if ((req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH') &&
      type.startsWith('application/x-www-form-urlencoded')) {
    for (const [k, v] of new URLSearchParams((await readBody(req)).toString())) merged.append(k, v);
  }
  for (const [k, v] of url.searchParams) merged.append(k, v);
  return merged;
}

/** Runs `onSignal` for each of `signals`, once; later signals are ignored. */
export function onTermination(signals: NodeJS.Signals[], onSignal: (signal: NodeJS.Signals) => void): void {
  let fired = false;
  for (const signal of signals) {
    process.on(signal, () => {
      if (fired) return;
      fired = true;
      onSignal(signal);
    });
  }
}
