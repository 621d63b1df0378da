// Cluster DNS on a running cluster: knet's DNS server runs as the coredns Deployment behind
// kube-dns (10.96.0.10), and pods ask it with `dig` and busybox `nslookup` over UDP and TCP:
// every record kind for Services in two namespaces, headless Services with hostname and
// subdomain pods, SRV, PTR, ExternalName, pod records, NODATA vs NXDOMAIN, search-path
// resolution, truncation with TCP retry, new and deleted Services within a second, a
// forwarded name through an upstream the test runs inside the cluster (and a Corefile
// reload), SERVFAIL at once for outside names in a hermetic cluster, and answers that keep
// coming while one DNS pod is killed.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster } from './support/harness.ts';
import type { TestCluster } from './support/harness.ts';
import { until } from './support/until.ts';
import { kubectlHelpers } from './support/kubectl.ts';
import { startDataPlane } from '../src/cli/data-plane.ts';
import type { DataPlane } from '../src/cli/data-plane.ts';
import { installClusterDns, knetCorefile } from '../src/cli/cluster-dns.ts';

const AGNHOST = 'registry.k8s.io/e2e-test-images/agnhost:2.53';

interface Answer {
  status: string;
  flags: string;
  answers: string[];
  authority: string[];
  raw: string;
}

/** Parses the sections `q` prints: `== <args>`, then dig's header comments and records. */
function parseDig(log: string): Map<string, Answer> {
  const out = new Map<string, Answer>();
  let cur: Answer | undefined;
  let section = '';
  for (const line of log.split('\n')) {
    if (line.startsWith('== ')) {
      cur = { status: '', flags: '', answers: [], authority: [], raw: '' };
      out.set(line.slice(3).trim(), cur);
      section = '';
      continue;
    }
    if (!cur) continue;
    cur.raw += line + '\n';
    const st = /status: (\w+)/.exec(line);
    if (st) cur.status = st[1];
    const fl = /;; flags: ([^;]*);/.exec(line);
    if (fl) cur.flags = fl[1].trim();
    if (/^;; ANSWER SECTION/.test(line)) section = 'answer';
    else if (/^;; AUTHORITY SECTION/.test(line)) section = 'authority';
    else if (/^;; (ADDITIONAL|OPT) /.test(line)) section = 'other';
    else if (line.trim() && !line.startsWith(';')) {
      const rr = line.trim().split(/\s+/);
      const text = [rr[0], rr[3], ...rr.slice(4)].join(' ');
      if (section === 'answer') cur.answers.push(text);
      else if (section === 'authority') cur.authority.push(text);
    }
  }
  return out;
}

describe('cluster DNS', () => {
  const cluster = `dn${process.pid % 10000}`;
  let c: TestCluster;
  let dp: DataPlane;
  const { kc, json, apply } = kubectlHelpers(() => c);
  let podSeq = 0;
  /** A one-shot pod running a script (debian: the machine's userland, with dig); its log. */
  const podScript = async (ns: string, script: string, image = 'debian') => {
    const name = `q-${++podSeq}`;
    await apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns }, spec: { restartPolicy: 'Never', containers: [{ name: 'main', image, command: ['sh', '-c', script] }] } });
    const p = await until(`${ns}/${name} finished`, async () => {
      const pod = await json('get', 'pod', name, '-n', ns);
      return ['Succeeded', 'Failed'].includes(pod.status?.phase) && pod;
    }, 60_000);
    return { phase: p.status.phase as string, log: await kc('logs', name, '-n', ns), pod: p };
  };
  /** dig each query (`name type [+tcp]`) from a pod in `ns`; answers by query. */
  const dig = async (ns: string, queries: string[]) => {
    const q = 'q() { echo "== $*"; dig +time=2 +tries=2 +nocmd +noquestion +nostats "$@"; }';
    const r = await podScript(ns, [q, ...queries.map((x) => `q ${x}`)].join('\n'));
    return parseDig(r.log);
  };
  const ready = (ns: string, selector: string, n: number) => until(`${n} ready pods ${selector} in ${ns}`, async () => {
    const pods = await json('get', 'pods', '-n', ns, '-l', selector);
    return pods.items.filter((p: any) => p.status?.conditions?.some((x: any) => x.type === 'Ready' && x.status === 'True')).length >= n;
  }, 90_000);

  before(async () => {
    c = await startTestCluster({ controllers: true });
    const api = { server: c.url, token: c.token, caCert: c.caCert };
    dp = await startDataPlane({
      cluster, nodes: 2, backend: 'host-gw', api, dataDir: `${c.dir}/data`,
      log: (m, f) => process.stderr.write(`node: ${m} ${JSON.stringify(f ?? {})}\n`),
    });
    await dp.ready;
    await installClusterDns(api);
    for (const ns of ['ns1', 'ns2']) await kc('create', 'namespace', ns);
    // web in both namespaces, with a named port.
    for (const ns of ['ns1', 'ns2']) {
      await apply({
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: ns },
        spec: {
          replicas: 1, selector: { matchLabels: { app: 'web' } },
          template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: AGNHOST, args: ['netexec', '--http-port=8080', '--udp-port=-1'], ports: [{ name: 'http', containerPort: 8080 }] }] } },
        },
      });
      await apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: ns }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } });
    }
    // A headless Service with two pods that name themselves through hostname/subdomain.
    await apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'db', namespace: 'ns1' }, spec: { clusterIP: 'None', selector: { app: 'db' }, ports: [{ name: 'sql', port: 5432 }] } });
    for (const h of ['db-0', 'db-1']) {
      await apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: h, namespace: 'ns1', labels: { app: 'db' } }, spec: { hostname: h, subdomain: 'db', containers: [{ name: 'db', image: AGNHOST, args: ['netexec', '--http-port=5432', '--udp-port=-1'] }] } });
    }
    await apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext', namespace: 'ns1' }, spec: { type: 'ExternalName', externalName: 'web.ns2.svc.cluster.local' } });
    await ready('kube-system', 'k8s-app=kube-dns', 2);
    await ready('ns1', 'app=web', 1);
    await ready('ns2', 'app=web', 1);
    await ready('ns1', 'app=db', 2);
    await until('kube-dns has two ready endpoints', async () => {
      const sl = await json('get', 'endpointslices', '-n', 'kube-system', '-l', 'kubernetes.io/service-name=kube-dns');
      return sl.items.flatMap((x: any) => x.endpoints ?? []).filter((e: any) => e.conditions.ready).length === 2;
    }, 30_000);
  });
  after(async () => {
    await dp?.stop();
    await c?.close();
  });

  it('answers every record kind of the schema from inside a pod, over UDP and TCP', async () => {
    const web1 = (await json('get', 'service', 'web', '-n', 'ns1')).spec.clusterIP;
    const web2 = (await json('get', 'service', 'web', '-n', 'ns2')).spec.clusterIP;
    const dbPods = (await json('get', 'pods', '-n', 'ns1', '-l', 'app=db')).items;
    const db0 = dbPods.find((p: any) => p.metadata.name === 'db-0').status.podIP;
    const db1 = dbPods.find((p: any) => p.metadata.name === 'db-1').status.podIP;
    const rev = (ip: string) => ip.split('.').reverse().join('.') + '.in-addr.arpa';
    const a = await dig('ns1', [
      'web.ns1.svc.cluster.local A', 'web.ns2.svc.cluster.local A +tcp', 'WEB.Ns1.svc.cluster.local A',
      'dns-version.cluster.local TXT', '_http._tcp.web.ns1.svc.cluster.local SRV',
      'db.ns1.svc.cluster.local A', 'db-0.db.ns1.svc.cluster.local A +tcp', '_sql._tcp.db.ns1.svc.cluster.local SRV',
      `-x ${web1}`, `-x ${db0}`, 'ext.ns1.svc.cluster.local A',
      `${db1.replace(/\./g, '-')}.ns1.pod.cluster.local A`,
      'web.ns1.svc.cluster.local AAAA', 'svc.cluster.local A', 'nope.ns1.svc.cluster.local A', 'web.nosuchns.svc.cluster.local A',
    ]);
    const get = (k: string) => {
      const v = a.get(k);
      assert.ok(v, `no answer for ${k}`);
      return v;
    };
    assert.deepEqual(get('web.ns1.svc.cluster.local A').answers, [`web.ns1.svc.cluster.local. A ${web1}`]);
    assert.match(get('web.ns1.svc.cluster.local A').flags, /\baa\b/, 'authoritative for the cluster zone');
    assert.deepEqual(get('web.ns2.svc.cluster.local A +tcp').answers, [`web.ns2.svc.cluster.local. A ${web2}`]);
    assert.deepEqual(get('WEB.Ns1.svc.cluster.local A').answers, [`WEB.Ns1.svc.cluster.local. A ${web1}`], 'the question\'s case is kept');
    assert.deepEqual(get('dns-version.cluster.local TXT').answers, ['dns-version.cluster.local. TXT "1.1.0"']);
    assert.deepEqual(get('_http._tcp.web.ns1.svc.cluster.local SRV').answers.map((x) => x.split(' ').slice(-2).join(' ')), ['80 web.ns1.svc.cluster.local.']);
    assert.deepEqual(get('db.ns1.svc.cluster.local A').answers.map((x) => x.split(' ').at(-1)).sort(), [db0, db1].sort());
    assert.deepEqual(get('db-0.db.ns1.svc.cluster.local A +tcp').answers, [`db-0.db.ns1.svc.cluster.local. A ${db0}`]);
    assert.deepEqual(get('_sql._tcp.db.ns1.svc.cluster.local SRV').answers.map((x) => x.split(' ').slice(-2).join(' ')).sort(),
      ['5432 db-0.db.ns1.svc.cluster.local.', '5432 db-1.db.ns1.svc.cluster.local.']);
    assert.deepEqual(get(`-x ${web1}`).answers, [`${rev(web1)}. PTR web.ns1.svc.cluster.local.`]);
    assert.deepEqual(get(`-x ${db0}`).answers, [`${rev(db0)}. PTR db-0.db.ns1.svc.cluster.local.`]);
    assert.deepEqual(get('ext.ns1.svc.cluster.local A').answers,
      ['ext.ns1.svc.cluster.local. CNAME web.ns2.svc.cluster.local.', `web.ns2.svc.cluster.local. A ${web2}`], 'ExternalName: CNAME, chased');
    assert.deepEqual(get(`${db1.replace(/\./g, '-')}.ns1.pod.cluster.local A`).answers, [`${db1.replace(/\./g, '-')}.ns1.pod.cluster.local. A ${db1}`]);
    for (const k of ['web.ns1.svc.cluster.local AAAA', 'svc.cluster.local A']) {
      assert.equal(get(k).status, 'NOERROR', `${k}: NODATA`);
      assert.deepEqual(get(k).answers, []);
      assert.match(get(k).authority.join('\n'), /SOA/, `${k}: SOA in authority`);
    }
    for (const k of ['nope.ns1.svc.cluster.local A', 'web.nosuchns.svc.cluster.local A']) {
      assert.equal(get(k).status, 'NXDOMAIN', k);
      assert.match(get(k).authority.join('\n'), /SOA/);
    }
  });

  it('resolves short names through the pod\'s search path, with busybox nslookup and wget too', async () => {
    const web1 = (await json('get', 'service', 'web', '-n', 'ns1')).spec.clusterIP;
    const web2 = (await json('get', 'service', 'web', '-n', 'ns2')).spec.clusterIP;
    // busybox's nslookup walks the search list only for names without a dot (as upstream's
    // busybox does); its wget resolves through the C library, which walks it for any name
    // with fewer than ndots dots. ISC nslookup (debian) walks it for `web.ns2` too.
    const r = await podScript('ns1', 'nslookup web; echo ==; wget -q -O - http://web.ns2.svc:80/hostname; echo', 'busybox'); // (Debian's busybox 1.35 wget crashes on -T)
    const [short, fetched] = r.log.split('==');
    assert.match(short, new RegExp(`Address:?\\s+${web1.replace(/\./g, '\\.')}`), short);
    assert.match(fetched, /web-/, `wget of a name through the search list reached the Service: ${fetched}`);
    const other = (await podScript('ns1', 'nslookup web.ns2')).log;
    assert.match(other, new RegExp(`Address:?\\s+${web2.replace(/\./g, '\\.')}`), other);
    const d = await podScript('ns1', 'dig +search +short web; dig +search +short web.ns2');
    assert.deepEqual(d.log.trim().split('\n'), [web1, web2]);
  });

  it('truncates a 40-endpoint headless answer over UDP and gives it whole over TCP', async () => {
    await apply({
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'many', namespace: 'ns1' },
      spec: { clusterIP: 'None', ports: [{ name: 'p', port: 80 }] },
    });
    await apply({
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: 'IPv4',
      metadata: { name: 'many-x', namespace: 'ns1', labels: { 'kubernetes.io/service-name': 'many' } },
      ports: [{ name: 'p', port: 80, protocol: 'TCP' }],
      endpoints: Array.from({ length: 40 }, (_, i) => ({ addresses: [`10.250.0.${i + 1}`], conditions: { ready: true } })),
    });
    await new Promise((r) => setTimeout(r, 500));
    const r = await podScript('ns1', 'dig +ignore +noedns many.ns1.svc.cluster.local A | grep -E "flags:|^many" | head -3; echo ==; dig +noedns many.ns1.svc.cluster.local A');
    const [udp, retried] = r.log.split('==');
    assert.match(udp, /flags:[^;]*\btc\b/, `UDP answer truncated: ${udp}`);
    assert.match(retried, /Truncated, retrying in TCP mode/);
    assert.equal(retried.split('\n').filter((l) => /^many\.ns1\.svc\.cluster\.local\.\s+\d+\s+IN\s+A\s/.test(l)).length, 40, 'all 40 over TCP');
  });

  it('resolves a new Service within a second and forgets a deleted one within a second', async () => {
    // Timed from the test: create, then ask repeatedly from a pod already running.
    await apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'asker', namespace: 'ns2' }, spec: { containers: [{ name: 'main', image: 'debian', command: ['sleep', '3600'] }] } });
    await until('asker runs', async () => (await json('get', 'pod', 'asker', '-n', 'ns2')).status?.phase === 'Running', 60_000);
    // The pod asks in a loop and says when (the machine's clock) it first saw the change.
    const askLoop = (want: 'present' | 'absent') =>
      `for i in $(seq 500); do a=$(dig +short +time=1 fresh.ns2.svc.cluster.local); if [ ${want === 'present' ? '-n' : '-z'} "$a" ]; then echo at=$(date +%s%3N); exit 0; fi; sleep 0.01; done; echo never`;
    const when = async (want: 'present' | 'absent', change: () => Promise<unknown>) => {
      const asking = kc('exec', '-n', 'ns2', 'asker', '--', 'sh', '-c', askLoop(want));
      await new Promise((r) => setTimeout(r, 1000)); // the loop is running
      const t0 = Date.now();
      await change();
      const out = await asking;
      const at = /at=(\d+)/.exec(out);
      assert.ok(at, `never ${want}: ${out}`);
      return Number(at[1]) - t0;
    };
    const created = await when('present', () => kc('create', 'service', 'clusterip', 'fresh', '-n', 'ns2', '--tcp=80:8080'));
    assert.ok(created < 1000, `resolvable ${created} ms after creation`);
    const deleted = await when('absent', () => kc('delete', 'service', 'fresh', '-n', 'ns2'));
    assert.ok(deleted < 1000, `gone ${deleted} ms after deletion`);
  });

  it('answers SERVFAIL at once for names outside the cluster, and forwards them once an upstream is configured', async () => {
    // An upstream the test runs inside the cluster: knet's DNS server with a hosts entry.
    await kc('create', 'namespace', 'upstream');
    await apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'upstream' }, data: { Corefile: '.:53 {\n  hosts {\n    10.1.2.3 example.test\n  }\n}\n' } });
    await apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'upstream', namespace: 'upstream', labels: { app: 'upstream' } }, spec: { containers: [{ name: 'dns', image: 'registry.k8s.io/coredns/coredns:v1.12.0', args: ['-conf', '/etc/coredns/Corefile'] }] } });
    const up = await until('the upstream has an IP', async () => (await json('get', 'pod', 'upstream', '-n', 'upstream')).status?.podIP, 60_000);
    const before = await podScript('ns1', 'start=$(date +%s%N); dig +time=5 +tries=1 example.test A | grep status; echo ms=$(( ($(date +%s%N)-start)/1000000 ))');
    assert.match(before.log, /status: SERVFAIL/, before.log);
    assert.ok(Number(/ms=(\d+)/.exec(before.log)![1]) < 1000, `SERVFAIL quickly: ${before.log}`);
    const corefile = knetCorefile().replace('    cache 30 {', `    forward . ${up}\n    cache 30 {`);
    await kc('patch', 'configmap', 'coredns', '-n', 'kube-system', '--type=merge', '-p', JSON.stringify({ data: { Corefile: corefile } }));
    const after = await until('the forwarded name resolves', async () => {
      const r = await podScript('ns1', 'dig +short example.test A');
      return r.log.trim() === '10.1.2.3' && r;
    }, 30_000);
    assert.equal(after.log.trim(), '10.1.2.3');
  });

  it('keeps answering while one DNS pod is killed', async () => {
    await apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'steady', namespace: 'ns1' }, spec: { containers: [{ name: 'main', image: 'debian', command: ['sleep', '3600'] }] } });
    await until('steady runs', async () => (await json('get', 'pod', 'steady', '-n', 'ns1')).status?.phase === 'Running', 60_000);
    const victim = (await json('get', 'pods', '-n', 'kube-system', '-l', 'k8s-app=kube-dns')).items[0].metadata.name;
    const loop = kc('exec', '-n', 'ns1', 'steady', '--', 'sh', '-c',
      'ok=0; bad=0; for i in $(seq 60); do if [ -n "$(dig +short +time=1 +tries=3 web.ns1.svc.cluster.local)" ]; then ok=$((ok+1)); else bad=$((bad+1)); fi; sleep 0.05; done; echo ok=$ok bad=$bad');
    await new Promise((r) => setTimeout(r, 300));
    await kc('delete', 'pod', '-n', 'kube-system', victim, '--grace-period=0', '--force');
    const out = await loop;
    assert.match(out, /ok=60 bad=0/, `every query answered (a retry allowed): ${out}`);
  });
});
