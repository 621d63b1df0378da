// Rule text -> statements, for the subset of nft syntax knet's compilers emit. Anything
// else throws, so that a compiler change the tracer does not understand fails its tests
// instead of being traced wrongly.

import { KnetError } from '../../lib/errors.ts';

// ---- AST ------------------------------------------------------------------------------------

export type Field =
  | 'ip saddr' | 'ip daddr' | 'meta l4proto' | 'meta mark' | 'th dport' | 'th sport'
  | 'ct state' | 'ct status' | 'fib saddr type' | 'fib daddr type' | 'fib daddr . iif oif' | 'iifname';

export type Expr = { kind: 'field'; field: Field } | { kind: 'numgen'; mod: number };

export type Rhs =
  | { kind: 'set'; name: string }
  | { kind: 'anon'; values: string[] }
  | { kind: 'value'; value: string };

export type VerdictText = { verdict: 'accept' | 'drop' | 'return' } | { verdict: 'jump' | 'goto'; target: string };

export type Statement =
  | { kind: 'match'; key: Expr[]; op: '==' | '!='; rhs: Rhs }
  | { kind: 'mask'; key: Expr[]; mask: number; op: '==' | '!='; value: number }
  | { kind: 'vmap'; key: Expr[]; map: { name: string } | { entries: [string, VerdictText][] } }
  | { kind: 'verdict'; v: VerdictText }
  | { kind: 'reject'; with: string }
  | { kind: 'dnat'; addr?: string; port?: number; key?: Expr[]; map?: string }
  | { kind: 'masquerade' }
  | { kind: 'counter' }
  | { kind: 'mark-set'; op: '=' | '|' | '^' | '&'; value: number }
  | { kind: 'update'; set: string; key: Expr[] };

export class TraceSyntaxError extends KnetError {
  constructor(rule: string, detail: string) {
    super('nft-trace-unsupported', `tracer cannot read rule "${rule}": ${detail}`);
  }
}

// ---- tokens ---------------------------------------------------------------------------------

function tokenize(text: string): string[] {
  return text.replace(/([{},])/g, ' $1 ').split(/\s+/).filter((t) => t !== '');
}

const FIELDS: Record<string, Record<string, Field>> = {
  ip: { saddr: 'ip saddr', daddr: 'ip daddr' },
  meta: { l4proto: 'meta l4proto', mark: 'meta mark' },
  th: { dport: 'th dport', sport: 'th sport' },
  ct: { state: 'ct state', status: 'ct status' },
};
const VALUE = /^[0-9a-z][0-9a-z./:_-]*$/i;

// ---- parser ---------------------------------------------------------------------------------

export function parseRule(text: string): Statement[] {
  const t = tokenize(text);
  let i = 0;
  const fail = (detail: string): never => { throw new TraceSyntaxError(text, detail); };
  const peek = () => t[i];
  const next = (): string => (i < t.length ? t[i++] : fail('unexpected end of rule'));
  const expect = (tok: string) => { if (next() !== tok) fail(`expected "${tok}" near token ${i}`); };
  const setName = (): string => {
    const tok = next();
    return tok.startsWith('@') && tok.length > 1 ? tok.slice(1) : fail(`expected @set, got "${tok}"`);
  };
  const number = (tok: string): number => (/^(0x[0-9a-f]+|\d+)$/i.test(tok) ? Number(tok) : fail(`"${tok}" is not a number`));

  const tryExpr = (): Expr | undefined => {
    const a = t[i], b = t[i + 1];
    if (a === 'fib' && (b === 'saddr' || b === 'daddr') && t[i + 2] === 'type') {
      i += 3;
      return { kind: 'field', field: `fib ${b} type` as Field };
    }
    if (a === 'iifname' || (a === 'meta' && b === 'iifname')) {
      i += a === 'iifname' ? 1 : 2;
      return { kind: 'field', field: 'iifname' };
    }
    if (a === 'fib' && b === 'daddr' && t[i + 2] === '.' && t[i + 3] === 'iif' && t[i + 4] === 'oif') {
      i += 5;
      return { kind: 'field', field: 'fib daddr . iif oif' };
    }
    if (a === 'numgen') {
      i++;
      expect('random');
      expect('mod');
      return { kind: 'numgen', mod: number(next()) };
    }
    const f = FIELDS[a]?.[b];
    if (f && !(a === 'meta' && b === 'mark' && t[i + 2] === 'set')) {
      i += 2;
      return { kind: 'field', field: f };
    }
    return undefined;
  };
  const concat = (first: Expr): Expr[] => {
    const key = [first];
    while (peek() === '.') {
      i++;
      key.push(tryExpr() ?? fail(`expected an expression after "."`));
    }
    return key;
  };
  const braceList = (): string[][] => {
    expect('{');
    const items: string[][] = [[]];
    for (let tok = next(); tok !== '}'; tok = next()) {
      if (tok === ',') items.push([]);
      else items[items.length - 1].push(tok);
    }
    return items.filter((x) => x.length > 0);
  };
  const verdictOf = (toks: string[]): VerdictText => {
    if (toks.length === 1 && (toks[0] === 'accept' || toks[0] === 'drop' || toks[0] === 'return')) return { verdict: toks[0] };
    if (toks.length === 2 && (toks[0] === 'jump' || toks[0] === 'goto')) return { verdict: toks[0], target: toks[1] };
    return fail(`"${toks.join(' ')}" is not a verdict`);
  };

  const out: Statement[] = [];
  while (i < t.length) {
    const tok = peek();
    if (tok === 'counter') { i++; out.push({ kind: 'counter' }); continue; }
    if (tok === 'accept' || tok === 'drop' || tok === 'return') { i++; out.push({ kind: 'verdict', v: { verdict: tok } }); continue; }
    if (tok === 'jump' || tok === 'goto') { i++; out.push({ kind: 'verdict', v: { verdict: tok, target: next() } }); continue; }
    if (tok === 'reject') {
      i++;
      let how = 'icmp port-unreachable';
      if (peek() === 'with') {
        i++;
        const kind = next(), what = next();
        if (kind === 'tcp' && what === 'reset') how = 'tcp reset';
        else if (kind === 'icmp' && (what === 'port-unreachable' || what === 'host-unreachable' || what === 'admin-prohibited')) how = `icmp ${what}`;
        else if (kind === 'icmp' && what === 'type') how = `icmp ${next()}`;
        else fail(`reject with ${kind} ${what}`);
      }
      out.push({ kind: 'reject', with: how });
      continue;
    }
    if (tok === 'masquerade') {
      i++;
      while (peek() === 'fully-random' || peek() === 'random' || peek() === 'persistent') i++;
      out.push({ kind: 'masquerade' });
      continue;
    }
    if (tok === 'dnat') {
      i++;
      if (peek() === 'ip') i++;
      expect('to');
      const lit = peek()?.match(/^(\d+\.\d+\.\d+\.\d+)(?::(\d+))?$/);
      if (lit) {
        i++;
        out.push({ kind: 'dnat', addr: lit[1], port: lit[2] ? Number(lit[2]) : undefined });
        continue;
      }
      const first = tryExpr() ?? fail('dnat to needs an address or a map lookup');
      const key = concat(first);
      expect('map');
      out.push({ kind: 'dnat', key, map: setName() });
      continue;
    }
    if (tok === 'update' || tok === 'add') {
      i++;
      const set = setName();
      expect('{');
      const key = concat(tryExpr() ?? fail('update needs a key expression'));
      expect('}');
      out.push({ kind: 'update', set, key });
      continue;
    }
    if (tok === 'meta' && t[i + 1] === 'mark' && t[i + 2] === 'set') {
      i += 3;
      if (peek() === 'meta' && t[i + 1] === 'mark') {
        i += 2;
        const op = next();
        if (op !== '|' && op !== '^' && op !== '&' && op !== 'or' && op !== 'xor' && op !== 'and') fail(`mark operator "${op}"`);
        const norm = ({ or: '|', xor: '^', and: '&' } as Record<string, '|' | '^' | '&'>)[op] ?? (op as '|' | '^' | '&');
        out.push({ kind: 'mark-set', op: norm, value: number(next()) });
      } else {
        out.push({ kind: 'mark-set', op: '=', value: number(next()) });
      }
      continue;
    }
    const first = tryExpr();
    if (!first) fail(`unknown token "${tok}"`);
    const key = concat(first!);
    const after = peek();
    if (after === 'vmap') {
      i++;
      if (peek() === '{') {
        const entries = braceList().map((item): [string, VerdictText] => {
          const colon = item.indexOf(':');
          if (colon < 1) fail('vmap entry without ":"');
          return [item.slice(0, colon).join(' '), verdictOf(item.slice(colon + 1))];
        });
        out.push({ kind: 'vmap', key, map: { entries } });
      } else {
        out.push({ kind: 'vmap', key, map: { name: setName() } });
      }
      continue;
    }
    if (after === '&') {
      i++;
      const mask = number(next());
      let op: '==' | '!=' = '==';
      if (peek() === '==' || peek() === '!=') op = next() as '==' | '!=';
      out.push({ kind: 'mask', key, mask, op, value: number(next()) });
      continue;
    }
    let op: '==' | '!=' = '==';
    if (peek() === '==' || peek() === '!=') op = next() as '==' | '!=';
    const rhsTok = peek();
    if (rhsTok === undefined) fail('match without a value');
    if (rhsTok.startsWith('@')) out.push({ kind: 'match', key, op, rhs: { kind: 'set', name: setName() } });
    else if (rhsTok === '{') out.push({ kind: 'match', key, op, rhs: { kind: 'anon', values: braceList().map((x) => x.join(' ')) } });
    else if (VALUE.test(rhsTok)) { i++; out.push({ kind: 'match', key, op, rhs: { kind: 'value', value: rhsTok } }); }
    else if (/^"[^"]*"$/.test(rhsTok)) { i++; out.push({ kind: 'match', key, op, rhs: { kind: 'value', value: rhsTok.slice(1, -1) } }); }
    else fail(`"${rhsTok}" is not a value`);
  }
  return out;
}
