// SQLite driver (node:sqlite), the embedded default: one file in the cluster's data directory.
//
// Layout, after kine: `log` is the append-only history (one row per revision, the revision is
// its primary key), `kv` holds the latest value of every live key for fast reads and lists.
// Both change in one transaction per write, so a crash leaves either the whole write or none.
// WAL journal with synchronous=NORMAL: a committed transaction survives a crash of this process
// (kill -9) because it is in the WAL file before COMMIT returns; only a power loss may drop the
// last transactions (as kine's defaults). Writes are synchronous calls, so this process is the
// single writer and live events are published right after each commit.

import { DatabaseSync } from 'node:sqlite';
import type { StatementSync } from 'node:sqlite';
import { StoreError } from './backend.ts';
import type { Backend, KeyValue, ListOptions, ListResult, WatchEvent, Watcher } from './backend.ts';
import { WatchHub, prefixEnd } from './watch-hub.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS kv (
  key TEXT PRIMARY KEY, value TEXT NOT NULL, create_rev INTEGER NOT NULL, mod_rev INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS log (
  rev INTEGER PRIMARY KEY, key TEXT NOT NULL, deleted INTEGER NOT NULL, value TEXT NOT NULL,
  create_rev INTEGER NOT NULL, prev_value TEXT, prev_mod_rev INTEGER
);
CREATE INDEX IF NOT EXISTS log_key ON log (key, rev);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
`;

interface KvRow { key: string; value: string; create_rev: number; mod_rev: number }
interface LogRow { rev: number; key: string; deleted: number; value: string; create_rev: number; prev_value: string | null; prev_mod_rev: number | null }

export class SqliteBackend implements Backend {
  private db: DatabaseSync;
  private hub = new WatchHub();
  private rev: number;
  private floor: number;
  private closed = false;
  private st: Record<string, StatementSync>;

  constructor(path: string) {
    this.db = new DatabaseSync(path);
    this.db.exec('PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;');
    this.db.exec(SCHEMA);
    const p = (sql: string) => this.db.prepare(sql);
    this.st = {
      get: p('SELECT key, value, create_rev, mod_rev FROM kv WHERE key = ?'),
      list: p('SELECT key, value, create_rev, mod_rev FROM kv WHERE key >= ? AND key < ? AND key > ? ORDER BY key LIMIT ?'),
      count: p('SELECT count(*) AS n FROM kv WHERE key >= ? AND key < ? AND key > ?'),
      insertKv: p('INSERT INTO kv (key, value, create_rev, mod_rev) VALUES (?, ?, ?, ?)'),
      updateKv: p('UPDATE kv SET value = ?, mod_rev = ? WHERE key = ?'),
      deleteKv: p('DELETE FROM kv WHERE key = ?'),
      insertLog: p('INSERT INTO log (rev, key, deleted, value, create_rev, prev_value, prev_mod_rev) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      history: p('SELECT rev, key, deleted, value, create_rev, prev_value, prev_mod_rev FROM log WHERE rev > ? AND key >= ? AND key < ? ORDER BY rev'),
      maxRev: p('SELECT max(rev) AS r FROM log'),
      getMeta: p('SELECT value FROM meta WHERE name = ?'),
      setMeta: p('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value'),
      compact: p('DELETE FROM log WHERE rev <= ?'),
    };
    this.floor = Number((this.st.getMeta.get('compact_rev') as { value: number } | undefined)?.value ?? 0);
    const maxRow = this.st.maxRev.get() as { r: number | null };
    // After a compaction that emptied the log, the floor is the latest revision.
    this.rev = Math.max(Number(maxRow.r ?? 0), this.floor);
  }

  async currentRevision(): Promise<number> {
    return this.rev;
  }

  async compactRevision(): Promise<number> {
    return this.floor;
  }

  async get(key: string): Promise<KeyValue | undefined> {
    this.check();
    const row = this.st.get.get(key) as KvRow | undefined;
    return row && toKv(row);
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    this.check();
    const after = opts.after ?? '';
    const end = prefixEnd(prefix);
    const limit = opts.limit && opts.limit > 0 ? opts.limit : -1;
    const rows = this.st.list.all(prefix, end, after, limit) as unknown as KvRow[];
    let remaining = 0;
    if (limit > 0 && rows.length === limit) {
      const last = rows[rows.length - 1].key;
      remaining = Number((this.st.count.get(prefix, end, last) as { n: number }).n);
    }
    return { items: rows.map(toKv), revision: this.rev, more: remaining > 0, remaining };
  }

  async create(key: string, value: string): Promise<KeyValue> {
    return this.write(() => {
      if (this.st.get.get(key)) throw new StoreError('key-exists', `key ${key} exists`);
      const rev = this.rev + 1;
      this.st.insertKv.run(key, value, rev, rev);
      this.st.insertLog.run(rev, key, 0, value, rev, null, null);
      const kv: KeyValue = { key, value, createRevision: rev, modRevision: rev };
      return { kv, ev: { type: 'put', kv, revision: rev, created: true } };
    });
  }

  async update(key: string, value: string, expectedModRevision?: number): Promise<KeyValue> {
    return this.write(() => {
      const prev = this.current(key, expectedModRevision);
      const rev = this.rev + 1;
      this.st.updateKv.run(value, rev, key);
      this.st.insertLog.run(rev, key, 0, value, prev.createRevision, prev.value, prev.modRevision);
      const kv: KeyValue = { key, value, createRevision: prev.createRevision, modRevision: rev };
      return { kv, ev: { type: 'put', kv, prevKv: prev, revision: rev, created: false } };
    });
  }

  async delete(key: string, expectedModRevision?: number): Promise<KeyValue> {
    return this.write(() => {
      const prev = this.current(key, expectedModRevision);
      const rev = this.rev + 1;
      this.st.deleteKv.run(key);
      this.st.insertLog.run(rev, key, 1, prev.value, prev.createRevision, prev.value, prev.modRevision);
      const kv: KeyValue = { ...prev, modRevision: rev };
      return { kv, ev: { type: 'delete', kv, prevKv: prev, revision: rev, created: false } };
    });
  }

  async watch(prefix: string, afterRevision: number, onEvent: (ev: WatchEvent) => void): Promise<Watcher> {
    this.check();
    if (afterRevision < this.floor) {
      throw new StoreError('compacted', `revision ${afterRevision} has been compacted (floor ${this.floor})`, { compactRevision: this.floor });
    }
    const rows = afterRevision >= this.rev ? [] : (this.st.history.all(afterRevision, prefix, prefixEnd(prefix)) as unknown as LogRow[]);
    return this.hub.subscribe(prefix, rows.map(toEvent), onEvent);
  }

  async compact(revision: number): Promise<void> {
    this.check();
    const target = Math.min(revision, this.rev);
    if (target <= this.floor) return;
    this.db.exec('BEGIN IMMEDIATE');
    try {
      this.st.compact.run(target);
      this.st.setMeta.run('compact_rev', target);
      this.db.exec('COMMIT');
    } catch (err) {
      this.db.exec('ROLLBACK');
      throw err;
    }
    this.floor = target;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.hub.closeAll();
    this.db.close();
  }

  private current(key: string, expectedModRevision?: number): KeyValue {
    const row = this.st.get.get(key) as KvRow | undefined;
    if (!row) throw new StoreError('not-found', `key ${key} not found`);
    const prev = toKv(row);
    if (expectedModRevision !== undefined && prev.modRevision !== expectedModRevision) {
      throw new StoreError('conflict', `key ${key} is at revision ${prev.modRevision}, not ${expectedModRevision}`, { current: prev });
    }
    return prev;
  }

  /** One write = one transaction; the event is published only after COMMIT succeeded. */
  private async write(fn: () => { kv: KeyValue; ev: WatchEvent }): Promise<KeyValue> {
    this.check();
    this.db.exec('BEGIN IMMEDIATE');
    let out: { kv: KeyValue; ev: WatchEvent };
    try {
      out = fn();
      this.db.exec('COMMIT');
    } catch (err) {
      this.db.exec('ROLLBACK');
      throw err;
    }
    this.rev = out.ev.revision;
    this.hub.publish(out.ev);
    return out.kv;
  }

  private check(): void {
    if (this.closed) throw new StoreError('closed', 'store is closed');
  }
}

function toKv(r: KvRow): KeyValue {
  return { key: r.key, value: r.value, createRevision: Number(r.create_rev), modRevision: Number(r.mod_rev) };
}

function toEvent(r: LogRow): WatchEvent {
  const rev = Number(r.rev);
  const prevKv: KeyValue | undefined = r.prev_value === null
    ? undefined
    : { key: r.key, value: r.prev_value, createRevision: Number(r.create_rev), modRevision: Number(r.prev_mod_rev) };
  if (r.deleted) {
    return { type: 'delete', kv: { key: r.key, value: r.value, createRevision: Number(r.create_rev), modRevision: rev }, prevKv, revision: rev, created: false };
  }
  return { type: 'put', kv: { key: r.key, value: r.value, createRevision: Number(r.create_rev), modRevision: rev }, prevKv, revision: rev, created: prevKv === undefined };
}
