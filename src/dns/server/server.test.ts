import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import dgram from 'node:dgram';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeMessage } from '../wire/decode.ts';
import { encodeMessage } from '../wire/encode.ts';
import { mutate, prng, randomPacket, seedMessages } from '../wire/fuzz-inputs.ts';
import type { DnsMessage, ResourceRecord } from '../wire/types.ts';
import { Rcode } from '../wire/types.ts';
import { buildChain } from './chain.ts';
import type { DnsPlugin } from './plugin.ts';
import type { DnsServer } from './server.ts';
import { startDnsServer } from './server.ts';
import { newQuery } from '../wire/query.ts';

const HOST = '127.0.0.1';

function query(name: string, id: number, type = 1, edns = false): DnsMessage {
  return newQuery(name, type, { id, ...(edns ? { edns: { udpPayloadSize: 1232, extendedRcode: 0, version: 0, dnssecOk: false, options: [] } } : {}) });
}

/** Test zone: web.test -> one A; big.test -> 100 A; slow-N.test answers after N ms; boom.test throws. */
const testZone: DnsPlugin = {
  name: 'test-zone',
  async handle(req, next) {
    const name = req.question.name.toLowerCase();
    const a = (i: number): ResourceRecord => ({ name: req.question.name, type: 1, class: 1, ttl: 30, data: { type: 1, address: `10.0.${i >> 8}.${i & 255}` } });
    const slow = /^slow-(\d+)\.test$/.exec(name);
    if (slow) await sleep(Number(slow[1]));
    if (name === 'boom.test') throw new Error('zone exploded');
    if (name === 'web.test' || slow) return { rcode: Rcode.NOERROR, aa: true, answers: [a(7)], authority: [], additional: [] };
    if (name === 'big.test') return { rcode: Rcode.NOERROR, aa: true, answers: Array.from({ length: 100 }, (_, i) => a(i)), authority: [], additional: [] };
    return next(req);
  },
};

function udpAsk(port: number, packet: Uint8Array, timeoutMs = 1000): Promise<DnsMessage | undefined> {
  return new Promise((resolve, reject) => {
    const sock = dgram.createSocket('udp4');
    const timer = setTimeout(() => {
      sock.close();
      resolve(undefined);
    }, timeoutMs);
    sock.on('message', (msg) => {
      clearTimeout(timer);
      sock.close();
      try {
        resolve(decodeMessage(msg));
      } catch (err) {
        reject(err);
      }
    });
    sock.send(packet, port, HOST);
  });
}

/** A TCP client that splits the stream into DNS messages. */
class TcpClient {
  readonly sock: net.Socket;
  readonly messages: DnsMessage[] = [];
  closed = false;
  private buf = Buffer.alloc(0);
  private readonly ready: Promise<void>;

  constructor(port: number) {
    this.sock = net.connect(port, HOST);
    this.ready = new Promise((resolve, reject) => {
      this.sock.once('connect', () => resolve());
      this.sock.once('error', reject);
    });
    this.sock.on('error', () => {});
    this.sock.on('close', () => (this.closed = true));
    this.sock.on('data', (chunk) => {
      this.buf = Buffer.concat([this.buf, chunk]);
      while (this.buf.length >= 2 && this.buf.length >= 2 + this.buf.readUInt16BE(0)) {
        const len = this.buf.readUInt16BE(0);
        this.messages.push(decodeMessage(this.buf.subarray(2, 2 + len)));
        this.buf = this.buf.subarray(2 + len);
      }
    });
  }

  connected(): Promise<void> {
    return this.ready;
  }

  static frame(msg: DnsMessage): Buffer {
    const body = encodeMessage(msg);
    const out = Buffer.alloc(2 + body.length);
    out.writeUInt16BE(body.length, 0);
    out.set(body, 2);
    return out;
  }

  async waitFor(n: number, timeoutMs = 2000): Promise<DnsMessage[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.messages.length < n && Date.now() < deadline && !this.closed) await sleep(5);
    return this.messages;
  }

  async waitClosed(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) await sleep(5);
    return this.closed;
  }
}

function dig(port: number, args: string[]): Promise<string> {
  return new Promise((resolve) => {
    execFile('dig', [`@${HOST}`, '-p', String(port), '+tries=1', '+time=2', ...args], (_err, stdout) => resolve(stdout));
  });
}

describe('DNS server on loopback', () => {
  let server: DnsServer;
  const errors: [unknown, string][] = [];

  before(async () => {
    server = await startDnsServer({
      host: HOST,
      port: 0,
      handler: buildChain([testZone]),
      tcpIdleTimeoutMs: 300,
      tcpReadTimeoutMs: 600,
      maxTcpConnections: 4,
      onError: (err, ctx) => errors.push([err, ctx.stage]),
    });
  });
  after(async () => {
    await server?.close();
  });

  it('listens on one ephemeral port for UDP and TCP', () => {
    assert.ok(server.udpPort > 0);
    assert.equal(server.udpPort, server.tcpPort);
  });

  it('answers over UDP', async () => {
    const r = await udpAsk(server.udpPort, encodeMessage(query('WEB.test', 99)));
    assert.equal(r?.id, 99);
    assert.equal(r?.rcode, Rcode.NOERROR);
    assert.equal(r?.answers[0].name, 'WEB.test');
    assert.deepEqual(r?.answers[0].data, { type: 1, address: '10.0.0.7' });
  });

  it('answers several pipelined TCP queries on one connection as they complete', async () => {
    const c = new TcpClient(server.tcpPort);
    await c.connected();
    c.sock.write(Buffer.concat([TcpClient.frame(query('slow-150.test', 1)), TcpClient.frame(query('slow-1.test', 2)), TcpClient.frame(query('web.test', 3))]));
    const got = await c.waitFor(3);
    assert.equal(got.length, 3);
    assert.deepEqual(new Set(got.map((m) => m.id)), new Set([1, 2, 3]));
    assert.equal(got[got.length - 1].id, 1, 'the slow one comes back last');
    c.sock.write(TcpClient.frame(query('web.test', 4)));
    assert.equal((await c.waitFor(4))[3]?.id, 4, 'connection stays usable');
    c.sock.destroy();
  });

  it('reassembles frames split across writes, down to single octets', async () => {
    const c = new TcpClient(server.tcpPort);
    await c.connected();
    const bytes = Buffer.concat([TcpClient.frame(query('web.test', 11)), TcpClient.frame(query('web.test', 12))]);
    for (const b of bytes) {
      c.sock.write(Uint8Array.of(b));
      await sleep(1);
    }
    const got = await c.waitFor(2);
    assert.deepEqual(got.map((m) => m.id), [11, 12]);
    c.sock.destroy();
  });

  it('sends whole answers over TCP and truncates them over UDP', async () => {
    const c = new TcpClient(server.tcpPort);
    await c.connected();
    c.sock.write(TcpClient.frame(query('big.test', 21)));
    const [r] = await c.waitFor(1);
    assert.equal(r.answers.length, 100);
    assert.equal(r.tc, false);
    c.sock.destroy();
    const u = await udpAsk(server.udpPort, encodeMessage(query('big.test', 22)));
    assert.equal(u?.tc, true);
    assert.ok(u && u.answers.length > 0 && u.answers.length < 100);
  });

  it('closes idle TCP connections after the idle timeout', async () => {
    const c = new TcpClient(server.tcpPort);
    await c.connected();
    const t0 = Date.now();
    assert.ok(await c.waitClosed(2000), 'closed by the server');
    assert.ok(Date.now() - t0 >= 250, `closed after ${Date.now() - t0} ms`);
  });

  it('closes a connection that trickles one frame slower than the read timeout', async () => {
    const c = new TcpClient(server.tcpPort);
    await c.connected();
    const t0 = Date.now();
    const frame = TcpClient.frame(query('web.test', 61));
    // One octet every 100 ms: never idle for 300 ms, but the frame takes ~3 s.
    for (let i = 0; i < frame.length - 1 && !c.closed; i++) {
      c.sock.write(frame.subarray(i, i + 1));
      await sleep(100);
    }
    assert.ok(c.closed, 'closed while the frame was still arriving');
    const took = Date.now() - t0;
    assert.ok(took >= 550 && took < 1200, `closed after ${took} ms`);
    assert.equal(c.messages.length, 0);
  });

  it('lets a connection with slow but complete frames live on, idle timeout between them', async () => {
    const c = new TcpClient(server.tcpPort);
    await c.connected();
    for (const id of [71, 72, 73]) {
      const frame = TcpClient.frame(query('web.test', id));
      c.sock.write(frame.subarray(0, 5));
      await sleep(200);
      c.sock.write(frame.subarray(5));
      await c.waitFor(id - 70);
      await sleep(200);
    }
    assert.deepEqual(c.messages.map((m) => m.id), [71, 72, 73]);
    assert.equal(c.closed, false);
    assert.ok(await c.waitClosed(1000), 'then idles out');
  });

  it('does not close a connection whose query is still being answered', async () => {
    const c = new TcpClient(server.tcpPort);
    await c.connected();
    c.sock.write(TcpClient.frame(query('slow-500.test', 31)));
    const [r] = await c.waitFor(1, 2000);
    assert.equal(r?.id, 31);
    c.sock.destroy();
  });

  it('closes connections beyond maxTcpConnections', async () => {
    const clients = Array.from({ length: 4 }, () => new TcpClient(server.tcpPort));
    await Promise.all(clients.map((c) => c.connected()));
    await sleep(50);
    const extra = new TcpClient(server.tcpPort);
    assert.ok(await extra.waitClosed(1000), 'fifth connection closed');
    for (const c of clients) c.sock.destroy();
    await sleep(50);
    const again = new TcpClient(server.tcpPort);
    await again.connected();
    again.sock.write(TcpClient.frame(query('web.test', 41)));
    assert.equal((await again.waitFor(1))[0]?.id, 41, 'room again once others left');
    again.sock.destroy();
  });

  it('answers SERVFAIL and reports when the handler throws', async () => {
    const before = errors.length;
    const r = await udpAsk(server.udpPort, encodeMessage(query('boom.test', 51)));
    assert.equal(r?.rcode, Rcode.SERVFAIL);
    assert.equal(errors.length, before + 1);
    assert.equal(errors[errors.length - 1][1], 'handler');
    assert.match(String(errors[errors.length - 1][0]), /zone exploded/);
  });

  it('survives garbage over UDP and TCP and keeps answering', async () => {
    const seed = Date.now() % 1e9;
    const rnd = prng(seed);
    const seeds = [...seedMessages(), encodeMessage(query('web.test', 5))];
    const deadline = Date.now() + 1500;
    const sender = dgram.createSocket('udp4');
    let sent = 0;
    while (Date.now() < deadline) {
      const burst: Promise<void>[] = [];
      for (let i = 0; i < 50; i++) {
        const p = rnd() < 0.3 ? randomPacket(rnd) : mutate(seeds[Math.floor(rnd() * seeds.length)], rnd);
        burst.push(new Promise((resolve) => sender.send(p, server.udpPort, HOST, () => resolve())));
        sent++;
      }
      await Promise.all(burst);
      // TCP: random frames, a lying length prefix, or raw noise, then hang up
      const c = new TcpClient(server.tcpPort);
      await c.connected().catch(() => {});
      const chunks: Buffer[] = [];
      for (let i = 0; i < 5; i++) {
        const p = rnd() < 0.5 ? randomPacket(rnd) : mutate(seeds[Math.floor(rnd() * seeds.length)], rnd);
        const framed = Buffer.alloc(2 + p.length);
        framed.writeUInt16BE(rnd() < 0.9 ? p.length : Math.floor(rnd() * 65536), 0);
        framed.set(p, 2);
        chunks.push(rnd() < 0.2 ? Buffer.from(p) : framed);
      }
      c.sock.end(Buffer.concat(chunks));
    }
    sender.close();
    assert.ok(sent > 1000, `sent ${sent}`);
    await sleep(100);
    const u = await udpAsk(server.udpPort, encodeMessage(query('web.test', 61)));
    assert.equal(u?.rcode, Rcode.NOERROR, `seed ${seed}`);
    const c = new TcpClient(server.tcpPort);
    await c.connected();
    c.sock.write(TcpClient.frame(query('web.test', 62)));
    assert.equal((await c.waitFor(1))[0]?.id, 62);
    c.sock.destroy();
    const unexpected = errors.filter(([, stage]) => stage !== 'handler');
    assert.deepEqual(unexpected, [], `seed ${seed}`);
  });

  it('serves dig over UDP and TCP, and dig retries truncated answers over TCP', async () => {
    const plain = await dig(server.udpPort, ['web.test', 'A']);
    assert.match(plain, /status: NOERROR/);
    assert.match(plain, /flags: qr aa rd;/);
    assert.match(plain, /web\.test\.\s+30\s+IN\s+A\s+10\.0\.0\.7/);
    assert.match(plain, /EDNS: version: 0, flags:; udp: 1232/);
    const overTcp = await dig(server.tcpPort, ['+tcp', 'web.test']);
    assert.match(overTcp, /10\.0\.0\.7/);
    const truncated = await dig(server.udpPort, ['+ignore', '+noedns', 'big.test']);
    assert.match(truncated, /flags: qr aa tc rd;/);
    const retried = await dig(server.udpPort, ['big.test']);
    assert.match(retried, /Truncated, retrying in TCP mode/);
    assert.match(retried, /ANSWER: 100,/);
    const servfail = await dig(server.udpPort, ['not.mine']);
    assert.match(servfail, /status: SERVFAIL/);
    const badvers = await dig(server.udpPort, ['+edns=1', '+noednsnegotiation', 'web.test']);
    assert.match(badvers, /status: BADVERS/);
    const notimp = await dig(server.udpPort, ['+opcode=2', 'web.test']);
    assert.match(notimp, /status: NOTIMP/);
  });
});

describe('binding', () => {
  it('uses one fixed port for both transports and fails cleanly when it is taken', async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, HOST, () => r()));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const s = await startDnsServer({ host: HOST, port, handler: buildChain([]) });
    try {
      assert.equal(s.udpPort, port);
      assert.equal(s.tcpPort, port);
      await assert.rejects(startDnsServer({ host: HOST, port, handler: buildChain([]) }), /EADDRINUSE/);
      const r = await udpAsk(port, encodeMessage(query('x.test', 1)));
      assert.equal(r?.rcode, Rcode.SERVFAIL);
    } finally {
      await s.close();
    }
    // the port is free again
    const again = await startDnsServer({ host: HOST, port, handler: buildChain([]) });
    await again.close();
  });
});
