import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenize } from './lexer.ts';
import { CorefileError } from './errors.ts';

test('splits on whitespace, drops comments, keeps line numbers', () => {
  const toks = tokenize('.:53 {  # the root\n  errors\n\thosts # trailing\n}\n');
  assert.deepEqual(toks.map((t) => [t.text, t.line]), [['.:53', 1], ['{', 1], ['errors', 2], ['hosts', 3], ['}', 4]]);
});

test('# inside a word is not a comment', () => {
  assert.deepEqual(tokenize('a#b c').map((t) => t.text), ['a#b', 'c']);
});

test('quoted strings keep spaces and escaped quotes, and may span lines', () => {
  const toks = tokenize('x "a b \\"c\\"" "l1\nl2" y');
  assert.deepEqual(toks.map((t) => t.text), ['x', 'a b "c"', 'l1\nl2', 'y']);
  assert.equal(toks[1].quoted, true);
  assert.equal(toks[3].line, 2);
});

test('braces glued to words stay in the word', () => {
  assert.deepEqual(tokenize('{1}.service.{2}.consul {').map((t) => t.text), ['{1}.service.{2}.consul', '{']);
});

test('an unterminated quote is an error on the line it opened', () => {
  assert.throws(() => tokenize('a\n"oops\nmore'), (e: unknown) => e instanceof CorefileError && e.line === 2 && /unterminated/.test(e.message));
});
