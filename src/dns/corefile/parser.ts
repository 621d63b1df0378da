// From tokens to the untyped shape of a Corefile: server blocks (keys + directives), each
// directive with its arguments and an optional one-level sub-block. Meaning is assigned
// later, per directive (directives/*.ts).

import { CorefileError } from './errors.ts';
import { isClose, isOpen, tokenize, type Token } from './lexer.ts';

export interface Arg {
  text: string;
  line: number;
}

export interface Directive {
  name: string;
  line: number;
  args: Arg[];
  /** Lines of the `{ ... }` block after the arguments; null when there is none. */
  block: Directive[] | null;
}

export interface RawServerBlock {
  line: number;
  keys: Arg[];
  directives: Directive[];
}

export function parseStructure(source: string): RawServerBlock[] {
  const tokens = tokenize(source);
  let p = 0;
  const blocks: RawServerBlock[] = [];

  const peek = (): Token | undefined => tokens[p];

  function readArgsOnLine(line: number): Arg[] {
    const args: Arg[] = [];
    while (p < tokens.length && tokens[p].line === line && !isOpen(tokens[p]) && !isClose(tokens[p])) {
      args.push({ text: tokens[p].text, line: tokens[p].line });
      p++;
    }
    return args;
  }

  function readDirective(nested: boolean): Directive {
    const head = tokens[p++];
    if (isOpen(head)) {
      throw new CorefileError(head.line, nested
        ? 'unexpected "{": blocks nest only one level deep (directive { option args })'
        : 'unexpected "{": a block must open on the same line as its directive, e.g. "cache 30 {"');
    }
    const args = readArgsOnLine(head.line);
    let block: Directive[] | null = null;
    const next = peek();
    if (isOpen(next) && next!.line === head.line) {
      if (nested) throw new CorefileError(next!.line, `option "${head.text}" cannot take a block; blocks nest only one level deep`);
      const openLine = next!.line;
      p++;
      block = [];
      for (;;) {
        const t = peek();
        if (t === undefined) throw new CorefileError(openLine, `missing "}" to close the block of "${head.text}" opened here`);
        if (isClose(t)) {
          p++;
          break;
        }
        block.push(readDirective(true));
      }
    }
    return { name: head.text, line: head.line, args, block };
  }

  function readBody(closeExpected: boolean, openLine: number): Directive[] {
    const directives: Directive[] = [];
    for (;;) {
      const t = peek();
      if (t === undefined) {
        if (closeExpected) throw new CorefileError(openLine, 'missing "}" to close the server block opened here');
        return directives;
      }
      if (isClose(t)) {
        if (!closeExpected) throw new CorefileError(t.line, 'unexpected "}" with no matching "{"');
        p++;
        return directives;
      }
      directives.push(readDirective(false));
    }
  }

  while (p < tokens.length) {
    const first = tokens[p];
    if (isOpen(first) || isClose(first)) {
      throw new CorefileError(first.line, `unexpected "${first.text}": a server block starts with its zones, e.g. ".:53 {"`);
    }
    // Keys sit on one line; a trailing comma continues them onto the next (Caddyfile rule).
    const keys: Arg[] = [];
    let line = first.line;
    while (p < tokens.length && !isOpen(tokens[p]) && !isClose(tokens[p]) && tokens[p].line === line) {
      const t = tokens[p++];
      for (const part of t.text.split(',')) if (part !== '') keys.push({ text: part, line: t.line });
      if (t.text.endsWith(',') && p < tokens.length) line = tokens[p].line;
    }
    const next = peek();
    if (isOpen(next)) {
      p++;
      blocks.push({ line: first.line, keys, directives: readBody(true, next!.line) });
    } else if (blocks.length === 0) {
      // A file holding a single server block may leave out its braces.
      const directives = readBody(false, first.line);
      blocks.push({ line: first.line, keys, directives });
    } else {
      throw new CorefileError(first.line, `expected "{" after the server block keys ${keys.map((k) => k.text).join(' ')}`);
    }
  }
  return blocks;
}
