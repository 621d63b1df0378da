// `hosts [FILE [ZONES...]] { [INLINE] ttl, no_reverse, reload, fallthrough }`
// (coredns plugin/hosts/README.md). Inline lines are hosts(5) entries: IP NAME [ALIASES...].

import { isIP } from 'node:net';
import { expectArgs, parseDuration, parseFallthrough, parseInteger, parseZone, unknownOption } from '../args.ts';
import { CorefileError } from '../errors.ts';
import type { Directive } from '../parser.ts';
import type { Fallthrough, HostsConfig, HostsEntry } from '../types.ts';

const options = ['ttl', 'no_reverse', 'reload', 'fallthrough'];

export function readHosts(d: Directive, serverZones: readonly string[]): HostsConfig {
  const file = d.args.length > 0 ? d.args[0].text : '/etc/hosts';
  const zones = d.args.length > 1 ? d.args.slice(1).map((a) => parseZone(a)) : [...serverZones];
  const inline: HostsEntry[] = [];
  let ttl = 3600;
  let noReverse = false;
  let reloadMs = 5000;
  let fallthrough: Fallthrough = null;
  for (const o of d.block ?? []) {
    const address = o.name.split('%')[0];
    if (isIP(address) !== 0) {
      if (o.args.length === 0) throw new CorefileError(o.line, `hosts entry "${o.name}" has no name; write: ${o.name} NAME [ALIASES...]`);
      inline.push({ address, names: o.args.map((a) => parseZone(a, 'host name')) });
      continue;
    }
    switch (o.name) {
      case 'ttl':
        expectArgs(o, 1, 1, 'ttl SECONDS');
        ttl = parseInteger(o.args[0], 'hosts ttl', 0, 2_147_483_647);
        break;
      case 'no_reverse':
        expectArgs(o, 0, 0, 'no_reverse');
        noReverse = true;
        break;
      case 'reload':
        expectArgs(o, 1, 1, 'reload DURATION');
        reloadMs = parseDuration(o.args[0], 'reload');
        break;
      case 'fallthrough':
        fallthrough = parseFallthrough(o);
        break;
      default:
        if (/^[0-9a-f:.]+$/i.test(o.name)) throw new CorefileError(o.line, `"${o.name}" is not a valid IP address for a hosts entry`);
        throw unknownOption('hosts', o, [...options, 'IP NAME... (an inline entry)']);
    }
  }
  return { file, zones, inline, ttl, noReverse, reloadMs, fallthrough };
}
