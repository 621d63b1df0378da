// agnhost connect: one TCP (or UDP) connection attempt whose failure is printed with a fixed
// prefix tests match on: UNKNOWN, TIMEOUT, DNS, REFUSED, OTHER. Exit 0 on success, 1 otherwise.
import dgram from 'node:dgram';
import dns from 'node:dns/promises';
import fs from 'node:fs';
import net from 'node:net';
import { joinHostPort } from '../go-compat.ts';
import type { FlagValues } from '../go-compat.ts';
import { errnoMessage } from './dial.ts';

export const connectFlags = {
  timeout: { kind: 'duration', default: 0 },
  protocol: { kind: 'string', default: 'tcp' },
  'udp-data': { kind: 'string', default: 'hostname' },
  'sctp-data': { kind: 'string', default: 'hostname' },
} as const;

function fail(text: string): never {
  process.stderr.write(text + '\n');
  process.exit(1);
}

/** net.SplitHostPort's checks and messages. */
export function splitHostPort(dest: string): { host: string; port: string } {
  const bad = (why: string) => new Error(`address ${dest}: ${why}`);
  if (dest.startsWith('[')) {
    const end = dest.indexOf(']');
    if (end < 0) throw bad('missing \']\' in address');
    if (dest[end + 1] !== ':') throw bad('missing port in address');
    return { host: dest.slice(1, end), port: dest.slice(end + 2) };
  }
  const colon = dest.lastIndexOf(':');
  if (colon < 0) throw bad('missing port in address');
  if (dest.indexOf(':') !== colon) throw bad('too many colons in address');
  return { host: dest.slice(0, colon), port: dest.slice(colon + 1) };
}

function firstNameserver(): string {
  try {
    const line = fs.readFileSync('/etc/resolv.conf', 'utf8').split('\n').find((l) => /^nameserver\s/.test(l));
    return line ? joinHostPort(line.split(/\s+/)[1], 53) : '127.0.0.1:53';
  } catch {
    return '127.0.0.1:53';
  }
}

async function resolve(host: string, port: string, network: string): Promise<{ address: string; port: number }> {
  if (!/^\d+$/.test(port) || Number(port) > 65535) fail(`DNS: lookup ${network}/${port}: unknown port`);
  if (host === '' || net.isIP(host)) return { address: host === '' ? '127.0.0.1' : host, port: Number(port) };
  try {
    const all = await dns.lookup(host, { all: true });
    return { address: (all.find((a) => a.family === 4) ?? all[0]).address, port: Number(port) };
  } catch {
    return fail(`DNS: lookup ${host} on ${firstNameserver()}: no such host`);
  }
}

async function connectTcp(dest: string, timeoutMs: number): Promise<void> {
  let parts: { host: string; port: string };
  try { parts = splitHostPort(dest); } catch (err) { return fail(`UNKNOWN: ${(err as Error).message}`); }
  const target = await resolve(parts.host, parts.port, 'tcp');
  await new Promise<void>(() => {
    const socket = net.connect({ host: target.address, port: target.port });
    const timer = timeoutMs > 0 ? setTimeout(() => { socket.destroy(); fail('TIMEOUT'); }, timeoutMs) : undefined;
    socket.once('connect', () => { clearTimeout(timer); socket.destroy(); process.exit(0); });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (err.code === 'ECONNREFUSED') fail('REFUSED');
      // Go counts ETIMEDOUT (the kernel giving up on SYNs) as a timeout.
      if (err.code === 'ETIMEDOUT') fail('TIMEOUT');
      fail(`OTHER: dial tcp ${dest}: connect: ${errnoMessage(err)}`);
    });
  });
}

async function connectUdp(dest: string, timeoutMs: number, data: string): Promise<void> {
  let parts: { host: string; port: string };
  try { parts = splitHostPort(dest); } catch (err) { return fail(`DNS: ${(err as Error).message}`); }
  const target = await resolve(parts.host, parts.port, 'udp');
  const socket = dgram.createSocket(net.isIPv6(target.address) ? 'udp6' : 'udp4');
  let local = '';
  const remote = joinHostPort(target.address, target.port);
  if (timeoutMs > 0) setTimeout(() => fail(`TIMEOUT: read udp ${local}->${remote}: i/o timeout`), timeoutMs);
  socket.on('error', (err: NodeJS.ErrnoException) => {
    const text = `read udp ${local}->${remote}: read: ${errnoMessage(err)}`;
    fail(err.code === 'ECONNREFUSED' ? `REFUSED: ${text}` : `UNKNOWN: ${text}`);
  });
  socket.on('message', (msg) => {
    if (msg.length === 0) fail('OTHER: No data received from the server. Cannot guarantee the server received the request.');
    process.exit(0);
  });
  socket.connect(target.port, target.address, () => {
    const a = socket.address();
    local = joinHostPort(a.address, a.port);
    socket.send(`${data}\n`);
  });
}

export async function runConnect(flags: FlagValues, dest: string): Promise<void> {
  const protocol = flags.protocol as string;
  const timeoutMs = flags.timeout as number;
  switch (protocol) {
    case '':
    case 'tcp': return connectTcp(dest, timeoutMs);
    case 'udp': return connectUdp(dest, timeoutMs, flags['udp-data'] as string);
    case 'sctp': return fail('OTHER: sctp is not supported by knet');
    default:
      process.stderr.write(`Unsupported protocol\n${protocol}`);
      process.exit(1);
  }
}
