// The `rewrite name` plugin (coredns plugin/rewrite): changes the question's name before the
// rest of the chain sees it and, for `exact` rules and `answer auto` / `answer name`, maps
// names in the response back so the client sees the name it asked for (resolvers drop answers
// whose owner does not match their question).
// Matching is done as CoreDNS does it: on the lowercased, absolute name WITH its trailing dot,
// so Corefile rules written either way ("suffix .a.com. .b.com." or ".a.com .b.com") work.

import { Rcode, type ResourceRecord } from '../wire/types.ts';
import { toLowerName } from '../wire/names.ts';
import type { RewriteRule } from '../corefile/index.ts';
import type { DnsPlugin, DnsRequest, DnsResponse } from '../server/plugin.ts';

const fqdn = (name: string) => (name === '' || name === '.' ? '.' : `${toLowerName(name)}.`);
const withDot = (s: string) => (s.endsWith('.') ? s.toLowerCase() : `${s.toLowerCase()}.`);
const unFqdn = (name: string) => (name === '.' ? '' : name.replace(/\.$/, ''));

/** `{1}`-style group references in a regex rule's target. */
function expand(template: string, groups: RegExpExecArray): string {
  return template.replace(/\{(\d+)\}/g, (_, n: string) => groups[Number(n)] ?? '');
}

function validName(name: string): boolean {
  if (name === '.') return true;
  if (!name.endsWith('.') || name.length > 254) return false;
  return name.slice(0, -1).split('.').every((l) => l.length > 0 && l.length <= 63);
}

interface CompiledRule {
  rule: RewriteRule;
  /** Returns the rewritten FQDN, or undefined when the rule does not match. */
  apply(name: string): string | undefined;
  /** Maps a response owner name (FQDN) back; `asked`/`rewritten` are the FQDNs of this query. */
  reverse(name: string, asked: string, rewritten: string): string;
}

function compile(rule: RewriteRule): CompiledRule {
  const from = rule.from.toLowerCase();
  const to = rule.to.toLowerCase();
  let apply: (n: string) => string | undefined;
  let autoReverse: (n: string, asked: string, rewritten: string) => string = (n, asked, rewritten) => (n === rewritten ? asked : n);
  switch (rule.match) {
    case 'exact': {
      const f = withDot(from);
      const t = withDot(to);
      apply = (n) => (n === f ? t : undefined);
      break;
    }
    case 'prefix':
      apply = (n) => (n.startsWith(from) ? to + n.slice(from.length) : undefined);
      autoReverse = (n) => (n.startsWith(to) ? from + n.slice(to.length) : n);
      break;
    case 'suffix': {
      const f = withDot(from);
      const t = withDot(to);
      apply = (n) => (n.endsWith(f) ? n.slice(0, n.length - f.length) + t : undefined);
      autoReverse = (n) => (n.endsWith(t) ? n.slice(0, n.length - t.length) + f : n);
      break;
    }
    case 'substring':
      apply = (n) => (n.includes(from) ? n.split(from).join(to) : undefined);
      autoReverse = (n) => (to !== '' && n.includes(to) ? n.split(to).join(from) : n);
      break;
    case 'regex': {
      const re = new RegExp(rule.from);
      apply = (n) => {
        const m = re.exec(n);
        return m ? withDot(expand(rule.to, m)) : undefined;
      };
      break;
    }
  }
  let reverse: CompiledRule['reverse'] = (n) => n;
  const answer = rule.answer;
  if (answer?.kind === 'name') {
    const re = new RegExp(answer.from);
    reverse = (n) => {
      const m = re.exec(n);
      return m ? withDot(expand(answer.to, m)) : n;
    };
  } else if (answer?.kind === 'auto') {
    reverse = autoReverse;
  } else if (rule.match === 'exact') {
    // CoreDNS always maps exact rewrites back.
    reverse = (n, asked, rewritten) => (n === rewritten ? asked : n);
  }
  return { rule, apply, reverse };
}

export function createRewritePlugin(rules: readonly RewriteRule[]): DnsPlugin {
  const compiled = rules.map(compile);
  return {
    name: 'rewrite',
    async handle(req, next) {
      const asked = fqdn(req.question.name);
      let current = asked;
      const applied: CompiledRule[] = [];
      for (const c of compiled) {
        const out = c.apply(current);
        if (out === undefined) continue;
        current = out;
        applied.push(c);
        if (c.rule.mode === 'stop') break;
      }
      if (applied.length === 0) return next(req);
      if (!validName(current)) {
        // CoreDNS answers with an error when a rule produces something that is not a name.
        return { rcode: Rcode.SERVFAIL, answers: [], authority: [], additional: [] };
      }
      const question = { ...req.question, name: unFqdn(current) };
      const rewritten: DnsRequest = { ...req, question, message: { ...req.message, questions: [question, ...req.message.questions.slice(1)] } };
      const res = await next(rewritten);
      const mapBack = (records: ResourceRecord[]) => records.map((r) => {
        let name = fqdn(r.name);
        for (let i = applied.length - 1; i >= 0; i--) name = applied[i].reverse(name, asked, current);
        // Keep the client's spelling for its own name.
        return name === asked ? { ...r, name: req.question.name } : name === fqdn(r.name) ? r : { ...r, name: unFqdn(name) };
      });
      const out: DnsResponse = { ...res, answers: mapBack(res.answers), authority: mapBack(res.authority), additional: mapBack(res.additional) };
      return out;
    },
  };
}
