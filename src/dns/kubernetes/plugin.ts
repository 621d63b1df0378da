// The `kubernetes` plugin: answers the cluster zones from a ClusterView, passes on what is
// not its own (and name errors in fallthrough zones), and completes ExternalName answers
// by resolving the CNAME target outside the zones, as CoreDNS does through its upstream.

import type { DnsPlugin, DnsRequest, DnsResponse, Next } from '../server/plugin.ts';
import { RRClass } from '../wire/types.ts';
import { resolveOptions, type KubernetesOptions } from './options.ts';
import { resolveKubernetes } from './resolve.ts';
import type { ClusterView } from './view.ts';

export interface KubernetesPluginOptions extends KubernetesOptions {
  /**
   * Resolves an ExternalName target outside the zones. Defaults to the rest of the chain
   * (`next`); the server may pass its whole chain instead, as CoreDNS's upstream does.
   */
  resolveTarget?: (req: DnsRequest) => Promise<DnsResponse>;
}

export function kubernetesPlugin(view: ClusterView, options: KubernetesPluginOptions): DnsPlugin {
  const resolved = resolveOptions(options);
  const resolveTarget = options.resolveTarget;
  return {
    name: 'kubernetes',
    async handle(req: DnsRequest, next: Next): Promise<DnsResponse> {
      const res = resolveKubernetes(view, req.question, resolved);
      if (res.next) return next(req);
      const out: DnsResponse = {
        rcode: res.rcode, aa: res.aa, answers: res.answers, authority: res.authority, additional: res.additional,
      };
      // Answers from the view alone may be replayed while the view stays as it is; not the
      // SERVFAIL of an unsynced view, nor a CNAME chased through other plugins.
      if (!res.chase) {
        out.memo = view.synced && (res.rcode === 0 || res.rcode === 3);
        return out;
      }
      const question = { name: res.chase.name, type: res.chase.type, class: RRClass.IN };
      const sub: DnsRequest = { ...req, question, message: { ...req.message, questions: [question] } };
      try {
        const target = await (resolveTarget ?? next)(sub);
        // Like CoreDNS: the target's records follow the CNAME whatever its rcode; an
        // unresolvable target leaves the CNAME for the client to follow.
        out.answers = [...out.answers, ...target.answers];
      } catch {
        // The CNAME alone is still a correct answer.
      }
      return out;
    },
  };
}
