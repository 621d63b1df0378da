// `kubernetes [ZONES...] { ... }` (coredns plugin/kubernetes/README.md), the options knet serves.

import { expectArgs, parseDuration, parseFallthrough, parseInteger, parseZone, unknownOption } from '../args.ts';
import { CorefileError } from '../errors.ts';
import type { Directive } from '../parser.ts';
import type { Fallthrough, KubernetesConfig } from '../types.ts';
import { isSubdomain } from '../../wire/names.ts';

const options = ['pods', 'ttl', 'fallthrough', 'endpoint_pod_names', 'ignore', 'namespaces', 'noendpoints', 'startup_timeout'];

// CoreDNS options that make no sense for knet (it always reads its own API server in-cluster)
// or that knet has not built; naming them gives a clearer error than "unknown option".
const notSupported = ['endpoint', 'tls', 'kubeconfig', 'labels', 'namespace_labels', 'multicluster',
  'apiserver_qps', 'apiserver_burst', 'apiserver_max_inflight', 'resyncperiod', 'upstream', 'transfer'];

export function readKubernetes(d: Directive, serverZones: readonly string[]): KubernetesConfig {
  const zones = d.args.length > 0 ? d.args.map((a) => parseZone(a)) : [...serverZones];
  // CoreDNS refuses this too ("non-reverse zone name must be used"): Service names need a
  // forward zone, and reverse answers are derived from the names the forward zone serves.
  if (!zones.some((z) => !isReverseZone(z))) {
    const shown = zones.map((z) => (z === '' ? '.' : z)).join(' ');
    throw new CorefileError(d.line, `kubernetes needs a forward zone, not only reverse ones (${shown}); write e.g. "kubernetes cluster.local in-addr.arpa ip6.arpa"`);
  }
  let pods: KubernetesConfig['pods'] = 'disabled';
  let ttl = 5;
  let fallthrough: Fallthrough = null;
  let endpointPodNames = false;
  let ignoreEmptyService = false;
  let namespaces: string[] = [];
  let noEndpoints = false;
  let startupTimeoutMs = 5000;
  for (const o of d.block ?? []) {
    switch (o.name) {
      case 'pods': {
        expectArgs(o, 1, 1, 'pods disabled|insecure|verified');
        const v = o.args[0].text;
        if (v !== 'disabled' && v !== 'insecure' && v !== 'verified') {
          throw new CorefileError(o.line, `pods must be disabled, insecure or verified, not "${v}"`);
        }
        pods = v;
        break;
      }
      case 'ttl':
        expectArgs(o, 1, 1, 'ttl SECONDS (0-3600)');
        ttl = parseInteger(o.args[0], 'kubernetes ttl', 0, 3600);
        break;
      case 'fallthrough':
        fallthrough = parseFallthrough(o);
        break;
      case 'endpoint_pod_names':
        expectArgs(o, 0, 0, 'endpoint_pod_names');
        endpointPodNames = true;
        break;
      case 'ignore':
        expectArgs(o, 1, 1, 'ignore empty_service');
        if (o.args[0].text !== 'empty_service') {
          throw new CorefileError(o.line, `ignore only knows empty_service, not "${o.args[0].text}"`);
        }
        ignoreEmptyService = true;
        break;
      case 'namespaces':
        expectArgs(o, 1, Infinity, 'namespaces NAMESPACE...');
        namespaces = o.args.map((a) => a.text);
        break;
      case 'noendpoints':
        expectArgs(o, 0, 0, 'noendpoints');
        noEndpoints = true;
        break;
      case 'startup_timeout':
        expectArgs(o, 1, 1, 'startup_timeout DURATION');
        startupTimeoutMs = parseDuration(o.args[0], 'startup_timeout');
        break;
      default:
        if (notSupported.includes(o.name)) {
          throw new CorefileError(o.line, `kubernetes option "${o.name}" is not supported by knet; remove it (knet reads the cluster through its own API server)`);
        }
        throw unknownOption('kubernetes', o, options);
    }
  }
  return { zones, pods, ttl, fallthrough, endpointPodNames, ignoreEmptyService, namespaces, noEndpoints, startupTimeoutMs };
}

function isReverseZone(zone: string): boolean {
  return isSubdomain(zone, 'in-addr.arpa') || isSubdomain(zone, 'ip6.arpa');
}
