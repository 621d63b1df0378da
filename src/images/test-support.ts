// Test helpers: start a built-in program as a child process, wait for its log lines, pick
// free loopback ports, and stop exactly the processes a test started.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import net from 'node:net';
import { builtinMain } from './image-program.ts';

export interface Program {
  child: ChildProcess;
  output: () => string;
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const started = new Set<ChildProcess>();

export function startProgram(program: string, args: string[], env: Record<string, string> = {}): Program {
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', builtinMain, program, ...args], {
    env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.add(child);
  let out = '';
  child.stdout?.on('data', (d) => { out += d; });
  child.stderr?.on('data', (d) => { out += d; });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => { started.delete(child); resolve({ code, signal }); });
  });
  const waitFor = (pattern: RegExp, timeoutMs = 5000) => new Promise<void>((resolve, reject) => {
    const deadline = setTimeout(() => { clearInterval(poll); reject(new Error(`timed out waiting for ${pattern}; output:\n${out}`)); }, timeoutMs);
    const poll = setInterval(() => {
      if (pattern.test(out)) { clearTimeout(deadline); clearInterval(poll); resolve(); }
    }, 20);
  });
  return { child, output: () => out, waitFor, exited };
}

/** Sends SIGKILL, by PID, to every program a test started and has not yet exited. */
export function killStarted(): void {
  for (const child of started) if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
  started.clear();
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

export async function freeUdpPort(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  const { port } = socket.address();
  await new Promise<void>((r) => socket.close(r));
  return port;
}

export function udpRequest(port: number, message: string, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    const timer = setTimeout(() => { socket.close(); reject(new Error('no UDP reply')); }, timeoutMs);
    socket.on('message', (msg) => { clearTimeout(timer); socket.close(); resolve(msg.toString()); });
    socket.send(message, port, '127.0.0.1');
  });
}

export function runToExit(program: string, args: string[]): Promise<{ code: number | null; output: string }> {
  const p = startProgram(program, args);
  return p.exited.then(({ code }) => ({ code, output: p.output() }));
}
