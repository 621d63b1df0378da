// Tokenizer for the Corefile (Caddyfile v1 rules as CoreDNS uses them): tokens are separated
// by whitespace, `#` at the start of a token comments out the rest of the line, a token that
// starts with `"` runs to the next unescaped `"` (and may span lines), and `{` / `}` are
// braces only when they stand alone. Braces inside a word stay part of it, which is what
// lets `rewrite name regex (.*)\.a {1}.b` work.

import { CorefileError } from './errors.ts';

export interface Token {
  text: string;
  line: number;
  quoted: boolean;
}

export function isOpen(t: Token | undefined): boolean {
  return t !== undefined && !t.quoted && t.text === '{';
}

export function isClose(t: Token | undefined): boolean {
  return t !== undefined && !t.quoted && t.text === '}';
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;
  const n = source.length;
  while (i < n) {
    const ch = source[i];
    if (ch === '\n') {
      line++;
      i++;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\f' || ch === '\v') {
      i++;
      continue;
    }
    if (ch === '#') {
      while (i < n && source[i] !== '\n') i++;
      continue;
    }
    if (ch === '"') {
      const startLine = line;
      let text = '';
      i++;
      for (;;) {
        if (i >= n) throw new CorefileError(startLine, 'unterminated quoted string; close it with a matching "');
        const c = source[i];
        if (c === '\\' && (source[i + 1] === '"' || source[i + 1] === '\\')) {
          text += source[i + 1];
          i += 2;
          continue;
        }
        if (c === '"') {
          i++;
          break;
        }
        if (c === '\n') line++;
        text += c;
        i++;
      }
      tokens.push({ text, line: startLine, quoted: true });
      continue;
    }
    let text = '';
    while (i < n && !/\s/.test(source[i])) {
      text += source[i];
      i++;
    }
    tokens.push({ text, line, quoted: false });
  }
  return tokens;
}
