// What a pod finds inside: /etc/resolv.conf, /etc/hosts, its hostname and the environment
// of each container, computed as the kubelet computes them (pkg/kubelet/network/dns,
// kubelet_pods.go: managed hosts file, service environment variables, env valueFrom).
// Pure functions: the agent writes their output into the pod's sandbox.

export interface DnsSettings {
  clusterDNS: string[];
  clusterDomain: string;
  /** The node's own resolv.conf (for dnsPolicy Default and the host's search domains). */
  hostResolv: { nameservers: string[]; searches: string[]; options: string[] };
}

const MAX_NAMESERVERS = 3;
const MAX_SEARCHES = 32;

/** resolv.conf text per dnsPolicy and dnsConfig. */
export function resolvConf(pod: any, dns: DnsSettings): string {
  const spec = pod.spec ?? {};
  let policy: string = spec.dnsPolicy ?? 'ClusterFirst';
  if (spec.hostNetwork && policy === 'ClusterFirst') policy = 'Default';
  let nameservers: string[] = [];
  let searches: string[] = [];
  let options: string[] = [];
  if (policy === 'ClusterFirst' || policy === 'ClusterFirstWithHostNet') {
    const ns = pod.metadata.namespace;
    nameservers = [...dns.clusterDNS];
    searches = [`${ns}.svc.${dns.clusterDomain}`, `svc.${dns.clusterDomain}`, dns.clusterDomain, ...dns.hostResolv.searches];
    options = ['ndots:5'];
  } else if (policy === 'Default') {
    nameservers = [...dns.hostResolv.nameservers];
    searches = [...dns.hostResolv.searches];
    options = [...dns.hostResolv.options];
  }
  const cfg = spec.dnsConfig ?? {};
  nameservers = dedupe([...nameservers, ...(cfg.nameservers ?? [])]).slice(0, MAX_NAMESERVERS);
  searches = dedupe([...searches, ...(cfg.searches ?? [])]).slice(0, MAX_SEARCHES);
  options = mergeOptions(options, cfg.options ?? []);
  const lines: string[] = [];
  if (searches.length) lines.push(`search ${searches.join(' ')}`);
  for (const n of nameservers) lines.push(`nameserver ${n}`);
  if (options.length) lines.push(`options ${options.join(' ')}`);
  return lines.join('\n') + '\n';
}

function dedupe(xs: string[]): string[] {
  return [...new Set(xs.filter(Boolean))];
}

/** Options by name; dnsConfig's replace the policy's (kubelet mergeDNSOptions). */
function mergeOptions(base: string[], extra: { name: string; value?: string }[]): string[] {
  const m = new Map<string, string>();
  for (const o of base) {
    const [k, v] = o.split(':');
    m.set(k, v === undefined ? k : `${k}:${v}`);
  }
  for (const o of extra) m.set(o.name, o.value !== undefined && o.value !== null ? `${o.name}:${o.value}` : o.name);
  return [...m.values()];
}

/** Parses resolv.conf text (the node's). */
export function parseResolvConf(text: string): DnsSettings['hostResolv'] {
  const out = { nameservers: [] as string[], searches: [] as string[], options: [] as string[] };
  for (const raw of text.split('\n')) {
    const f = raw.replace(/[#;].*$/, '').trim().split(/\s+/);
    if (f[0] === 'nameserver' && f[1]) out.nameservers.push(f[1]);
    else if (f[0] === 'search' || f[0] === 'domain') out.searches = f.slice(1);
    else if (f[0] === 'options') out.options.push(...f.slice(1));
  }
  return out;
}

/** The pod's hostname (spec.hostname, else its name, cut to 63 characters as the kubelet does). */
export function podHostname(pod: any): string {
  const h: string = pod.spec?.hostname || pod.metadata.name;
  return h.length > 63 ? h.slice(0, 63).replace(/[-.]+$/, '') : h;
}

/** The kubelet's managed /etc/hosts. */
export function etcHosts(pod: any, podIPs: string[], clusterDomain: string): string {
  const lines = [
    '# Kubernetes-managed hosts file.',
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::0\tip6-localnet',
    'fe00::0\tip6-mcastprefix',
    'fe00::1\tip6-allnodes',
    'fe00::2\tip6-allrouters',
  ];
  const host = podHostname(pod);
  const sub = pod.spec?.subdomain;
  for (const ip of podIPs) {
    lines.push(sub ? `${ip}\t${host}.${sub}.${pod.metadata.namespace}.svc.${clusterDomain}\t${host}` : `${ip}\t${host}`);
  }
  const aliases: any[] = pod.spec?.hostAliases ?? [];
  if (aliases.length) {
    lines.push('', '# Entries added by HostAliases.');
    for (const a of aliases) lines.push(`${a.ip}\t${(a.hostnames ?? []).join('\t')}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * The Service environment variables (kubelet getServiceEnvVarMap): every Service of the pod's
 * namespace with a ClusterIP when enableServiceLinks is on (the default), and always the
 * `kubernetes` Service of `default`.
 */
export function serviceEnv(pod: any, services: any[]): Record<string, string> {
  const links = pod.spec?.enableServiceLinks ?? true;
  const env: Record<string, string> = {};
  const chosen = services.filter((s) => {
    const ip = s.spec?.clusterIP;
    if (!ip || ip === 'None') return false;
    if (s.metadata.namespace === 'default' && s.metadata.name === 'kubernetes') return true;
    return links && s.metadata.namespace === pod.metadata.namespace;
  });
  // The pod's own namespace wins over `default` for a same-named variable.
  chosen.sort((a, b) => Number(a.metadata.namespace === pod.metadata.namespace) - Number(b.metadata.namespace === pod.metadata.namespace));
  for (const s of chosen) {
    const name = s.metadata.name.toUpperCase().replace(/-/g, '_');
    const ip = s.spec.clusterIP;
    const ports: any[] = s.spec.ports ?? [];
    if (!ports.length) continue;
    env[`${name}_SERVICE_HOST`] = ip;
    env[`${name}_SERVICE_PORT`] = String(ports[0].port);
    for (const p of ports) if (p.name) env[`${name}_SERVICE_PORT_${p.name.toUpperCase().replace(/-/g, '_')}`] = String(p.port);
    const url = (p: any) => `${(p.protocol ?? 'TCP').toLowerCase()}://${ip}:${p.port}`;
    env[`${name}_PORT`] = url(ports[0]);
    for (const p of ports) {
      const proto = (p.protocol ?? 'TCP').toUpperCase();
      const base = `${name}_PORT_${p.port}_${proto}`;
      env[base] = url(p);
      env[`${base}_PROTO`] = proto.toLowerCase();
      env[`${base}_PORT`] = String(p.port);
      env[`${base}_ADDR`] = ip;
    }
  }
  return env;
}

export interface EnvSources {
  serviceEnv: Record<string, string>;
  configMaps: Map<string, any>;
  secrets: Map<string, any>;
  nodeName: string;
  hostIP: string;
  podIPs: string[];
}

export type EnvResult = { env: Record<string, string> } | { error: { reason: string; message: string } };

/**
 * A container's environment, as the kubelet builds it: Service variables first, then
 * envFrom, then env (with $(VAR) expansion and valueFrom). A missing ConfigMap or Secret key
 * that is not optional is an error (CreateContainerConfigError), as upstream.
 */
export function containerEnv(pod: any, container: any, src: EnvSources): EnvResult {
  const env: Record<string, string> = { ...src.serviceEnv };
  for (const ef of container.envFrom ?? []) {
    const prefix = ef.prefix ?? '';
    const ref = ef.configMapRef ?? ef.secretRef;
    const store = ef.configMapRef ? src.configMaps : src.secrets;
    const obj = store.get(ref?.name);
    if (!obj) {
      if (ref?.optional) continue;
      return { error: { reason: 'CreateContainerConfigError', message: `${ef.configMapRef ? 'configmap' : 'secret'} "${ref?.name}" not found` } };
    }
    for (const [k, v] of Object.entries(dataOf(obj, !!ef.secretRef))) env[prefix + k] = v;
  }
  for (const e of container.env ?? []) {
    if (e.value !== undefined || !e.valueFrom) {
      env[e.name] = expand(e.value ?? '', env);
      continue;
    }
    const vf = e.valueFrom;
    if (vf.fieldRef) {
      const v = fieldValue(pod, vf.fieldRef.fieldPath, src);
      if (v === undefined) return { error: { reason: 'CreateContainerConfigError', message: `unsupported fieldPath: ${vf.fieldRef.fieldPath}` } };
      env[e.name] = v;
    } else if (vf.configMapKeyRef || vf.secretKeyRef) {
      const ref = vf.configMapKeyRef ?? vf.secretKeyRef;
      const kind = vf.configMapKeyRef ? 'configmap' : 'secret';
      const obj = (vf.configMapKeyRef ? src.configMaps : src.secrets).get(ref.name);
      const data = obj ? dataOf(obj, kind === 'secret') : undefined;
      if (!data || data[ref.key] === undefined) {
        if (ref.optional) continue;
        return { error: { reason: 'CreateContainerConfigError', message: obj ? `couldn't find key ${ref.key} in ${kind === 'configmap' ? 'ConfigMap' : 'Secret'} ${pod.metadata.namespace}/${ref.name}` : `${kind} "${ref.name}" not found` } };
      }
      env[e.name] = data[ref.key];
    } else if (vf.resourceFieldRef) {
      env[e.name] = '0';
    }
  }
  return { env };
}

function dataOf(obj: any, secret: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj.data ?? {})) out[k] = secret ? Buffer.from(String(v), 'base64').toString('utf8') : String(v);
  if (!secret) for (const [k, v] of Object.entries(obj.binaryData ?? {})) out[k] = Buffer.from(String(v), 'base64').toString('utf8');
  return out;
}

function fieldValue(pod: any, path: string, src: EnvSources): string | undefined {
  const m = pod.metadata;
  const ann = /^metadata\.annotations\['(.+)'\]$/.exec(path);
  if (ann) return m.annotations?.[ann[1]] ?? '';
  const lab = /^metadata\.labels\['(.+)'\]$/.exec(path);
  if (lab) return m.labels?.[lab[1]] ?? '';
  switch (path) {
    case 'metadata.name': return m.name;
    case 'metadata.namespace': return m.namespace;
    case 'metadata.uid': return m.uid;
    case 'spec.nodeName': return src.nodeName;
    case 'spec.serviceAccountName': return pod.spec?.serviceAccountName ?? 'default';
    case 'status.hostIP': return src.hostIP;
    case 'status.hostIPs': return src.hostIP;
    case 'status.podIP': return src.podIPs[0] ?? '';
    case 'status.podIPs': return src.podIPs.join(',');
    default: return undefined;
  }
}

/** $(VAR) expansion with $$ as an escape (kubelet's expansion.Expand). */
export function expand(s: string, vars: Record<string, string>): string {
  return s.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (all, name) => {
    if (all === '$$') return '$';
    return vars[name] !== undefined ? vars[name] : all;
  });
}
