// The result cache, laid out as libcni lays it out (<cacheDir>/results/<net>-<container>-<if>,
// kind "cniCacheV1"), so DEL and CHECK can hand plugins the ADD result as prevResult even
// after the runtime restarts, and so tools that read libcni's cache understand ours.

import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KnetError } from '../lib/errors.ts';
import type { Conflist, RuntimeConf } from './types.ts';

interface CacheEntry {
  kind: 'cniCacheV1';
  containerId: string;
  /** The conflist as JSON bytes, base64 (libcni stores a []byte). */
  config: string;
  ifName: string;
  networkName: string;
  cniArgs?: [string, string][];
  capabilityArgs?: Record<string, unknown>;
  result?: unknown;
}

export function cachePath(cacheDir: string, network: string, rt: RuntimeConf): string {
  return join(cacheDir, 'results', `${network}-${rt.containerId}-${rt.ifName}`);
}

export async function writeCachedResult(cacheDir: string, list: Conflist, rt: RuntimeConf, result: unknown): Promise<void> {
  const entry: CacheEntry = {
    kind: 'cniCacheV1',
    containerId: rt.containerId,
    config: Buffer.from(JSON.stringify(list)).toString('base64'),
    ifName: rt.ifName,
    networkName: list.name,
    cniArgs: rt.args,
    capabilityArgs: rt.capabilityArgs,
    result,
  };
  const file = cachePath(cacheDir, list.name, rt);
  await mkdir(join(cacheDir, 'results'), { recursive: true, mode: 0o700 });
  // Write-then-rename: a crash never leaves a truncated entry that would break a later DEL.
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, JSON.stringify(entry), { mode: 0o600 });
  await rename(tmp, file);
}

/** The cached ADD result, or undefined when there is none. */
export async function readCachedResult(cacheDir: string, network: string, rt: RuntimeConf): Promise<unknown> {
  const file = cachePath(cacheDir, network, rt);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const entry = JSON.parse(text) as CacheEntry;
    return entry.result;
  } catch (err) {
    throw new KnetError('cni-cache-corrupt', `cached CNI result ${file} is not valid JSON; delete it to let DEL proceed without it`, { cause: err });
  }
}

export async function deleteCachedResult(cacheDir: string, network: string, rt: RuntimeConf): Promise<void> {
  await rm(cachePath(cacheDir, network, rt), { force: true });
}
