// The nginx image with its default configuration: the welcome page on / and /index.html,
// nginx's built-in error pages otherwise, access lines on stdout in the image's "main" log
// format, notices and errors on stderr. SIGTERM/SIGINT (fast) and SIGQUIT (graceful) exit 0.
// `--port` is knet's own addition so tests can avoid port 80; the image has no such flag.
import http from 'node:http';
import { goLogTimestamp, unmapAddress } from '../go-compat.ts';
import { listenAll } from '../listen.ts';

export const nginxVersion = '1.27.4';

export const welcomePage = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

const startedAt = new Date();

export function errorPage(status: number): string {
  const title = `${status} ${status === 405 ? 'Not Allowed' : http.STATUS_CODES[status]}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n` +
    `<hr><center>nginx/${nginxVersion}</center>\r\n</body>\r\n</html>\r\n`;
}

/** `01/May/2024:12:00:00 +0000`, nginx's $time_local. */
function timeLocal(now = new Date()): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  const off = -now.getTimezoneOffset();
  const zone = `${off >= 0 ? '+' : '-'}${p(Math.floor(Math.abs(off) / 60))}${p(Math.abs(off) % 60)}`;
  return `${p(now.getDate())}/${months[now.getMonth()]}/${now.getFullYear()}:${p(now.getHours())}:${p(now.getMinutes())}:${p(now.getSeconds())} ${zone}`;
}

function notice(level: string, text: string): void {
  process.stderr.write(`${goLogTimestamp()} [${level}] ${process.pid}#${process.pid}: ${text}\n`);
}

function parsePort(args: string[]): number {
  const i = args.indexOf('--port');
  if (i >= 0) return Number(args[i + 1]);
  const eq = args.find((a) => a.startsWith('--port='));
  return eq ? Number(eq.slice(7)) : 80;
}

export async function runNginx(args: string[]): Promise<void> {
  const port = parsePort(args);
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests++;
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const found = path === '/' || path === '/index.html' || path === '/50x.html';
    let status = 200;
    let body: string;
    if (!found) {
      status = 404;
      body = errorPage(404);
      notice('error', `*${requests} open() "/usr/share/nginx/html${path}" failed (2: No such file or directory), ` +
        `client: ${unmapAddress(req.socket.remoteAddress ?? '')}, server: localhost, request: "${req.method} ${req.url} HTTP/${req.httpVersion}", host: "${req.headers.host ?? ''}"`);
    } else if (req.method !== 'GET' && req.method !== 'HEAD') {
      status = 405;
      body = errorPage(405);
    } else {
      body = path === '/50x.html' ? errorPage(500).replace('500 Internal Server Error', 'An error occurred.') : welcomePage;
    }
    const headers: Record<string, string | number> = {
      Server: `nginx/${nginxVersion}`,
      'Content-Type': 'text/html',
      'Content-Length': Buffer.byteLength(body),
    };
    if (status === 200) {
      headers['Last-Modified'] = startedAt.toUTCString();
      headers.ETag = `"${Math.floor(startedAt.getTime() / 1000).toString(16)}-${Buffer.byteLength(body).toString(16)}"`;
      headers['Accept-Ranges'] = 'bytes';
    }
    res.writeHead(status, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
    const sent = req.method === 'HEAD' ? 0 : Buffer.byteLength(body);
    const q = (v: string | string[] | undefined) => (v === undefined ? '-' : String(v));
    process.stdout.write(`${unmapAddress(req.socket.remoteAddress ?? '')} - - [${timeLocal()}] "${req.method} ${req.url} HTTP/${req.httpVersion}" ` +
      `${status} ${sent} "${q(req.headers.referer)}" "${q(req.headers['user-agent'])}" "${q(req.headers['x-forwarded-for'])}"\n`);
  });

  const stop = (signal: NodeJS.Signals, number: number, graceful: boolean) => {
    notice('notice', `signal ${number} (${signal}) received, ${graceful ? 'shutting down' : 'exiting'}`);
    server.close(() => {
      notice('notice', 'exit');
      process.exit(0);
    });
    if (graceful) server.closeIdleConnections(); else server.closeAllConnections();
  };
  process.once('SIGTERM', () => stop('SIGTERM', 15, false));
  process.once('SIGINT', () => stop('SIGINT', 2, false));
  process.once('SIGQUIT', () => stop('SIGQUIT', 3, true));

  process.stdout.write('/docker-entrypoint.sh: Configuration complete; ready for start up\n');
  await listenAll(server, port).catch((err: Error) => {
    notice('emerg', `bind() to 0.0.0.0:${port} failed (${(err as NodeJS.ErrnoException).errno ?? ''}: ${err.message})`);
    process.exit(1);
  });
  notice('notice', 'using the "epoll" event method');
  notice('notice', `nginx/${nginxVersion}`);
  notice('notice', 'start worker processes');
}
