import assert from 'node:assert/strict';
import os from 'node:os';
import { after, describe, it } from 'node:test';
import { freePort, killStarted, runToExit, startProgram } from '../test-support.ts';
import { welcomePage } from './nginx.ts';

after(killStarted);

describe('http-echo', () => {
  it('answers the text plus a newline, logs access lines, exits 2 on TERM like upstream', async () => {
    const port = await freePort();
    const p = startProgram('http-echo', ['-text=hello world', `-listen=:${port}`]);
    await p.waitFor(/\[INFO\] server is listening on :\d+/);
    const res = await fetch(`http://127.0.0.1:${port}/any/path`);
    assert.equal(await res.text(), 'hello world\n');
    assert.equal(res.headers.get('x-app-name'), 'http-echo');
    assert.equal(await (await fetch(`http://127.0.0.1:${port}/health`)).text(), '{"status":"ok"}\n');
    await p.waitFor(/\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d 127\.0\.0\.1:\d+ 127\.0\.0\.1:\d+ "GET \/any\/path HTTP\/1\.1" 200 12 "node" /);
    process.kill(p.child.pid!, 'SIGTERM');
    assert.equal((await p.exited).code, 2);
    assert.match(p.output(), /received interrupt, shutting down/);
  });
  it('requires -text', async () => {
    const r = await runToExit('http-echo', []);
    assert.deepEqual(r, { code: 127, output: 'Missing -text option OR ENV var TEXT is empty!\n' });
  });
});

describe('whoami', () => {
  it('dumps hostname, IPs, remote address and the request', async () => {
    const port = await freePort();
    const p = startProgram('whoami', ['--port', String(port), '--name', 'w1']);
    await p.waitFor(/Starting up on port \d+/);
    await new Promise((r) => setTimeout(r, 100));
    const body = await (await fetch(`http://127.0.0.1:${port}/some?x=1`, { headers: { 'X-Zed': 'z', 'X-Abc': 'a' } })).text();
    const lines = body.split('\n');
    assert.equal(lines[0], 'Name: w1');
    assert.equal(lines[1], `Hostname: ${os.hostname()}`);
    assert.ok(lines.includes('IP: 127.0.0.1'), body);
    assert.match(body, /\nRemoteAddr: 127\.0\.0\.1:\d+\nGET \/some\?x=1 HTTP\/1\.1\r\nHost: 127\.0\.0\.1:\d+\r\nUser-Agent: node\r\n/);
    assert.ok(body.indexOf('X-Abc: a\r\n') < body.indexOf('X-Zed: z\r\n'), 'headers sorted');
    assert.ok(body.endsWith('\r\n\r\n'));
    assert.equal((await fetch(`http://127.0.0.1:${port}/health`)).status, 200);
    const api = await (await fetch(`http://127.0.0.1:${port}/api`)).json() as { hostname: string };
    assert.equal(api.hostname, os.hostname());
    process.kill(p.child.pid!, 'SIGTERM');
    assert.equal((await p.exited).signal, 'SIGTERM');
  });
});

describe('hello-app', () => {
  it('greets with version and hostname on $PORT', async () => {
    const port = await freePort();
    const p = startProgram('hello-app', [], { PORT: String(port), KNET_HELLO_APP_VERSION: '2.0.0' });
    await p.waitFor(/Server listening on port \d+/);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(await (await fetch(`http://127.0.0.1:${port}/x`)).text(), `Hello, world!\nVersion: 2.0.0\nHostname: ${os.hostname()}\n`);
    await p.waitFor(/Serving request: \/x/);
    process.kill(p.child.pid!, 'SIGTERM');
    assert.equal((await p.exited).signal, 'SIGTERM');
  });
});

describe('nginx', () => {
  it('serves the welcome page, 404s, logs like nginx and exits 0 on TERM', async () => {
    const port = await freePort();
    const p = startProgram('nginx', [`--port=${port}`]);
    await p.waitFor(/start worker processes/);
    const ok = await fetch(`http://127.0.0.1:${port}/`, { headers: { 'User-Agent': 'curl/8.5.0' } });
    assert.equal(ok.status, 200);
    assert.match(ok.headers.get('server') ?? '', /^nginx\/\d/);
    const page = await ok.text();
    assert.equal(page, welcomePage);
    assert.equal(Buffer.byteLength(page), 615);
    const missing = await fetch(`http://127.0.0.1:${port}/nope`);
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /<center><h1>404 Not Found<\/h1><\/center>/);
    await p.waitFor(/127\.0\.0\.1 - - \[\d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}\] "GET \/ HTTP\/1\.1" 200 615 "-" "curl\/8\.5\.0" "-"\n/);
    await p.waitFor(/"GET \/nope HTTP\/1\.1" 404 \d+ /);
    process.kill(p.child.pid!, 'SIGTERM');
    assert.deepEqual(await p.exited, { code: 0, signal: null });
    assert.match(p.output(), /signal 15 \(SIGTERM\) received, exiting/);
  });
});

describe('pause', () => {
  it('sleeps until SIGTERM and exits 0', async () => {
    const p = startProgram('pause', []);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(p.child.exitCode, null);
    process.kill(p.child.pid!, 'SIGTERM');
    assert.deepEqual(await p.exited, { code: 0, signal: null });
    assert.equal(p.output(), 'Shutting down, got signal: Terminated\n');
  });
});
