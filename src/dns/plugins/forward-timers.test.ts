// A forwarder that is dropped without close() (an old chain after a reload, while its
// grace period runs) must not keep the process alive: health probes run in the background.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';

const dir = mkdtempSync(join(tmpdir(), 'knet-forward-timers-'));
after(() => rmSync(dir, { recursive: true, force: true }));

it('a failing upstream\'s health probes do not hold the process open', async () => {
  const script = join(dir, 'probe.ts');
  writeFileSync(script, `
import dgram from 'node:dgram';
import { createForwardPlugin } from ${JSON.stringify(new URL('./forward.ts', import.meta.url).pathname)};
import { newQuery } from ${JSON.stringify(new URL('../wire/query.ts', import.meta.url).pathname)};
// A port where nothing listens: every probe fails at once, so the probe loop keeps going.
const s = dgram.createSocket('udp4');
await new Promise((r) => s.bind(0, '127.0.0.1', r));
const port = s.address().port;
await new Promise((r) => s.close(r));
const fwd = createForwardPlugin({ from: '', to: [{ kind: 'address', host: '127.0.0.1', port }], except: [], policy: 'sequential',
  maxFails: 2, healthCheckMs: 50, maxConcurrent: null, forceTcp: false, preferUdp: false, expireMs: 10_000 });
const message = newQuery('example.com', 1);
await fwd.handle({ message, question: message.questions[0], client: { address: '127.0.0.1', port: 1, transport: 'udp' }, maxSize: 512 },
  async () => ({ rcode: 0, answers: [], authority: [], additional: [] })).catch(() => {});
await new Promise((r) => setTimeout(r, 200)); // several probes have run
process.stdout.write('probing\\n');
`);
  const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const exited = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), 4_000);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
  if (!exited) child.kill('SIGKILL');
  assert.match(out, /probing/);
  assert.ok(exited, 'the process exited on its own');
});
