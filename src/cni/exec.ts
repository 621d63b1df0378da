// Running one plugin binary (CNI spec 1.0.0, "Protocol"): parameters in CNI_* environment
// variables, configuration on stdin, a result or an error object on stdout, exit code 0 for
// success. This is the only place in src/cni that spawns processes.

import { spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { join } from 'node:path';
import { KnetError } from '../lib/errors.ts';
import type { CniCommand, CniErrorBody, RuntimeConf } from './types.ts';

export const DEFAULT_PLUGIN_TIMEOUT_MS = 60_000;

/** A plugin answered with the spec's error object (or exited non-zero without one). */
export class CniPluginError extends KnetError {
  readonly plugin: string;
  readonly command: CniCommand;
  /** The CNI error code (1-99 spec-defined, >= 100 plugin-specific); undefined when none was printed. */
  readonly cniCode: number | undefined;
  readonly details: string | undefined;
  constructor(plugin: string, command: CniCommand, network: string, body: CniErrorBody | undefined, fallback: string) {
    const what = body
      ? `CNI error ${body.code}: ${body.msg}${body.details ? ` (${body.details})` : ''}`
      : fallback;
    super('cni-error', `CNI plugin "${plugin}" failed ${command} for network "${network}": ${what}`);
    this.name = 'CniPluginError';
    this.plugin = plugin;
    this.command = command;
    this.cniCode = body?.code;
    this.details = body?.details;
  }
}

/** Finds `type` in the CNI_PATH directories, as libcni's FindInPath does. */
export async function findPlugin(type: string, cniPath: readonly string[]): Promise<string> {
  if (cniPath.length === 0) throw new KnetError('cni-plugin-not-found', `failed to find CNI plugin "${type}": the CNI path is empty`);
  for (const dir of cniPath) {
    const candidate = join(dir, type);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  throw new KnetError('cni-plugin-not-found', `failed to find CNI plugin "${type}" in path [${cniPath.join(' ')}]`);
}

/** CNI_ARGS text. containerd puts IgnoreUnknown=1 first so plugins skip keys they do not know. */
export function formatCniArgs(args: readonly [string, string][] | undefined): string {
  if (!args || args.length === 0) return '';
  const all = args.some(([k]) => k === 'IgnoreUnknown') ? args : [['IgnoreUnknown', '1'] as [string, string], ...args];
  for (const [k, v] of all) {
    if (/[=;]/.test(k) || v.includes(';')) throw new KnetError('invalid-cni-args', `CNI_ARGS pair ${k}=${v} must not contain ";" (or "=" in the key)`);
  }
  return all.map(([k, v]) => `${k}=${v}`).join(';');
}

export interface ExecRequest {
  command: CniCommand;
  plugin: string;
  network: string;
  conf: unknown;
  rt?: RuntimeConf;
  cniPath: readonly string[];
  runInNetns?: string;
  timeoutMs?: number;
}

/** Executes one plugin; resolves with its parsed stdout (undefined when empty), or throws. */
export async function execPlugin(req: ExecRequest): Promise<unknown> {
  const bin = await findPlugin(req.plugin, req.cniPath);
  const env: NodeJS.ProcessEnv = { ...process.env, CNI_COMMAND: req.command, CNI_PATH: req.cniPath.join(':') };
  if (req.rt) {
    env.CNI_CONTAINERID = req.rt.containerId;
    env.CNI_NETNS = req.rt.netns;
    env.CNI_IFNAME = req.rt.ifName;
    env.CNI_ARGS = formatCniArgs(req.rt.args);
  }
  // `ip netns exec` (not a bare setns) also remounts /sys for the namespace, so plugins that
  // read sysfs see the node's links.
  const [file, argv] = req.runInNetns ? ['ip', ['netns', 'exec', req.runInNetns, bin]] : [bin, []];
  const timeoutMs = req.timeoutMs ?? DEFAULT_PLUGIN_TIMEOUT_MS;
  const { code, stdout, stderr, timedOut } = await run(file, argv, env, JSON.stringify(req.conf), timeoutMs);
  if (timedOut) {
    throw new KnetError('cni-timeout', `CNI plugin "${req.plugin}" did not finish ${req.command} for network "${req.network}" within ${timeoutMs} ms and was killed`);
  }
  const text = stdout.trim();
  let parsed: unknown;
  if (text !== '') {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  if (code !== 0) {
    const body = isErrorBody(parsed) ? parsed : undefined;
    const fallback = `exit status ${code}${stderr.trim() ? `: ${lastLines(stderr)}` : text ? `: ${lastLines(text)}` : ''}`;
    throw new CniPluginError(req.plugin, req.command, req.network, body, fallback);
  }
  if (text !== '' && parsed === undefined) {
    throw new CniPluginError(req.plugin, req.command, req.network, undefined, `output is not JSON: ${lastLines(text)}`);
  }
  return parsed;
}

function isErrorBody(v: unknown): v is CniErrorBody {
  return typeof v === 'object' && v !== null && typeof (v as CniErrorBody).code === 'number' && typeof (v as CniErrorBody).msg === 'string';
}

function lastLines(s: string): string {
  return s.trim().split('\n').slice(-3).join(' | ');
}

interface RunOutcome { code: number | null; stdout: string; stderr: string; timedOut: boolean }

function run(file: string, argv: string[], env: NodeJS.ProcessEnv, stdin: string, timeoutMs: number): Promise<RunOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.stdin.on('error', () => { /* the plugin may exit without reading stdin */ });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new KnetError('cni-exec-failed', `could not run CNI plugin ${file}: ${e.message}`, { cause: e }));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(), timedOut });
    });
    child.stdin.end(stdin);
  });
}
