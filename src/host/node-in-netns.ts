// Long-lived helper programs of knet (probes, relays, dialers, health checks) that must live
// in another network namespace: this process cannot enter one, so it starts Node.js on the
// helper's file inside it.

import { spawn } from 'node:child_process';
import type { ChildProcess, StdioOptions } from 'node:child_process';
import { netnsPath } from './netns.ts';

export function spawnNodeInNetns(netns: string, file: string, args: string[], stdio: StdioOptions): ChildProcess {
  return spawn('/usr/bin/nsenter', [`--net=${netnsPath(netns)}`, '--', process.execPath, '--disable-warning=ExperimentalWarning', file, ...args], { stdio });
}
