// The `log` plugin: one line per query, after it is answered (coredns plugin/log), through
// an injected logger. `class` filters by outcome: success (NOERROR with data), denial
// (NXDOMAIN, NODATA), error (everything else); names filter by zone.

import type { Logger } from '../../lib/log.ts';
import { Rcode } from '../wire/types.ts';
import { matchZone, type LogConfig } from '../corefile/index.ts';
import type { DnsPlugin, DnsResponse } from '../server/plugin.ts';
import { queryTypeLabel, rcodeLabel } from './prometheus.ts';

export function responseClass(res: DnsResponse): 'success' | 'denial' | 'error' {
  if (res.rcode === Rcode.NXDOMAIN) return 'denial';
  if (res.rcode === Rcode.NOERROR) return res.answers.length === 0 ? 'denial' : 'success';
  return 'error';
}

export function createLogPlugin(config: LogConfig, log: Logger, opts: { now?: () => number } = {}): DnsPlugin {
  const now = opts.now ?? (() => performance.now());
  const all = config.classes.includes('all');
  return {
    name: 'log',
    async handle(req, next) {
      const start = now();
      const res = await next(req);
      if (config.zones.length > 0 && matchZone(config.zones, req.question.name) === undefined) return res;
      const cls = responseClass(res);
      if (!all && !config.classes.includes(cls)) return res;
      const seconds = (now() - start) / 1000;
      const q = req.question;
      const type = queryTypeLabel(q.type) === 'other' ? `TYPE${q.type}` : queryTypeLabel(q.type);
      const rcode = rcodeLabel(res.rcode);
      log(`${req.client.address}:${req.client.port} - ${req.message.id} "${type} ${q.name}. ${req.client.transport}" ${rcode} ${seconds.toFixed(6)}s`, {
        client: req.client.address, port: req.client.port, id: req.message.id, type, name: q.name,
        proto: req.client.transport, rcode, answers: res.answers.length, durationSeconds: seconds,
      });
      return res;
    },
  };
}
