import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort, freeUdpPort, killStarted, runToExit, startProgram, udpRequest } from '../test-support.ts';
import type { Program } from '../test-support.ts';

after(killStarted);

describe('agnhost netexec', () => {
  let netexec: Program;
  let http: number;
  let udp: number;
  let uploads: string;
  const get = (p: string, init?: RequestInit) => fetch(`http://127.0.0.1:${http}${p}`, { redirect: 'manual', ...init });

  before(async () => {
    http = await freePort();
    udp = await freeUdpPort();
    uploads = fs.mkdtempSync(path.join(os.tmpdir(), 'knet-netexec-'));
    netexec = startProgram('agnhost', ['netexec', `--http-port=${http}`, '--udp-port', String(udp)], { KNET_NETEXEC_UPLOAD_DIR: uploads });
    await netexec.waitFor(/Started UDP server on port  \d+/);
    await netexec.waitFor(/Started HTTP server on port/);
    for (let i = 0; i < 50; i++) {
      try { await get('/healthz'); break; } catch { await new Promise((r) => setTimeout(r, 50)); }
    }
  });
  after(() => fs.rmSync(uploads, { recursive: true, force: true }));

  it('serves the plain endpoints', async () => {
    assert.match(await (await get('/')).text(), /^NOW: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ /);
    assert.match(await (await get('/clientip')).text(), /^127\.0\.0\.1:\d+$/);
    assert.equal(await (await get('/hostname')).text(), os.hostname());
    assert.equal(await (await get('/hostName')).text(), os.hostname());
    assert.equal((await get('/healthz')).status, 200);
    assert.equal(await (await get('/readyz')).text(), 'ok');
    const echo = await get('/echo?msg=hello%20there&code=418');
    assert.equal(echo.status, 418);
    assert.equal(await echo.text(), 'hello there');
    assert.match(await (await get('/echo?msg=x&code=abc')).text(), /^argument 'code' must be an integer or empty, got "abc"\n$/);
    assert.match(netexec.output(), /GET \/echo\?msg=hello there&code=418/);
  });

  it('reports headers', async () => {
    assert.equal(await (await get('/header?key=x-test', { headers: { 'X-Test': 'v1' } })).text(), 'v1');
    const all = JSON.parse(await (await get('/header', { headers: { 'X-Test': 'v1' } })).text());
    assert.deepEqual(all['X-Test'], ['v1']);
    assert.equal(all.Host, undefined);
  });

  it('redirects', async () => {
    const res = await get('/redirect?location=/echo%3Fmsg%3Dfoo&code=307');
    assert.equal(res.status, 307);
    assert.equal(res.headers.get('location'), '/echo?msg=foo');
  });

  it('runs shell commands and returns Go-shaped JSON', async () => {
    assert.equal(await (await get('/shell?shellCommand=echo%20hi')).text(), '{"output":"hi\\n"}');
    assert.equal(await (await get('/shell?cmd=echo%20%27%3Cx%3E%27%3B%20exit%203')).text(), '{"error":"exit status 3","output":"\\u003cx\\u003e\\n"}');
  });

  it('accepts uploads', async () => {
    const form = new FormData();
    form.append('file', new Blob(['payload']), 'f.txt');
    const res = await get('/upload', { method: 'POST', body: form });
    assert.equal(res.status, 201);
    const { output } = JSON.parse(await res.text()) as { output: string };
    assert.equal(fs.readFileSync(output, 'utf8'), 'payload');
    assert.equal(path.dirname(output), uploads);
    assert.equal(await (await get('/upload', { method: 'POST' })).text(), '{"error":"Unable to upload file."}');
  });

  it('dials HTTP and UDP targets', async () => {
    const viaHttp = JSON.parse(await (await get(`/dial?request=hostname&host=127.0.0.1&port=${http}&tries=2`)).text());
    assert.deepEqual(viaHttp, { responses: [os.hostname(), os.hostname()] });
    const viaUdp = JSON.parse(await (await get(`/dial?request=echo%20Hi&protocol=udp&host=127.0.0.1&port=${udp}`)).text());
    assert.deepEqual(viaUdp, { responses: ['hi'] });
    const closed = await freePort();
    const refused = JSON.parse(await (await get(`/dial?request=hostname&host=127.0.0.1&port=${closed}`)).text());
    assert.deepEqual(refused, { errors: [`Get "http://127.0.0.1:${closed}/hostname": dial tcp 127.0.0.1:${closed}: connect: connection refused`] });
    const bad = await get('/dial?host=127.0.0.1&port=1');
    assert.equal(bad.status, 400);
    assert.equal(await bad.text(), 'request parameter not specified. <nil>\n');
    assert.equal((await get('/dial?request=x&protocol=icmp&host=127.0.0.1&port=1')).status, 400);
  });

  it('answers UDP commands', async () => {
    assert.equal(await udpRequest(udp, 'hostname\n'), os.hostname());
    assert.equal(await udpRequest(udp, 'echo Some Text'), 'some text');
    assert.match(await udpRequest(udp, 'clientip'), /^127\.0\.0\.1:\d+$/);
  });

  it('exits 0 on SIGTERM and /exit uses the given code', async () => {
    process.kill(netexec.child.pid!, 'SIGTERM');
    assert.deepEqual(await netexec.exited, { code: 0, signal: null });
    const port = await freePort();
    const other = startProgram('agnhost', ['netexec', `--http-port=${port}`, '--udp-port=-1']);
    await other.waitFor(/Started HTTP server/);
    await new Promise((r) => setTimeout(r, 300));
    // Without a UDP server upstream never becomes healthy.
    assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 412);
    await fetch(`http://127.0.0.1:${port}/exit?code=7`).catch(() => undefined);
    assert.equal((await other.exited).code, 7);
  });
});

describe('agnhost serve-hostname', () => {
  it('answers over HTTP, and over TCP and UDP when asked', async () => {
    const port = await freePort();
    const httpServer = startProgram('agnhost', ['serve-hostname', '--port', String(port)]);
    await httpServer.waitFor(/Serving on port/);
    assert.equal(await (await fetch(`http://127.0.0.1:${port}/anything`)).text(), os.hostname());
    process.kill(httpServer.child.pid!, 'SIGKILL');

    const raw = await freePort();
    const rawServer = startProgram('agnhost', ['serve-hostname', '--http=false', '--tcp', '--udp', `--port=${raw}`], { KNET_SERVE_HOSTNAME_LINGER_MS: '10' });
    await rawServer.waitFor(/Serving on port/);
    const net = await import('node:net');
    const viaTcp = await new Promise<string>((resolve, reject) => {
      let got = '';
      net.connect(raw, '127.0.0.1').on('data', (d) => { got += d; }).on('end', () => resolve(got)).on('error', reject);
    });
    assert.equal(viaTcp, os.hostname());
    assert.equal(await udpRequest(raw, 'x'), os.hostname());
    process.kill(rawServer.child.pid!, 'SIGTERM');
    assert.equal((await rawServer.exited).code, 0);
    assert.match(rawServer.output(), /Shutting down after receiving signal: terminated\.\n.*Awaiting pod deletion\./);
  });
  it('refuses HTTP together with TCP', async () => {
    const { code, output } = await runToExit('agnhost', ['serve-hostname', '--tcp']);
    assert.equal(code, 1);
    assert.match(output, /Can't server TCP\/UDP mode and HTTP mode at the same time/);
  });
});

describe('agnhost connect', () => {
  it('exits 0 when the port accepts and prints REFUSED otherwise', async () => {
    const port = await freePort();
    const server = startProgram('agnhost', ['serve-hostname', `--port=${port}`]);
    await server.waitFor(/Serving on port/);
    assert.deepEqual(await runToExit('agnhost', ['connect', `127.0.0.1:${port}`, '--timeout=5s']), { code: 0, output: '' });
    process.kill(server.child.pid!, 'SIGKILL');
    await server.exited;
    assert.deepEqual(await runToExit('agnhost', ['connect', `127.0.0.1:${port}`, '--timeout=5s']), { code: 1, output: 'REFUSED\n' });
  });
  it('classifies bad input and UDP refusals', async () => {
    assert.deepEqual(await runToExit('agnhost', ['connect', 'nohostport']), { code: 1, output: 'UNKNOWN: address nohostport: missing port in address\n' });
    const udp = await runToExit('agnhost', ['connect', '--protocol=udp', '--timeout=2s', `127.0.0.1:${await freeUdpPort()}`]);
    assert.equal(udp.code, 1);
    assert.match(udp.output, /^REFUSED: read udp 127\.0\.0\.1:\d+->127\.0\.0\.1:\d+: read: connection refused\n$/);
    const missing = await runToExit('agnhost', ['connect']);
    assert.equal(missing.code, 1);
    assert.match(missing.output, /^Error: accepts 1 arg\(s\), received 0/);
  });
});

describe('agnhost misc', () => {
  it('pause exits 2 on SIGTERM as upstream', async () => {
    const p = startProgram('agnhost', ['pause']);
    await p.waitFor(/Paused/);
    process.kill(p.child.pid!, 'SIGTERM');
    assert.equal((await p.exited).code, 2);
  });
  it('prints /etc/hosts and rejects unknown subcommands', async () => {
    const hosts = await runToExit('agnhost', ['etc-hosts']);
    assert.equal(hosts.output, fs.readFileSync('/etc/hosts', 'utf8') + '\n');
    const unknown = await runToExit('agnhost', ['nope']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.output, /^Error: unknown command "nope" for "agnhost"/);
  });
});
