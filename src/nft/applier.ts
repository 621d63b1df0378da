// Loads a Table into one network namespace. It remembers the table it last applied with
// success and sends only the difference next time; the first apply, and every apply after a
// failure (when the kernel's state is no longer known for sure), replaces the whole table.
// Every script is one `nft -f -` run, which nft commits as one transaction: a script that
// fails anywhere changes nothing, so the previous ruleset stays in force.

import { KnetError } from '../lib/errors.ts';
import { runInNetns } from '../host/index.ts';
import type { ElementChanges, Family, Table } from './model.ts';
import { indexTable, renderRemove, renderTable } from './render.ts';
import type { IndexedTable } from './render.ts';
import { planUpdateIndexed } from './update.ts';
import { diffListing } from './verify.ts';
import { NftSession } from './session.ts';
import type { Drift } from './verify.ts';

export interface NftApplierOptions {
  /** The node's network namespace name (`knet-<node>`), as `ip netns` knows it. */
  netns: string;
  table: Table['name'];
  family: Family;
  /** Runs a script with `nft -f -`; throws on failure (default: in `netns` via nsenter). */
  run?: (script: string) => Promise<void>;
  /**
   * Runs an incremental script (one command per line) as one transaction (default: through a
   * long-lived `nft -i` in `netns` (session.ts), or `run` when `run` is given).
   */
  runIncremental?: (script: string) => Promise<void>;
  /** Returns `nft -j list table <family> <table>` output; throws if the table is missing. */
  list?: () => Promise<string>;
}

export interface ApplyResult {
  mode: 'full' | 'incremental';
  /** Size of the script sent to nft (0 when nothing changed and nft was not run). */
  bytes: number;
  ms: number;
}

const NFT_TIMEOUT_MS = 120_000;

export class NftApplier {
  readonly #o: Required<Pick<NftApplierOptions, 'netns' | 'table' | 'family'>>;
  readonly #run: (script: string) => Promise<void>;
  readonly #runIncremental: (script: string) => Promise<void>;
  readonly #session: NftSession | undefined;
  readonly #list: () => Promise<string>;
  /** The table as the kernel holds it after our last successful transaction; undefined = unknown. */
  #applied: Table | undefined;
  /** The index of #applied, kept so that an update indexes only the new table. */
  #appliedIndex: IndexedTable | undefined;
  /** After applyChanges: the index of the skeleton applied last (#applied is then unset). */
  #appliedSkeleton: IndexedTable | undefined;
  /**
   * Bumped by invalidate(): an apply in flight when it is called must not record its result
   * as the kernel's state (the caller found drift, or the state is unknown).
   */
  #generation = 0;
  /** Calls run one after another: each diff is taken against the previous call's result. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(o: NftApplierOptions) {
    this.#o = { netns: o.netns, table: o.table, family: o.family };
    this.#run = o.run ?? ((script) => runNft(o.netns, script));
    if (o.runIncremental) this.#runIncremental = o.runIncremental;
    else if (o.run) this.#runIncremental = o.run;
    else {
      const session = new NftSession(o.netns, { timeoutMs: NFT_TIMEOUT_MS });
      this.#session = session;
      this.#runIncremental = (script) => session.run(script);
    }
    this.#list = o.list ?? (() => listTable(o.netns, o.family, o.table));
  }

  apply(next: Table): Promise<ApplyResult> {
    return this.#serial(() => this.#apply(next));
  }

  /**
   * The incremental path for callers that track their own element changes: `skeleton` is
   * the table with its sets and maps declared but empty, `changes` the element changes since
   * the previous call, and `full()` the whole table, used when the kernel's state is not
   * known (first call, after a failure or invalidate()) or the skeleton changed in a way a
   * diff cannot express. The cost of an update is that of the changes, not of the table.
   */
  applyChanges(skeleton: Table, changes: ElementChanges, full: () => Table): Promise<ApplyResult> {
    return this.#serial(async () => {
      const generation = this.#generation;
      const index = indexTable(skeleton);
      const previous = this.#appliedSkeleton;
      this.#applied = undefined;
      this.#appliedIndex = undefined;
      this.#appliedSkeleton = undefined;
      let plan = previous ? planUpdateIndexed(previous, index, changes) : undefined;
      if (!plan || plan.mode === 'full') plan = { mode: 'full', script: renderTable(full()) };
      const started = performance.now();
      if (plan.script) await this.#exec(plan.script, plan.mode);
      if (generation === this.#generation) this.#appliedSkeleton = index;
      return { mode: plan.mode, bytes: Buffer.byteLength(plan.script), ms: Math.round((performance.now() - started) * 10) / 10 };
    });
  }

  /** Deletes the table; a missing table is fine. */
  remove(): Promise<void> {
    return this.#serial(async () => {
      this.#applied = undefined;
      this.#appliedIndex = undefined;
      this.#appliedSkeleton = undefined;
      await this.#exec(renderRemove({ family: this.#o.family, name: this.#o.table }), 'remove');
    });
  }

  /** Compares the kernel's table with the last applied one (or `expected`). */
  verify(expected?: Table | (() => Table)): Promise<Drift> {
    return this.#serial(async () => {
      // A function is called here, in turn: after every apply queued before this check.
      const want = typeof expected === 'function' ? expected() : expected ?? this.#applied;
      if (!want) return { inSync: false, differences: ['nothing applied yet'] };
      let listing: string;
      try {
        listing = await this.#list();
      } catch (err) {
        return { inSync: false, differences: [`table ${want.family} ${want.name} cannot be listed: ${(err as Error).message}`] };
      }
      return diffListing(want, listing);
    });
  }

  /** Forgets the applied state, so the next apply is a full replace (e.g. after drift). */
  invalidate(): void {
    this.#generation++;
    this.#applied = undefined;
    this.#appliedIndex = undefined;
    this.#appliedSkeleton = undefined;
  }

  async #apply(next: Table): Promise<ApplyResult> {
    if (next.name !== this.#o.table || next.family !== this.#o.family) {
      throw new KnetError('nft-bad-model', `applier for table ${this.#o.family} ${this.#o.table} was given table ${next.family} ${next.name}`);
    }
    // The applier keeps `next` itself, not a copy (a copy of 100k elements costs tens of ms on
    // every change): callers hand over a fresh table each time and do not mutate it afterwards.
    const generation = this.#generation;
    const index = indexTable(next);
    this.#appliedSkeleton = undefined;
    const plan = this.#appliedIndex ? planUpdateIndexed(this.#appliedIndex, index) : { mode: 'full' as const, script: renderTable(next) };
    const started = performance.now();
    if (plan.script) {
      this.#applied = undefined;
      this.#appliedIndex = undefined;
      await this.#exec(plan.script, plan.mode);
    }
    if (generation === this.#generation) {
      this.#applied = next;
      this.#appliedIndex = index;
    }
    return { mode: plan.mode, bytes: Buffer.byteLength(plan.script), ms: Math.round((performance.now() - started) * 10) / 10 };
  }

  /** Ends the long-lived nft process, if any (the table stays). */
  close(): void {
    this.#session?.close();
  }

  async #exec(script: string, what: string): Promise<void> {
    try {
      if (what === 'incremental') await this.#runIncremental(script);
      else await this.#run(script);
    } catch (err) {
      if (err instanceof KnetError && err.code === 'nft-failed') throw err;
      throw new KnetError('nft-failed', `nft ${what} of table ${this.#o.family} ${this.#o.table} in ${this.#o.netns} failed: ${(err as Error).message}`, { cause: err });
    }
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.#queue.then(fn, fn);
    this.#queue = p.catch(() => {});
    return p;
  }
}

/** `nft -f -` inside the namespace; failure throws KnetError('nft-failed') with nft's errors. */
export async function runNft(netns: string, script: string): Promise<void> {
  const r = await runInNetns(netns, ['nft', '-f', '-'], { input: script, timeoutMs: NFT_TIMEOUT_MS });
  if (r.code !== 0) {
    const why = r.timedOut ? `timed out after ${NFT_TIMEOUT_MS}ms` : nftErrors(r.stderr || r.stdout);
    throw new KnetError('nft-failed', `nft -f in ${netns} failed: ${why}`);
  }
}

export async function listTable(netns: string, family: Family, table: string): Promise<string> {
  const r = await runInNetns(netns, ['nft', '-j', 'list', 'table', family, table], { timeoutMs: NFT_TIMEOUT_MS });
  if (r.code !== 0) throw new KnetError('nft-failed', `nft list table ${family} ${table} in ${netns} failed: ${nftErrors(r.stderr)}`);
  return r.stdout;
}

/**
 * nft reports each error as `<file>:<line>:<cols>: Error: <why>`, then the offending line and
 * a line of carets. The error lines are kept with the offending line cut short (an element
 * statement may be thousands of characters long); the caret lines are dropped.
 */
export function nftErrors(stderr: string, maxErrors = 10): string {
  const lines = stderr.split('\n');
  const out: string[] = [];
  let errors = 0;
  for (let i = 0; i < lines.length; i++) {
    if (!/Error:/.test(lines[i])) continue;
    if (++errors > maxErrors) { out.push('...'); break; }
    out.push(lines[i].trim());
    const src = lines[i + 1];
    if (src !== undefined && !/Error:/.test(src) && src.trim() && !/^\s*\^+\s*$/.test(src)) {
      out.push(`  in: ${src.length > 200 ? src.slice(0, 200) + '...' : src}`);
    }
  }
  return out.length ? out.join('\n') : stderr.trim().slice(0, 2000);
}
