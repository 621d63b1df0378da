// The pieces of `nft -f` syntax every script needs: names, comments, set and chain headers.
// nft 1.0.6 (the version knet runs on) refuses quoted table, chain and set names, so names
// cannot be quoted: they are checked against nft's identifier pattern instead. Rule text and
// elements are checked for the characters that would end a command early (newline, `;`),
// so a bad value fails at render time with the offending name instead of as a broken script.

import { KnetError } from '../lib/errors.ts';
import type { BaseChainSpec, Chain, NftMap, NftSet, Table } from './model.ts';

/** nft's scanner: a letter, `_` or `.` first, then letters, digits and `/ - _ .` (scanner.l). */
const IDENTIFIER = /^[A-Za-z_.][A-Za-z0-9/\-_.]*$/;
/** NFT_NAME_MAXLEN is 256 bytes including the terminating NUL. */
const NAME_MAX = 255;
/** NFTNL_UDATA_COMMENT_MAXLEN: nft refuses longer comments ("128 characters maximum"), in bytes. */
export const COMMENT_MAX_BYTES = 128;
/** Elements per `add element` statement. nft itself has no limit (300,000 in one statement
 *  load fine and at the same speed), but nft's error report repeats the whole offending line,
 *  so bounded lines keep a failed transaction's message readable. */
export const ELEMENTS_PER_STATEMENT = 1000;

export function checkName(what: string, name: string): string {
  if (!IDENTIFIER.test(name) || name.length > NAME_MAX) {
    throw new KnetError('nft-bad-model', `nft ${what} name "${name}" is not an nft identifier (a letter, "_" or "." first, then letters, digits, "/", "-", "_", "."; at most ${NAME_MAX} characters)`);
  }
  return name;
}

/**
 * nft's quoted strings have no escapes and end at the next `"`, so double quotes become
 * single quotes, control characters spaces, and the text is cut to 128 bytes on a character
 * boundary (nft refuses longer comments rather than truncating them).
 */
export function quoteComment(text: string): string {
  let s = text.replace(/"/g, "'").replace(/[\u0000-\u001f\u007f]/g, ' ');
  while (Buffer.byteLength(s, 'utf8') > COMMENT_MAX_BYTES) s = [...s].slice(0, -1).join('');
  return `"${s}"`;
}

export function checkRuleText(chain: string, text: string): string {
  const t = text.trim();
  if (!t || /[\n\r;#]/.test(t)) {
    throw new KnetError('nft-bad-model', `rule in chain "${chain}" must be one non-empty nft statement without newline, ";" or "#": ${JSON.stringify(text)}`);
  }
  return t;
}

/** Set elements cannot contain separators of the element list or of commands. */
export function checkElement(set: string, text: string): string {
  // The common case, an element already written in canonical form, costs one scan.
  if (text !== '' && !/[\n\r;#,{}]|\s\s|^\s|\s$|[\t\f\v]/.test(text)) return text;
  const t = text.trim().replace(/\s+/g, ' ');
  if (!t || /[\n\r;#,{}]/.test(t)) {
    throw new KnetError('nft-bad-model', `element of "${set}" must be a single element without ",", ";", "#", braces or newline: ${JSON.stringify(text)}`);
  }
  return t;
}

export function tableRef(t: Pick<Table, 'family' | 'name'>): string {
  return `${t.family} ${checkName('table', t.name)}`;
}

export function priorityText(p: BaseChainSpec['priority']): string {
  if (typeof p === 'number') return String(p);
  const t = p.trim();
  if (!/^(-?\d+|[a-z]+(\s*[+-]\s*\d+)?)$/.test(t)) throw new KnetError('nft-bad-model', `chain priority "${p}" is neither a number nor a named priority such as "dstnat - 10"`);
  return t.replace(/\s*([+-])\s*/, ' $1 ');
}

/** The inside of a chain's `{ }`: hook, priority, policy and comment, each ending in `;`. */
export function chainSpecBody(c: Chain): string {
  const parts: string[] = [];
  if (c.base) {
    parts.push(`type ${c.base.type} hook ${c.base.hook} priority ${priorityText(c.base.priority)};`);
    if (c.base.policy) parts.push(`policy ${c.base.policy};`);
  }
  if (c.comment) parts.push(`comment ${quoteComment(c.comment)};`);
  return parts.join(' ');
}

/** The inside of a set's or map's `{ }` without its elements. */
export function setSpecBody(s: NftSet | NftMap, kind: 'set' | 'map'): string {
  const parts: string[] = [];
  if (kind === 'set') {
    const set = s as NftSet;
    if (set.typeof) parts.push(`typeof ${set.typeof};`);
    else if (set.type) parts.push(`type ${set.type};`);
    else throw new KnetError('nft-bad-model', `set "${s.name}" needs typeof or type`);
  } else {
    const map = s as NftMap;
    if (map.typeofKey && map.typeofValue) parts.push(`typeof ${map.typeofKey} : ${map.typeofValue};`);
    else if (map.type) parts.push(`type ${map.type};`);
    else throw new KnetError('nft-bad-model', `map "${s.name}" needs typeofKey and typeofValue, or type`);
  }
  for (const p of parts) if (/[\n\r#{}]/.test(p) || p.slice(0, -1).includes(';')) throw new KnetError('nft-bad-model', `${kind} "${s.name}" has a malformed type: ${p}`);
  if (s.flags?.length) parts.push(`flags ${[...s.flags].join(', ')};`);
  if (s.timeout) {
    if (!/^[0-9dhms]+$/.test(s.timeout)) throw new KnetError('nft-bad-model', `${kind} "${s.name}" timeout "${s.timeout}" is not an nft time such as 10800s`);
    parts.push(`timeout ${s.timeout};`);
  }
  if (s.comment) parts.push(`comment ${quoteComment(s.comment)};`);
  return parts.join(' ');
}

export function ruleLine(t: Table, chain: string, r: { text: string; comment?: string }): string {
  const c = r.comment ? ` comment ${quoteComment(r.comment)}` : '';
  return `add rule ${tableRef(t)} ${chain} ${checkRuleText(chain, r.text)}${c}`;
}

/** `add element` (or `delete element`) statements, ELEMENTS_PER_STATEMENT at a time. */
export function elementLines(verb: 'add' | 'delete', t: Table, set: string, items: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < items.length; i += ELEMENTS_PER_STATEMENT) {
    out.push(`${verb} element ${tableRef(t)} ${set} { ${items.slice(i, i + ELEMENTS_PER_STATEMENT).join(', ')} }`);
  }
  return out;
}
