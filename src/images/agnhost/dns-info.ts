// agnhost dns-suffix, dns-server-list and etc-hosts: print what the pod's resolver files say.
// Like upstream, only the first `search` / `nameserver` line counts, split on single spaces.
import fs from 'node:fs';

function firstLineValues(text: string, keyword: string): string[] {
  const line = text.split('\n').find((l) => l.startsWith(keyword));
  if (line === undefined) throw new Error('Could not find DNS search list!');
  return line.split(' ').slice(1);
}

export function dnsSuffixList(resolvConf: string): string[] {
  return firstLineValues(resolvConf, 'search');
}

export function dnsServerList(resolvConf: string): string[] {
  return firstLineValues(resolvConf, 'nameserver');
}

function printOrPanic(produce: () => string): void {
  try {
    process.stdout.write(produce() + '\n');
  } catch (err) {
    // Go's panic: message on stderr, exit status 2.
    process.stderr.write(`panic: ${(err as Error).message}\n`);
    process.exit(2);
  }
}

export function runDnsSuffix(): void {
  printOrPanic(() => dnsSuffixList(fs.readFileSync('/etc/resolv.conf', 'utf8')).join(','));
}

export function runDnsServerList(): void {
  printOrPanic(() => dnsServerList(fs.readFileSync('/etc/resolv.conf', 'utf8')).join(','));
}

export function runEtcHosts(): void {
  printOrPanic(() => fs.readFileSync('/etc/hosts', 'utf8'));
}
