// hashicorp/http-echo: answers every path with -text plus a newline, /health with a JSON
// status, and logs one access line per request on stdout. Like upstream it exits 2 (not 0)
// after an interrupt or TERM, once the server has drained.
import http from 'node:http';
import { FlagError, formatGoDuration, goLog, goLogTimestamp, joinHostPort, parseFlags } from '../go-compat.ts';
import { listenAll, onTermination } from '../listen.ts';

const version = '1.0.0';

const flagSpec = {
  listen: { kind: 'string', default: ':5678' },
  text: { kind: 'string', default: '' },
  'status-code': { kind: 'int', default: 200 },
  version: { kind: 'bool', default: false },
} as const;

function exitWith(message: string, code: number): never {
  process.stderr.write(message + '\n');
  process.exit(code);
}

export async function runHttpEcho(args: string[]): Promise<void> {
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags(args, flagSpec, 'go');
  } catch (err) {
    if (err instanceof FlagError) exitWith(err.message, 2);
    throw err;
  }
  const { flags, positionals } = parsed;
  if (flags.version) exitWith(`http-echo v${version}`, 0);
  const text = (flags.text as string) || process.env.ECHO_TEXT || '';
  if (text === '') exitWith('Missing -text option OR ENV var TEXT is empty!', 127);
  if (positionals.length > 0) exitWith('Too many arguments!', 127);
  const status = flags['status-code'] as number;
  const listen = flags.listen as string;
  const colon = listen.lastIndexOf(':');
  const host = listen.slice(0, colon).replace(/^\[|\]$/g, '');
  const port = Number(listen.slice(colon + 1));

  const server = http.createServer((req, res) => {
    const start = performance.now();
    req.resume();
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const body = path === '/health' ? '{"status":"ok"}\n' : text + '\n';
    res.writeHead(path === '/health' ? 200 : status, {
      'X-App-Name': 'http-echo',
      'X-App-Version': version,
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
    });
    res.end(body);
    if (path === '/health') return;
    const remote = joinHostPort(req.socket.remoteAddress ?? '', req.socket.remotePort ?? 0);
    process.stdout.write(`${goLogTimestamp()} ${req.headers.host ?? ''} ${remote} "${req.method} ${path} HTTP/${req.httpVersion}" ` +
      `${status} ${Buffer.byteLength(body)} "${req.headers['user-agent'] ?? ''}" ${formatGoDuration(performance.now() - start)}\n`);
  });
  onTermination(['SIGINT', 'SIGTERM'], () => {
    goLog('[INFO] received interrupt, shutting down...');
    const force = setTimeout(() => process.exit(2), 5000);
    server.close(() => { clearTimeout(force); process.exit(2); });
    server.closeIdleConnections();
  });
  goLog(`[INFO] server is listening on ${listen}`);
  await listenAll(server, port, host).catch((err: Error) => {
    goLog(`[ERR] server exited with: listen tcp ${listen}: bind: ${err.message}`);
    process.exit(1);
  });
}
