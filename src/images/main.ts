// Entry point for the built-in programs pods run: `node src/images/main.ts <program> [args...]`.
// Each program runs in the foreground and logs to stdout/stderr as the original does.
import { runAgnhost } from './agnhost/index.ts';
import { runHelloApp } from './demo/hello-app.ts';
import { runHttpEcho } from './demo/http-echo.ts';
import { runNginx } from './demo/nginx.ts';
import { runWhoami } from './demo/whoami.ts';
import { runPause } from './pause.ts';

const programs: Record<string, (args: string[]) => Promise<void> | void> = {
  agnhost: runAgnhost,
  pause: runPause,
  'http-echo': runHttpEcho,
  whoami: runWhoami,
  'hello-app': () => runHelloApp(),
  nginx: runNginx,
  // knet's cluster DNS server (src/dns), loaded only by the coredns image: the other
  // programs start without it.
  coredns: async (args) => (await import('../dns/index.ts')).runCoreDns(args),
};

const [program, ...args] = process.argv.slice(2);
const run = program === undefined ? undefined : programs[program];
if (!run) {
  process.stderr.write(`usage: main.ts <program> [args...]; programs: ${Object.keys(programs).join(', ')}\n`);
  process.exit(1);
}
await run(args);
