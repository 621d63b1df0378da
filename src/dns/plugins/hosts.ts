// The `hosts` plugin: A, AAAA and PTR answers from hosts(5) data (coredns plugin/hosts).
// Entries come from the Corefile's inline lines and from file content the caller reads and
// hands over (setFileContent, e.g. on the reload timer): this module does no I/O.
// - As CoreDNS's hosts (since v1.7, #3536): a name with some A/AAAA but none of the asked
//   type gets NODATA (authoritative, never passed on). An unknown name goes down the chain
//   with `fallthrough`; without it the answer is SERVFAIL, because a hosts file has no SOA
//   to make an NXDOMAIN cacheable and believable (RFC 2308 §3).
// - PTR answers come from every entry unless `no_reverse`, whatever the plugin's zones; a
//   PTR the table cannot answer always goes down the chain.

import { isIP } from 'node:net';
import { ipFromReverseName, reverseName, toLowerName } from '../wire/names.ts';
import { Rcode, RRClass, RRType, type ResourceRecord } from '../wire/types.ts';
import { fallsThrough, matchZone, type HostsConfig, type HostsEntry } from '../corefile/index.ts';
import type { DnsPlugin } from '../server/plugin.ts';

/** Parses /etc/hosts-format text; lines whose first field is not an IP address are skipped. */
export function parseHostsFile(content: string): HostsEntry[] {
  const entries: HostsEntry[] = [];
  for (const raw of content.split('\n')) {
    const line = raw.split('#')[0].trim();
    if (line === '') continue;
    const [ip, ...names] = line.split(/\s+/);
    const address = ip.split('%')[0];
    if (isIP(address) === 0 || names.length === 0) continue;
    entries.push({ address, names: names.map((n) => toLowerName(n)) });
  }
  return entries;
}

interface HostsTable {
  v4: Map<string, string[]>;
  v6: Map<string, string[]>;
  /** Reverse name -> host names, in file order. */
  ptr: Map<string, string[]>;
}

function addUnique(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else if (!list.includes(value)) list.push(value);
}

function buildTable(entries: readonly HostsEntry[]): HostsTable {
  const t: HostsTable = { v4: new Map(), v6: new Map(), ptr: new Map() };
  for (const e of entries) {
    const family = isIP(e.address);
    for (const name of e.names) {
      addUnique(family === 4 ? t.v4 : t.v6, name, e.address);
      addUnique(t.ptr, toLowerName(reverseName(e.address)), name);
    }
  }
  return t;
}

export interface HostsPlugin extends DnsPlugin {
  /** Replaces the file part of the data (the inline lines stay). */
  setFileContent(content: string): void;
  /** Number of distinct names served (coredns_hosts_entries). */
  entries(): number;
}

export function createHostsPlugin(config: HostsConfig, opts: { fileContent?: string } = {}): HostsPlugin {
  let table = buildTable([...config.inline, ...parseHostsFile(opts.fileContent ?? '')]);

  const record = (name: string, type: number, data: ResourceRecord['data']): ResourceRecord =>
    ({ name, type, class: RRClass.IN, ttl: config.ttl, data });

  return {
    name: 'hosts',
    setFileContent(content) {
      table = buildTable([...config.inline, ...parseHostsFile(content)]);
    },
    entries() {
      return new Set([...table.v4.keys(), ...table.v6.keys()]).size;
    },
    async handle(req, next) {
      const q = req.question;
      const inZones = matchZone(config.zones, q.name) !== undefined;
      if (!inZones && q.type !== RRType.PTR) return next(req);
      const lower = toLowerName(q.name);
      let answers: ResourceRecord[] = [];
      if (q.type === RRType.PTR) {
        if (!config.noReverse && ipFromReverseName(lower) !== undefined) {
          answers = (table.ptr.get(lower) ?? []).map((target) => record(q.name, RRType.PTR, { type: RRType.PTR, target }));
        }
        if (answers.length === 0) return next(req);
      } else if (q.type === RRType.A) {
        answers = (table.v4.get(lower) ?? []).map((address) => record(q.name, RRType.A, { type: RRType.A, address }));
      } else if (q.type === RRType.AAAA) {
        answers = (table.v6.get(lower) ?? []).map((address) => record(q.name, RRType.AAAA, { type: RRType.AAAA, address }));
      }
      if (answers.length > 0) return { rcode: Rcode.NOERROR, aa: true, answers, authority: [], additional: [] };
      if (table.v4.has(lower) || table.v6.has(lower)) return { rcode: Rcode.NOERROR, aa: true, answers: [], authority: [], additional: [] };
      if (fallsThrough(config.fallthrough, q.name)) return next(req);
      return { rcode: Rcode.SERVFAIL, answers: [], authority: [], additional: [] };
    },
  };
}
