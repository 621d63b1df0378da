// Entry point of the knet command: the only place that reads argv and the environment.

import { parseArgs } from 'node:util';
import { KnetError } from '../lib/errors.ts';
import { parseIPv4 } from '../lib/ip.ts';
import { down, kubeconfig, status, up } from '../cli/commands.ts';

const USAGE = `knet: Kubernetes networking made real on one Linux machine

Usage:
  knet up [--name N] [--nodes K] [--backend B] [--no-default-app] [--detach] [--api-port P]
                                                 start or resume a cluster; prints its kubeconfig path
  knet down [--name N]                           stop a cluster (its data stays for the next up)
  knet status                                    list clusters and what runs
  knet kubeconfig [--name N]                     print the path of a cluster's kubeconfig

Options:
  --name N       cluster name (default "knet")
  --nodes K      nodes (network namespaces running pods; default 2, 0 for the control plane alone)
  --backend B    routes between nodes: host-gw (default) or vxlan
  --no-default-app  do not install the Hello World app (deployment/hello, service/hello)
  --publish ADDR    the host address LoadBalancer Services are published on (default 127.0.0.1)
  --detach       run in the background and return once the cluster is ready
  --api-port P   API server port on 127.0.0.1 (default 6443, or the next free one)
  --store URL    store backend: sqlite:<path> (default, in the cluster's data directory) or memory:
`;

async function main(argv: string[]): Promise<void> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === 'help' || cmd === '--help' || cmd === '-h') {
    process.stdout.write(USAGE);
    return;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      name: { type: 'string', default: 'knet' },
      detach: { type: 'boolean', default: false },
      'api-port': { type: 'string' },
      store: { type: 'string' },
      nodes: { type: 'string', default: '2' },
      backend: { type: 'string', default: 'host-gw' },
      'no-default-app': { type: 'boolean', default: false },
      publish: { type: 'string', default: '127.0.0.1' },
    },
    strict: true,
  });
  const apiPort = values['api-port'] !== undefined ? Number(values['api-port']) : undefined;
  if (apiPort !== undefined && !(Number.isInteger(apiPort) && apiPort > 0 && apiPort < 65536)) {
    throw new KnetError('bad-flag', `--api-port ${values['api-port']} is not a port number (1-65535)`);
  }
  const nodes = Number(values.nodes);
  if (!Number.isInteger(nodes) || nodes < 0 || nodes > 100) throw new KnetError('bad-flag', `--nodes ${values.nodes} is not a node count (0-100)`);
  if (values.backend !== 'host-gw' && values.backend !== 'vxlan') throw new KnetError('bad-flag', `--backend ${values.backend} is not a backend: use host-gw or vxlan`);
  if (parseIPv4(values.publish!) === undefined) throw new KnetError('bad-flag', `--publish ${values.publish} is not an IPv4 address of this machine (for example 127.0.0.1)`);
  switch (cmd) {
    case 'up':
      return up({ name: values.name!, detach: values.detach!, apiPort, store: values.store, nodes, backend: values.backend, defaultApp: !values['no-default-app'], publish: values.publish! });
    case 'down':
      return down(values.name!);
    case 'status':
      return status();
    case 'kubeconfig':
      return kubeconfig(values.name!);
    default:
      throw new KnetError('bad-command', `unknown command "${cmd}"; run knet --help`);
  }
}

main(process.argv.slice(2)).catch((err) => {
  const msg = err instanceof KnetError || (err as { code?: string })?.code?.startsWith?.('ERR_PARSE_ARGS')
    ? (err as Error).message
    : (err as Error)?.stack ?? String(err);
  process.stderr.write(`knet: error: ${msg}\n`);
  process.exit(1);
});
