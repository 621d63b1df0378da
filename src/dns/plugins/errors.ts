// The `errors` plugin: the one place where a failure below it is logged (habit 5). A plugin
// that throws becomes a SERVFAIL for the client, as a CoreDNS handler returning an error does.

import type { Logger } from '../../lib/log.ts';
import { Rcode } from '../wire/types.ts';
import type { DnsPlugin } from '../server/plugin.ts';

export function createErrorsPlugin(log: Logger): DnsPlugin {
  return {
    name: 'errors',
    async handle(req, next) {
      try {
        return await next(req);
      } catch (e) {
        log('query failed', {
          rcode: 'SERVFAIL', name: req.question.name, qtype: req.question.type,
          client: `${req.client.address}:${req.client.port}`, error: e instanceof Error ? e.message : String(e),
        });
        return { rcode: Rcode.SERVFAIL, answers: [], authority: [], additional: [] };
      }
    },
  };
}
