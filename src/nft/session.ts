// A long-lived `nft -i` in a network namespace, for small transactions. Each `nft -f` process
// costs about 15-20 ms on this kernel whatever it does, most of it spent as the process ends
// (measured: 50 delete-and-add transactions take 0.9 s as separate processes and 36 ms
// through one interactive nft), which is most of the cost of an endpoint change.
//
// Protocol: nft -i reads one line at a time and commits each line as one transaction (the
// commands of a line are one batch, applied whole or not at all). After each transaction
// line, a sentinel line `knet-sentinel-<n>` follows: it is a syntax error, which nft reports
// on stderr as soon as it reads it, echoing the line, so seeing the echo means the
// transaction before it is done, and any error text before the sentinel's own report is the
// transaction's. Nothing is read from stdout (nft -i writes nothing there without -e).
// The process holds its namespace: close() the session before the namespace is deleted, or
// it keeps the namespace alive and goes on writing into it.

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { KnetError } from '../lib/errors.ts';
import { netnsPath } from '../host/index.ts';

/**
 * nft keeps every line it reads in its (libedit) history, in memory: a process is replaced
 * after this many transactions so that it does not grow without end.
 */
const TRANSACTIONS_PER_PROCESS = 2000;

interface Pending {
  sentinel: string;
  resolve: () => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

export class NftSession {
  readonly #netns: string;
  readonly #timeoutMs: number;
  #child: ChildProcess | undefined;
  #stderr = '';
  #seq = 0;
  /** Transactions sent to the current process. */
  #sent = 0;
  #pending: Pending | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(netns: string, o: { timeoutMs?: number } = {}) {
    this.#netns = netns;
    this.#timeoutMs = o.timeoutMs ?? 60_000;
  }

  /**
   * Runs `script` (nft commands, one per line; `#` comment lines are dropped) as one
   * transaction. Throws KnetError('nft-failed') with nft's errors when it fails.
   */
  run(script: string): Promise<void> {
    const p = this.#queue.then(() => this.#run(script));
    this.#queue = p.catch(() => {});
    return p;
  }

  /** The nft process's PID while one runs (nsenter execs nft, so it is nft's). */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Ends the nft process; a transaction in flight fails now, not at its timeout. */
  close(): void {
    const p = this.#pending;
    this.#pending = undefined;
    if (p) {
      clearTimeout(p.timer);
      p.reject(new KnetError('nft-failed', `nft in ${this.#netns} was stopped during a transaction`));
    }
    const child = this.#child;
    this.#child = undefined;
    if (child && child.exitCode === null) {
      child.stdin?.end();
      child.kill('SIGTERM');
    }
  }

  #run(script: string): Promise<void> {
    const commands = script.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
    if (commands.length === 0) return Promise.resolve();
    if (this.#sent >= TRANSACTIONS_PER_PROCESS) this.close();
    const child = this.#ensure();
    this.#sent++;
    const sentinel = `knet-sentinel-${++this.#seq}`;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#fail(new KnetError('nft-failed', `nft in ${this.#netns} did not answer within ${this.#timeoutMs} ms`));
      }, this.#timeoutMs);
      this.#pending = { sentinel, resolve, reject, timer };
      child.stdin!.write(`${commands.join('; ')}\n${sentinel}\n`);
    });
  }

  #ensure(): ChildProcess {
    if (this.#child && this.#child.exitCode === null && this.#child.signalCode === null) return this.#child;
    this.#stderr = '';
    this.#sent = 0;
    // HOME elsewhere: nft -i reads its history file at start and writes every line to it
    // at exit (megabytes of transactions in root's home, and slower starts).
    const child = spawn('nsenter', [`--net=${netnsPath(this.#netns)}`, '--', 'nft', '-i'], {
      stdio: ['pipe', 'ignore', 'pipe'], env: { ...process.env, HOME: '/nonexistent' },
    });
    child.stdin!.on('error', () => {});
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (d: string) => {
      if (child !== this.#child) return;
      this.#stderr += d;
      this.#settle();
    });
    child.once('exit', (code, signal) => {
      if (child !== this.#child) return;
      this.#child = undefined;
      this.#fail(new KnetError('nft-failed', `nft in ${this.#netns} exited (${signal ?? code}) during a transaction`));
    });
    child.once('error', (err) => {
      if (child !== this.#child) return;
      this.#child = undefined;
      this.#fail(new KnetError('nft-failed', `nft in ${this.#netns} could not run: ${err.message}`));
    });
    // An idle session must not keep the process alive; a transaction in flight does (its timer).
    child.unref();
    (child.stdin as unknown as { unref?: () => void }).unref?.();
    (child.stderr as unknown as { unref?: () => void }).unref?.();
    this.#child = child;
    return child;
  }

  /** Completes the pending transaction once its sentinel's echo has arrived. */
  #settle(): void {
    const p = this.#pending;
    if (!p) return;
    const lines = this.#stderr.split('\n');
    const at = lines.indexOf(p.sentinel);
    // The echo is followed by the caret line; wait for it, so nothing of this report is left over.
    if (at < 0 || lines.length < at + 3) return;
    // Before the echo: the sentinel's own "Error: syntax error ..." line, and before that
    // whatever the transaction reported.
    const report = lines.slice(0, Math.max(0, at - 1)).join('\n');
    this.#stderr = lines.slice(at + 2).join('\n');
    this.#pending = undefined;
    clearTimeout(p.timer);
    if (/Error:/.test(report)) p.reject(new KnetError('nft-failed', `nft in ${this.#netns} refused the transaction: ${nftReport(report)}`));
    else p.resolve();
  }

  #fail(err: Error): void {
    const p = this.#pending;
    this.#pending = undefined;
    if (p) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    this.close();
  }
}

/** nft's error lines with the offending command cut short (a command may hold 1,000 elements). */
function nftReport(text: string): string {
  return text.split('\n').filter((l) => !/^\s*\^+\s*$/.test(l) && l.trim() !== '')
    .map((l) => (l.length > 300 ? `${l.slice(0, 300)}...` : l)).slice(0, 20).join('\n');
}
