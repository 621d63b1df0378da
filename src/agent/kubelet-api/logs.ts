// Container logs, as the kubelet serves GET /containerLogs: the CRI log file of the chosen run
// (`<RFC3339Nano> <stream> <F|P> <content>` per line, containers.ts writes it) turned back into
// the program's output, with tailLines, sinceSeconds/sinceTime, timestamps and limitBytes, and
// `follow` reading on until that run of the container has ended (or the client goes away).

import { open } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import type { ContainerAccess } from './types.ts';
import { KubeletError } from './errors.ts';

export interface LogOptions {
  follow: boolean;
  previous: boolean;
  tailLines?: number;
  /** Entries at or after this time (ms since the epoch). */
  since?: number;
  timestamps: boolean;
  limitBytes?: number;
}

export interface CriEntry {
  time: string;
  stream: 'stdout' | 'stderr';
  partial: boolean;
  content: string;
}

export function parseCriLine(line: string): CriEntry | undefined {
  const m = /^(\S+) (stdout|stderr) ([FP]) ?(.*)$/s.exec(line);
  if (!m) return undefined;
  return { time: m[1], stream: m[2] as CriEntry['stream'], partial: m[3] === 'P', content: m[4] };
}

/** Go's RFC3339Nano drops trailing zeros of the fraction; the kubelet prints that form. */
export function goRfc3339Nano(time: string): string {
  return time.replace(/\.(\d*?)0+Z$/, (_, d: string) => (d ? `.${d}Z` : 'Z'));
}

/** Parses an RFC 3339 time with up to nanosecond precision into milliseconds. */
function timeMs(time: string): number {
  return Date.parse(time.replace(/(\.\d{3})\d+/, '$1'));
}

export function parseLogQuery(q: URLSearchParams): LogOptions {
  const flag = (k: string) => q.get(k) === 'true' || q.get(k) === '1';
  const num = (k: string) => {
    const v = q.get(k);
    if (v === null || v === '') return undefined;
    const n = Number(v);
    if (!Number.isInteger(n)) throw new KubeletError(400, `invalid ${k}: ${v}`);
    return n;
  };
  const sinceSeconds = num('sinceSeconds');
  const sinceTime = q.get('sinceTime');
  let since: number | undefined;
  if (sinceSeconds !== undefined) since = Date.now() - sinceSeconds * 1000;
  else if (sinceTime) since = timeMs(sinceTime);
  const tail = num('tailLines');
  return { follow: flag('follow'), previous: flag('previous'), tailLines: tail !== undefined && tail >= 0 ? tail : undefined, since, timestamps: flag('timestamps'), limitBytes: num('limitBytes') };
}

/**
 * Which run's log to read (upstream: kubelet validateContainerLogStatus): the previous run
 * for `previous`, else the current run, else (waiting to restart) the last terminated run.
 */
export function chooseRun(a: ContainerAccess, previous: boolean): number {
  const { view } = a;
  const where = `container "${view.name}" in pod "${a.pod}"`;
  if (previous) {
    if (view.lastState?.kind !== 'terminated' || view.restartCount === 0) throw new KubeletError(400, `previous terminated ${where} not found`);
    return view.restartCount - 1;
  }
  if (view.state.kind === 'running') return view.restartCount;
  if (view.state.kind === 'terminated') {
    if (existsSync(a.logPath(view.restartCount))) return view.restartCount;
    if (view.lastState?.kind === 'terminated' && view.restartCount > 0) return view.restartCount - 1;
    throw new KubeletError(400, `${where} is terminated`);
  }
  if (view.lastState?.kind === 'terminated' && view.restartCount > 0) return view.restartCount - 1;
  throw new KubeletError(400, `${where} is waiting to start: ${view.state.reason}`);
}

export interface LogSink {
  write(chunk: string): void;
  /** True once the client went away. */
  closed(): boolean;
}

/**
 * Writes the log of run `run` to `sink`. With `follow`, keeps reading while `stillRunning()`
 * says that run goes on, then drains what is left.
 */
export async function copyLog(path: string, o: LogOptions, sink: LogSink, stillRunning: () => boolean, signal: AbortSignal): Promise<void> {
  let budget = o.limitBytes !== undefined && o.limitBytes > 0 ? o.limitBytes : Infinity;
  const emit = (entries: CriEntry[]) => {
    let out = '';
    for (const e of entries) {
      if (o.since !== undefined && timeMs(e.time) < o.since) continue;
      out += (o.timestamps ? `${goRfc3339Nano(e.time)} ` : '') + e.content + (e.partial ? '' : '\n');
    }
    if (!out) return;
    if (Buffer.byteLength(out) > budget) out = Buffer.from(out).subarray(0, budget).toString();
    budget -= Buffer.byteLength(out);
    sink.write(out);
  };
  const fh = await open(path, 'r').catch(() => undefined);
  if (!fh) {
    if (!o.follow) return;
    throw new KubeletError(404, `log file of the container is missing: ${path}`);
  }
  try {
    let offset = 0;
    let rest = '';
    const readNew = async (): Promise<CriEntry[]> => {
      const chunks: Buffer[] = [];
      for (;;) {
        const buf = Buffer.alloc(64 * 1024);
        const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
        if (!bytesRead) break;
        offset += bytesRead;
        chunks.push(buf.subarray(0, bytesRead));
      }
      const lines = (rest + Buffer.concat(chunks).toString('utf8')).split('\n');
      rest = lines.pop()!; // an unfinished line waits for its newline
      return lines.map(parseCriLine).filter((e): e is CriEntry => !!e);
    };
    let first = await readNew();
    if (o.tailLines !== undefined) first = o.tailLines === 0 ? [] : first.slice(-o.tailLines);
    emit(first);
    if (!o.follow) return;
    while (budget > 0 && !signal.aborted && !sink.closed()) {
      const running = stillRunning();
      emit(await readNew());
      if (!running) return; // the run ended before this last read: nothing more will come
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await fh.close();
  }
}
