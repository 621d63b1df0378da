// agnhost: knet's implementation of the e2e test image's networking subcommands, dispatched
// like cobra does (`agnhost <subcommand> [flags]`, errors as "Error: ..." and exit 1).
import { FlagError, parseFlags } from '../go-compat.ts';
import type { FlagSpec } from '../go-compat.ts';
import { connectFlags, runConnect } from './connect.ts';
import { runDnsServerList, runDnsSuffix, runEtcHosts } from './dns-info.ts';
import { netexecFlags, runNetexec } from './netexec.ts';
import { runServeHostname, serveHostnameFlags } from './serve-hostname.ts';

interface Subcommand {
  short: string;
  flags: FlagSpec;
  /** Exact positional count; cobra's ExactArgs / MaximumNArgs(0). */
  args: number;
  run: (flags: Record<string, boolean | number | string>, args: string[]) => Promise<void> | void;
}

/** agnhost pause: upstream exits 1 on SIGINT and 2 on SIGTERM (not 0). */
function runPause(): void {
  // Handlers first: whoever waits for "Paused" may signal at once.
  process.on('SIGINT', () => process.exit(1));
  process.on('SIGTERM', () => process.exit(2));
  process.stdout.write('Paused\n');
  setInterval(() => {}, 1 << 30);
}

export const agnhostSubcommands: Record<string, Subcommand> = {
  netexec: { short: 'Creates HTTP(S), UDP servers with various endpoints', flags: netexecFlags, args: 0, run: (f) => runNetexec(f) },
  'serve-hostname': { short: 'Serves the hostname', flags: serveHostnameFlags, args: 0, run: (f) => runServeHostname(f) },
  connect: { short: 'Attempts a TCP or UDP connection and returns useful errors', flags: connectFlags, args: 1, run: (f, a) => runConnect(f, a[0]) },
  pause: { short: 'Pauses the execution', flags: {}, args: 0, run: runPause },
  'dns-suffix': { short: "Prints the host's DNS suffix list", flags: {}, args: 0, run: runDnsSuffix },
  'dns-server-list': { short: "Prints the host's DNS Server list", flags: {}, args: 0, run: runDnsServerList },
  'etc-hosts': { short: "Prints the host's /etc/hosts file", flags: {}, args: 0, run: runEtcHosts },
};

function usage(): string {
  const width = Math.max(...Object.keys(agnhostSubcommands).map((n) => n.length));
  const lines = Object.entries(agnhostSubcommands).map(([n, s]) => `  ${n.padEnd(width)}  ${s.short}`);
  return `Usage:\n  agnhost [command]\n\nAvailable Commands:\n${lines.join('\n')}\n\n` +
    'knet implements the networking subcommands only.\n';
}

function cobraError(message: string, command: string): never {
  process.stderr.write(`Error: ${message}\nRun '${command} --help' for usage.\n`);
  process.exit(1);
}

export async function runAgnhost(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return;
  }
  const sub = agnhostSubcommands[name];
  if (!sub) cobraError(`unknown command ${JSON.stringify(name)} for "agnhost"`, 'agnhost');
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${sub.short}\n\nUsage:\n  agnhost ${name} [flags]\n\nFlags:\n` +
      Object.entries(sub.flags).map(([f, s]) => `      --${f} ${s.kind} (default ${JSON.stringify(s.default)})`).join('\n') + '\n');
    return;
  }
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags(rest, sub.flags, 'pflag');
  } catch (err) {
    if (err instanceof FlagError) cobraError(err.message, `agnhost ${name}`);
    throw err;
  }
  if (sub.args === 0 && parsed.positionals.length > 0) {
    cobraError(`unknown command ${JSON.stringify(parsed.positionals[0])} for "agnhost ${name}"`, `agnhost ${name}`);
  }
  if (sub.args > 0 && parsed.positionals.length !== sub.args) {
    cobraError(`accepts ${sub.args} arg(s), received ${parsed.positionals.length}`, `agnhost ${name}`);
  }
  await sub.run(parsed.flags, parsed.positionals);
}
