// Plugins run in the order given (order is data, decided by whoever builds the list, as
// CoreDNS's plugin.cfg decides it). Falling off the end is SERVFAIL, as CoreDNS's
// plugin.NextOrFailure ("no next plugin found") makes it: a name nobody was authoritative
// for and nobody forwarded fails fast instead of timing out. (CoreDNS answers REFUSED only
// when no server block matches the zone at all, which a single "." chain never hits.)

import { Rcode } from '../wire/types.ts';
import type { DnsHandler, DnsPlugin, DnsRequest, DnsResponse } from './plugin.ts';

export function endOfChain(): Promise<DnsResponse> {
  return Promise.resolve({ rcode: Rcode.SERVFAIL, answers: [], authority: [], additional: [] });
}

export function buildChain(plugins: DnsPlugin[]): DnsHandler {
  const list = [...plugins];
  // Build the links once; every request walks the same closures.
  let next: DnsHandler = endOfChain;
  for (let i = list.length - 1; i >= 0; i--) {
    const plugin = list[i];
    const after = next;
    next = (req: DnsRequest) => plugin.handle(req, after);
  }
  return next;
}
