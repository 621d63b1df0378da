// `rewrite [continue|stop] name [exact|prefix|suffix|substring|regex] FROM TO [answer auto|answer name FROM TO]`
// and its block form (coredns plugin/rewrite/README.md). knet rewrites names only.

import { CorefileError } from '../errors.ts';
import type { Arg, Directive } from '../parser.ts';
import type { RewriteMatch, RewriteRule } from '../types.ts';
import { unsafeRegexReason } from '../regex-safety.ts';

const matches: readonly RewriteMatch[] = ['exact', 'prefix', 'suffix', 'substring', 'regex'];
const otherFields = ['type', 'class', 'edns0', 'ttl', 'cname', 'rcode'];
const usage = 'rewrite [continue|stop] name [exact|prefix|suffix|substring|regex] FROM TO [answer auto]';

function checkRegex(arg: Arg): void {
  try {
    new RegExp(arg.text);
  } catch (e) {
    throw new CorefileError(arg.line, `invalid regular expression "${arg.text}": ${(e as Error).message}`);
  }
  const unsafe = unsafeRegexReason(arg.text);
  if (unsafe) throw new CorefileError(arg.line, `regular expression "${arg.text}" ${unsafe}; write it without that (e.g. "(.*)\\.example\\.org" instead of "(a+)+")`);
}

type Answer = RewriteRule['answer'];

/** Reads `answer auto` / `answer name FROM TO` from `args` starting at `at`. */
function readAnswer(args: Arg[], at: number, line: number): Answer {
  const rest = args.slice(at);
  if (rest.length === 0) return null;
  if (rest[0].text !== 'answer') {
    throw new CorefileError(line, `unexpected "${rest[0].text}" after the rewrite; write: ${usage}`);
  }
  if (rest.length === 2 && rest[1].text === 'auto') return { kind: 'auto' };
  if (rest.length === 4 && rest[1].text === 'name') {
    checkRegex(rest[2]);
    return { kind: 'name', from: rest[2].text, to: rest[3].text };
  }
  if (rest[1]?.text === 'value') throw new CorefileError(line, '"answer value" is not supported by knet; use "answer auto" or "answer name FROM TO"');
  throw new CorefileError(line, 'invalid answer rewrite; write "answer auto" or "answer name FROM TO"');
}

function readNameRule(args: Arg[], line: number, mode: RewriteRule['mode']): RewriteRule {
  if (args.length === 0 || args[0].text !== 'name') {
    const field = args[0]?.text;
    if (field !== undefined && otherFields.includes(field)) {
      throw new CorefileError(line, `rewrite ${field} is not supported by knet; only "rewrite name" is: ${usage}`);
    }
    throw new CorefileError(line, `rewrite needs a field; write: ${usage}`);
  }
  const rest = args.slice(1);
  let match: RewriteMatch = 'exact';
  let at = 0;
  if (matches.includes(rest[0]?.text as RewriteMatch)) {
    match = rest[0].text as RewriteMatch;
    at = 1;
  } else if (rest.length !== 2) {
    throw new CorefileError(line, `rewrite name takes a match type when it has options or ${rest.length} arguments; write: ${usage}`);
  }
  if (rest.length < at + 2) throw new CorefileError(line, `rewrite name ${match} needs FROM and TO; write: ${usage}`);
  const from = rest[at];
  const to = rest[at + 1];
  if (match === 'regex') checkRegex(from);
  const answer = readAnswer(rest, at + 2, line);
  return { line, mode, match, from: from.text, to: to.text, answer };
}

export function readRewrite(d: Directive): RewriteRule {
  let args = d.args;
  let mode: RewriteRule['mode'] = 'stop';
  if (args[0]?.text === 'continue' || args[0]?.text === 'stop') {
    mode = args[0].text as RewriteRule['mode'];
    args = args.slice(1);
  }
  if (d.block === null) return readNameRule(args, d.line, mode);
  if (args.length > 0) throw new CorefileError(d.line, `rewrite takes either a rule on its line or a block, not both; write: ${usage}`);
  const [first, second, ...extra] = d.block;
  if (first === undefined) throw new CorefileError(d.line, `empty rewrite block; write: ${usage}`);
  if (extra.length > 0) throw new CorefileError(extra[0].line, 'a rewrite block holds one "name" line and at most one "answer" line');
  const rule = readNameRule([{ text: first.name, line: first.line }, ...first.args], first.line, mode);
  if (second === undefined) return rule;
  if (second.name !== 'answer') throw new CorefileError(second.line, `expected "answer name FROM TO" after the name rule, not "${second.name}"`);
  if (rule.answer !== null) throw new CorefileError(second.line, 'the name rule already has an answer rewrite');
  return { ...rule, answer: readAnswer([{ text: 'answer', line: second.line }, ...second.args], 0, second.line) };
}
