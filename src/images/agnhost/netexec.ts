// agnhost netexec: an HTTP server with the e2e endpoints and a UDP server answering
// `hostname`, `echo <msg>` and `clientip`. Paths, query parameters, status codes and bodies
// follow upstream (test/images/agnhost/netexec), quirks included: /healthz is 412 until the
// UDP server is up (so with --udp-port=-1 it stays 412), /dial omits "responses" when the
// last try failed, and the UDP server lower-cases what it echoes.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { canonicalHeaderKey, formatGoDuration, goJson, goLog, goQuote, joinHostPort, parseGoDuration } from '../go-compat.ts';
import type { FlagValues } from '../go-compat.ts';
import { bindUdp, formValues, listenAll, sendGoError, sendText } from '../listen.ts';
import { dialHttp, dialUdp, resolveHostPort } from './dial.ts';

export const netexecFlags = {
  'http-port': { kind: 'int', default: 8080 },
  'udp-port': { kind: 'int', default: 8081 },
  'sctp-port': { kind: 'int', default: -1 },
  'tls-cert-file': { kind: 'string', default: '' },
  'tls-private-key-file': { kind: 'string', default: '' },
  'http-override': { kind: 'string', default: '' },
  'udp-listen-addresses': { kind: 'string', default: '' },
  'delay-shutdown': { kind: 'int', default: 0 },
} as const;

// Upstream writes to /uploads; tests point this elsewhere.
const uploadDir = process.env.KNET_NETEXEC_UPLOAD_DIR || '/uploads';

interface State {
  udpReady: boolean;
  sigtermReceived: boolean;
  server: http.Server;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, url: URL, state: State) => Promise<void> | void;

function hostname(): string {
  return os.hostname();
}

function remoteAddr(req: http.IncomingMessage): string {
  return joinHostPort(req.socket.remoteAddress ?? '', req.socket.remotePort ?? 0);
}

const routes: Record<string, Handler> = {
  '/': (_req, res) => {
    goLog('GET /');
    sendText(res, 200, `NOW: ${goTimeNow()}`);
  },
  '/clientip': (req, res) => {
    goLog('GET /clientip');
    sendText(res, 200, remoteAddr(req));
  },
  '/header': async (req, res, url) => {
    const key = (await formValues(req, url)).get('key') ?? '';
    if (key !== '') {
      goLog(`GET /header?key=${key}`);
      const value = req.headers[key.toLowerCase()];
      sendText(res, 200, Array.isArray(value) ? value[0] : (value ?? ''));
      return;
    }
    goLog('GET /header');
    const headers: Record<string, string[]> = {};
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const name = canonicalHeaderKey(req.rawHeaders[i]);
      if (name === 'Host') continue; // Go moves Host out of the header map
      (headers[name] ??= []).push(req.rawHeaders[i + 1]);
    }
    sendText(res, 200, goJson(headers));
  },
  '/echo': async (req, res, url) => {
    const form = await formValues(req, url);
    const msg = form.get('msg') ?? '';
    const code = form.get('code') ?? '';
    goLog(`GET /echo?msg=${msg}&code=${code}`);
    if (code !== '' && !/^[+-]?\d+$/.test(code)) {
      sendText(res, 200, `argument 'code' must be an integer or empty, got ${goQuote(code)}\n`);
      return;
    }
    sendText(res, code === '' ? 200 : Number(code), msg);
  },
  '/exit': async (req, res, url, state) => {
    const form = await formValues(req, url);
    const [waitText, timeoutText, codeText] = ['wait', 'timeout', 'code'].map((k) => form.get(k) ?? '');
    goLog(`GET /exit?code=${codeText}&timeout=${timeoutText}&wait=${waitText}`);
    let timeout = 0;
    let wait = 0;
    try { timeout = timeoutText === '' ? 0 : parseGoDuration(timeoutText); } catch {
      sendText(res, 200, `argument 'timeout' must be a valid golang duration or empty, got ${goQuote(timeoutText)}\n`);
      return;
    }
    try { wait = waitText === '' ? 0 : parseGoDuration(waitText); } catch {
      sendText(res, 200, `argument 'wait' must be a valid golang duration or empty, got ${goQuote(waitText)}\n`);
      return;
    }
    if (codeText !== '' && !/^[+-]?\d+$/.test(codeText)) {
      sendText(res, 200, `argument 'code' must be an integer [0-127] or empty, got ${goQuote(codeText)}\n`);
      return;
    }
    const code = codeText === '' ? 0 : Number(codeText);
    goLog(`Will begin shutdown in ${formatGoDuration(wait)}, allowing ${formatGoDuration(timeout)} for connections to close, then will exit with ${code}`);
    await new Promise((r) => setTimeout(r, wait));
    if (timeout === 0) process.exit(code);
    // Upstream's graceful Shutdown waits for this very request too, so it ends by timeout.
    const force = setTimeout(() => {
      goLog('Graceful shutdown completed with: context deadline exceeded');
      process.exit(code);
    }, timeout);
    state.server.close(() => {
      clearTimeout(force);
      goLog('Graceful shutdown completed with: <nil>');
      process.exit(code);
    });
    state.server.closeIdleConnections();
  },
  '/healthz': (_req, res, _url, state) => {
    goLog('GET /healthz');
    sendText(res, state.udpReady ? 200 : 412, '');
  },
  '/readyz': (_req, res, _url, state) => {
    goLog('GET /readyz');
    if (state.sigtermReceived) sendText(res, 503, 'shutting down');
    else if (state.udpReady) sendText(res, 200, 'ok');
    else sendText(res, 412, '');
  },
  '/hostname': (_req, res) => {
    goLog('GET /hostname');
    sendText(res, 200, hostname());
  },
  '/hostName': (_req, res) => {
    goLog('GET /hostName');
    sendText(res, 200, hostname());
  },
  '/shutdown': () => {
    goLog('GET /shutdown');
    process.exit(0);
  },
  '/redirect': async (req, res, url) => {
    const form = await formValues(req, url);
    const location = form.get('location') ?? '';
    const codeText = form.get('code') ?? '';
    goLog(`${req.method} /redirect?msg=${location}&code=${codeText}`);
    if (codeText !== '' && !/^[+-]?\d+$/.test(codeText)) {
      sendText(res, 200, `argument 'code' must be an integer or empty, got ${goQuote(codeText)}\n`);
      return;
    }
    const code = codeText === '' ? 302 : Number(codeText);
    res.setHeader('Location', location);
    const body = req.method === 'GET' || req.method === 'HEAD'
      ? `<a href="${location.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;')}">${http.STATUS_CODES[code] ?? ''}</a>.\n\n`
      : '';
    sendText(res, code, body, 'text/html; charset=utf-8');
  },
  '/shell': async (req, res, url) => {
    const form = await formValues(req, url);
    const cmd = form.get('shellCommand') || form.get('cmd') || '';
    goLog(`GET /shell?cmd=${cmd}`);
    const { output, error } = await runShell(cmd);
    const result: Record<string, string> = {};
    if (output !== '') result.output = output;
    if (error) result.error = error;
    goLog(`Output: map[${Object.keys(result).sort().map((k) => `${k}:${result[k]}`).join(' ')}]`);
    sendText(res, 200, goJson(result));
  },
  '/upload': handleUpload,
  '/dial': handleDial,
};

function runShell(cmd: string): Promise<{ output: string; error?: string }> {
  return new Promise((resolve) => {
    // Combined output in arrival order, as Go's CombinedOutput gives.
    const child = execFile('/bin/sh', ['-c', cmd], { maxBuffer: 64 * 1024 * 1024 });
    let output = '';
    child.stdout?.on('data', (d) => { output += d; });
    child.stderr?.on('data', (d) => { output += d; });
    child.on('error', (err) => resolve({ output, error: err.message }));
    child.on('close', (code, signal) => {
      if (signal) resolve({ output, error: `signal: ${signalText(signal)}` });
      else if (code !== 0) resolve({ output, error: `exit status ${code}` });
      else resolve({ output });
    });
  });
}

function signalText(signal: NodeJS.Signals): string {
  const names: Record<string, string> = { SIGKILL: 'killed', SIGTERM: 'terminated', SIGINT: 'interrupt', SIGSEGV: 'segmentation fault' };
  return names[signal] ?? signal;
}

async function handleUpload(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
  goLog('GET /upload');
  const fail = (message: string, cause: unknown) => {
    sendText(res, 200, goJson({ error: message }));
    goLog(`${message.replace(/\.$/, '')}: ${(cause as Error)?.message ?? cause}`);
  };
  let file: Blob | null = null;
  try {
    const request = new Request(url, { method: req.method, headers: req.headers as Record<string, string>, body: req as unknown as ReadableStream, duplex: 'half' } as RequestInit);
    const entry = (await request.formData()).get('file');
    if (entry instanceof Blob) file = entry;
  } catch (err) {
    return fail('Unable to upload file.', err);
  }
  if (!file) return fail('Unable to upload file.', 'http: no such file');
  let target: string;
  try {
    await fs.mkdir(uploadDir, { recursive: true });
    target = path.join(uploadDir, `upload${Math.floor(Math.random() * 1e10)}`);
    await fs.writeFile(target, Buffer.from(await file.arrayBuffer()), { mode: 0o700, flag: 'wx' });
  } catch (err) {
    return fail('Unable to open file for write', err);
  }
  goLog(`Wrote upload to ${target}`);
  sendText(res, 201, goJson({ output: target }));
}

async function handleDial(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
  const q = url.searchParams;
  const [host, port, request, protocol, triesText] = ['host', 'port', 'request', 'protocol', 'tries'].map((k) => q.get(k) ?? '');
  goLog(`GET /dial?host=${host}&protocol=${protocol}&port=${port}&request=${request}&tries=${triesText}`);
  if (triesText !== '' && !/^[+-]?\d+$/.test(triesText)) {
    return sendGoError(res, 400, `tries parameter is invalid. strconv.Atoi: parsing ${goQuote(triesText)}: invalid syntax`);
  }
  const tries = triesText === '' ? 1 : Number(triesText);
  if (request === '') return sendGoError(res, 400, 'request parameter not specified. <nil>');
  const proto = protocol.toLowerCase();
  if (!['', 'http', 'udp', 'sctp'].includes(proto)) return sendGoError(res, 400, `unsupported protocol. ${protocol}`);
  let target: { address: string; port: number };
  try {
    target = await resolveHostPort(host, port);
  } catch (err) {
    return sendGoError(res, 400, `host and/or port param are invalid. ${(err as Error).message}`);
  }
  const responses: string[] = [];
  const errors: string[] = [];
  let last = '';
  for (let i = 0; i < tries; i++) {
    try {
      if (proto === 'sctp') throw new Error('sctp dial failed. err:protocol not supported');
      last = proto === 'udp'
        ? await dialUdp(request, target.address, target.port)
        : await dialHttp(request, target.address, target.port);
      responses.push(last);
    } catch (err) {
      last = '';
      errors.push((err as Error).message);
    }
  }
  const output: Record<string, string[]> = {};
  if (last !== '') output.responses = responses;
  if (errors.length > 0) output.errors = errors;
  sendText(res, 200, goJson(output));
}

/** time.Now() printed with %v: "2024-05-01 12:00:00.123456789 +0000 UTC m=+1.5". */
function goTimeNow(): string {
  const now = new Date();
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const offset = -now.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const zone = `${sign}${p(Math.floor(Math.abs(offset) / 60))}${p(Math.abs(offset) % 60)}`;
  const zoneName = offset === 0 ? 'UTC' : zone;
  const nanos = `${p(now.getMilliseconds(), 3)}000000`;
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())} ${p(now.getHours())}:${p(now.getMinutes())}:${p(now.getSeconds())}.${nanos} ${zone} ${zoneName} m=+${process.uptime().toFixed(9)}`;
}

async function startUdpServer(address: string, port: number, state: State): Promise<void> {
  const socket = await bindUdp(port, address);
  goLog(`Started UDP server on port ${address} ${port}`);
  state.udpReady = true;
  socket.on('message', (msg, rinfo) => {
    const client = joinHostPort(rinfo.address, rinfo.port);
    const text = msg.toString().trim().toLowerCase();
    const reply = (body: string) => socket.send(body, rinfo.port, rinfo.address);
    if (text === 'hostname') {
      goLog('Sending udp hostName response');
      reply(hostname());
    } else if (text.startsWith('echo ')) {
      const resp = text.slice(5);
      goLog(`Echoing ${resp} to UDP client ${client}`);
      reply(resp);
    } else if (text === 'clientip') {
      goLog(`Sending clientip back to UDP client ${client}`);
      reply(client);
    } else if (text.length > 0) {
      goLog(`Unknown UDP command received from ${client}: ${text}`);
    }
  });
  socket.on('error', (err) => {
    goLog(`UDP server exited: ${err.message}`);
    state.udpReady = false;
  });
}

export async function runNetexec(flags: FlagValues): Promise<void> {
  const httpPort = flags['http-port'] as number;
  const udpPort = flags['udp-port'] as number;
  const override = flags['http-override'] as string;
  const delayShutdown = flags['delay-shutdown'] as number;
  if (flags['tls-cert-file'] !== '') goLog('knet: --tls-cert-file is not supported; serving plain HTTP');
  if (flags['sctp-port'] !== -1) goLog('knet: SCTP is not supported; --sctp-port ignored');

  const server = http.createServer();
  const state: State = { udpReady: false, sigtermReceived: false, server };
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(override !== '' ? override : (req.url ?? '/'), 'http://netexec');
    const handler = routes[url.pathname] ?? routes['/'];
    Promise.resolve(handler(req, res, url, state)).catch((err: Error) => {
      goLog(`http: panic serving ${remoteAddr(req)}: ${err.message}`);
      if (!res.headersSent) sendGoError(res, 500, err.message);
      else res.destroy();
    });
  });

  process.on('SIGTERM', () => {
    if (state.sigtermReceived) return;
    state.sigtermReceived = true;
    if (delayShutdown > 0) {
      goLog(`Sleeping ${delayShutdown} seconds before terminating...`);
      setTimeout(() => process.exit(0), delayShutdown * 1000);
    } else {
      process.exit(0);
    }
  });

  if (udpPort !== -1) {
    const raw = flags['udp-listen-addresses'] as string;
    const addresses = raw === '' ? [''] : [...new Set(raw.split(','))].sort();
    for (const address of addresses) {
      startUdpServer(address, udpPort, state).catch((err: Error) => {
        goLog(`Error occurred: failed to create listener for UDP address ${joinHostPort(address, udpPort)}:${err.message}`);
        process.exit(1);
      });
    }
  }
  goLog(`Started HTTP server on port ${httpPort}`);
  await listenAll(server, httpPort).catch((err: Error) => {
    goLog(`listen tcp :${httpPort}: bind: ${err.message}`);
    process.exit(1);
  });
}
