// API server and store benchmark. Each figure is printed beside a baseline measured in the
// same run on the same machine, and the ratio between them; nothing here passes or fails.
//   creates/s     : HTTPS POST through the API server, and SqliteBackend.create, vs a plain
//                   node:sqlite insert loop (one transaction per row, same pragmas): the store's limit
//   list latency  : GET of 10,000 objects as JSON, vs reading and parsing the same rows from SQLite
//   watch fan-out : events/s delivered to 100 HTTPS watchers, vs the store's in-process fan-out
// Traffic goes to 127.0.0.1 only; every loop is bounded in count.

import { Agent, request } from 'node:https';
import { DatabaseSync } from 'node:sqlite';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePki } from '../src/apiserver/certs.ts';
import { startApiServer } from '../src/apiserver/server.ts';
import { SqliteBackend } from '../src/store/index.ts';

const N_CREATE = 2000;
const N_LIST = 10_000;
const WATCHERS = 100;
const WATCH_EVENTS = 300;

const dir = mkdtempSync(join(tmpdir(), 'knet-bench-'));
const rows: [string, string, string, string][] = [];
const report = (what: string, ours: number, base: number, unit: string, higherIsBetter: boolean) => {
  const ratio = higherIsBetter ? ours / base : base / ours;
  rows.push([what, `${ours.toFixed(1)} ${unit}`, `${base.toFixed(1)} ${unit}`, `${(ratio * 100).toFixed(0)}% of baseline`]);
};
const cmBody = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { bench: 'yes' } }, data: { k: 'v'.repeat(200) } });

// ------------------------------------------------------------- baseline: raw node:sqlite
function sqliteBaseline(n: number): number {
  const db = new DatabaseSync(join(dir, 'baseline.db'));
  db.exec('PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;');
  const ins = db.prepare('INSERT INTO kv VALUES (?, ?)');
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    db.exec('BEGIN IMMEDIATE');
    ins.run(`/registry/configmaps/default/b-${i}`, cmBody(`b-${i}`));
    db.exec('COMMIT');
  }
  const s = (performance.now() - t0) / 1000;
  db.close();
  return n / s;
}

async function main() {
  const baseRate = sqliteBaseline(N_CREATE);

  // Store alone.
  const storeOnly = new SqliteBackend(join(dir, 'store-only.db'));
  let t0 = performance.now();
  for (let i = 0; i < N_CREATE; i++) await storeOnly.create(`/registry/configmaps/default/s-${i}`, cmBody(`s-${i}`));
  report('store creates/s (SqliteBackend)', N_CREATE / ((performance.now() - t0) / 1000), baseRate, 'op/s', true);
  await storeOnly.close();

  // Through the API server.
  const backend = new SqliteBackend(join(dir, 'api.db'));
  const pki = await ensurePki(join(dir, 'pki'), ['127.0.0.1'], ['localhost']);
  const token = 'bench';
  const api = await startApiServer({ backend, pki, tokens: [token], host: '127.0.0.1', port: 0, serviceCIDR: '10.96.0.0/12', nodePortRange: [30000, 32767] });
  const agent = new Agent({ keepAlive: true, maxSockets: 16, ca: pki.caCert });
  const call = (method: string, path: string, body?: string) => new Promise<string>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: api.port, path, method, agent, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => (res.statusCode! < 300 ? resolve(Buffer.concat(chunks).toString()) : reject(new Error(`${res.statusCode} ${Buffer.concat(chunks)}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
  t0 = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next < N_CREATE) {
      const i = next++;
      await call('POST', '/api/v1/namespaces/default/configmaps', cmBody(`a-${i}`));
    }
  }));
  report('API creates/s (HTTPS POST, 16 clients)', N_CREATE / ((performance.now() - t0) / 1000), baseRate, 'op/s', true);

  // List latency at 10k objects.
  for (let i = N_CREATE; i < N_LIST; i++) await backend.create(`/registry/configmaps/default/a-${String(i)}`, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `a-${i}`, namespace: 'default', uid: 'u', creationTimestamp: '2026-01-01T00:00:00Z' }, data: { k: 'v'.repeat(200) } }));
  const times: number[] = [];
  for (let r = 0; r < 7; r++) {
    const t = performance.now();
    const body = await call('GET', '/api/v1/namespaces/default/configmaps');
    times.push(performance.now() - t);
    if (JSON.parse(body).items.length < N_LIST) throw new Error('short list');
  }
  const raw = new DatabaseSync(join(dir, 'api.db'));
  const rawStmt = raw.prepare("SELECT value FROM kv WHERE key >= '/registry/configmaps/default/' AND key < '/registry/configmaps/default/\uffff' ORDER BY key");
  const baseTimes: number[] = [];
  for (let r = 0; r < 7; r++) {
    const t = performance.now();
    const items = (rawStmt.all() as { value: string }[]).map((x) => JSON.parse(x.value));
    JSON.stringify({ items });
    baseTimes.push(performance.now() - t);
  }
  raw.close();
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  report(`list ${N_LIST} objects, median ms`, median(times), median(baseTimes), 'ms', false);

  // Watch fan-out to 100 watchers.
  const rv = JSON.parse(await call('GET', '/api/v1/namespaces/default/configmaps?limit=1')).metadata.resourceVersion;
  const watchAgent = new Agent({ keepAlive: false, maxSockets: WATCHERS + 4, ca: pki.caCert });
  let received = 0;
  const total = WATCHERS * WATCH_EVENTS;
  let done!: () => void;
  const allDone = new Promise<void>((r) => (done = r));
  const reqs = Array.from({ length: WATCHERS }, () => {
    const req = request({ host: '127.0.0.1', port: api.port, path: `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}`, agent: watchAgent, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      let buf = '';
      res.on('data', (d) => {
        buf += d;
        let i;
        while ((i = buf.indexOf('\n')) >= 0) {
          buf = buf.slice(i + 1);
          if (++received === total) done();
        }
      });
      res.on('error', () => {});
    });
    req.on('error', () => {});
    req.end();
    return req;
  });
  await new Promise((r) => setTimeout(r, 500));
  t0 = performance.now();
  for (let i = 0; i < WATCH_EVENTS; i++) await call('POST', '/api/v1/namespaces/default/configmaps', cmBody(`w-${i}`));
  await Promise.race([allDone, new Promise((r) => setTimeout(r, 60_000))]);
  const watchRate = received / ((performance.now() - t0) / 1000);
  reqs.forEach((r) => r.destroy());

  // Baseline: the store's own in-process fan-out of the same number of events.
  const hubStore = new SqliteBackend(join(dir, 'hub.db'));
  let hubReceived = 0;
  const ws = await Promise.all(Array.from({ length: WATCHERS }, () => hubStore.watch('/registry/', 0, () => hubReceived++)));
  t0 = performance.now();
  for (let i = 0; i < WATCH_EVENTS; i++) await hubStore.create(`/registry/configmaps/default/h-${i}`, cmBody(`h-${i}`));
  const hubRate = hubReceived / ((performance.now() - t0) / 1000);
  ws.forEach((w) => w.close());
  await hubStore.close();
  report(`watch fan-out to ${WATCHERS} watchers, events/s`, watchRate, hubRate, 'ev/s', true);

  agent.destroy();
  watchAgent.destroy();
  await api.close();
  await backend.close();
  rmSync(dir, { recursive: true, force: true });

  const header: [string, string, string, string] = ['benchmark', 'knet', 'baseline (same run)', 'ratio'];
  const all = [header, ...rows];
  const w = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  for (const r of all) console.log(r.map((c, i) => c.padEnd(w[i])).join('  '));
  console.log('baselines: creates = plain node:sqlite insert loop (one transaction per row, WAL, synchronous=NORMAL); list = SELECT + JSON.parse + JSON.stringify of the same rows; watch = SqliteBackend in-process fan-out.');
}

const tStart = performance.now();
await main();
console.log(`total ${((performance.now() - tStart) / 1000).toFixed(1)} s`);
// Keep-alive sockets of the client agents may hold the loop open for their idle timeout.
process.exit(0);
