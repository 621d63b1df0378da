// Entry point of knet's CNI plugin (run by the `knet-cni` shim; installed as `knet` in
// CNI_PATH). Speaks the CNI 1.0.0 protocol on stdin/stdout and delegates ADD/DEL/CHECK to a
// reference plugin found in CNI_PATH, passing the same CNI_* environment, the way flannel's
// plugin delegates to bridge.

import { spawn } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BadPluginConfig, delegateConfig, KNET_PLUGIN_VERSIONS, parseKnetPluginConf } from './delegate.ts';

// CNI spec error codes used here.
const ERR_INCOMPATIBLE_VERSION = 1;
const ERR_INVALID_ENV = 4;
const ERR_IO = 5;
const ERR_DECODE = 6;
const ERR_INVALID_CONFIG = 7;

function fail(code: number, msg: string, cniVersion = '1.0.0', details?: string): never {
  process.stdout.write(JSON.stringify({ cniVersion, code, msg, ...(details ? { details } : {}) }) + '\n');
  process.exit(1);
}

function findInPath(type: string): string {
  const dirs = (process.env.CNI_PATH ?? '').split(':').filter(Boolean);
  for (const dir of dirs) {
    try {
      accessSync(join(dir, type), constants.X_OK);
      return join(dir, type);
    } catch {
      // next directory
    }
  }
  return fail(ERR_IO, `knet: delegate plugin "${type}" not found in CNI_PATH [${dirs.join(' ')}]`);
}

function main(): void {
  const command = process.env.CNI_COMMAND;
  const input = readFileSync(0, 'utf8');
  if (command === 'VERSION') {
    process.stdout.write(JSON.stringify({ cniVersion: '1.0.0', supportedVersions: KNET_PLUGIN_VERSIONS }) + '\n');
    return;
  }
  if (command !== 'ADD' && command !== 'DEL' && command !== 'CHECK') {
    fail(ERR_INVALID_ENV, `knet: CNI_COMMAND ${JSON.stringify(command ?? '')} is not one of ADD, DEL, CHECK, VERSION`);
  }
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(input) as Record<string, unknown>;
  } catch (err) {
    return fail(ERR_DECODE, `knet: config on stdin is not JSON: ${(err as Error).message}`);
  }
  const cniVersion = typeof raw.cniVersion === 'string' ? raw.cniVersion : '';
  if (!KNET_PLUGIN_VERSIONS.includes(cniVersion)) {
    fail(ERR_INCOMPATIBLE_VERSION, `knet: incompatible CNI version "${cniVersion}"`, '1.0.0', `supported: ${KNET_PLUGIN_VERSIONS.join(', ')}`);
  }
  for (const v of ['CNI_CONTAINERID', 'CNI_IFNAME', 'CNI_PATH'] as const) {
    if (!process.env[v]) fail(ERR_INVALID_ENV, `knet: ${v} is not set`, cniVersion);
  }
  let delegate: Record<string, unknown>;
  try {
    const conf = parseKnetPluginConf(raw);
    delegate = delegateConfig(conf, { name: String(raw.name ?? ''), cniVersion }, raw.prevResult);
  } catch (err) {
    if (err instanceof BadPluginConfig) return fail(ERR_INVALID_CONFIG, err.message, cniVersion);
    throw err;
  }
  const bin = findInPath(String(delegate.type));
  // The delegate inherits our environment (CNI_COMMAND, CNI_NETNS, ...), stderr, and its
  // stdout and exit code become ours: its result or error object is the answer.
  const child = spawn(bin, [], { stdio: ['pipe', 'inherit', 'inherit'], env: process.env });
  child.on('error', (err) => fail(ERR_IO, `knet: could not run ${bin}: ${err.message}`, cniVersion));
  child.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  child.stdin.end(JSON.stringify(delegate));
}

main();
