// Regexes from a Corefile run against names from the network. CoreDNS compiles them with
// Go's RE2, which runs in linear time and has no backreferences or lookarounds; JavaScript's
// engine backtracks, so a pattern that repeats a group which itself repeats or alternates
// ((a+)+, (a|aa)*) can take exponential time on a crafted name of a few dozen octets —
// the 255-octet name limit does not help. Such patterns are refused when the Corefile is
// read. The check is syntactic and conservative: it may refuse a pattern that would in
// fact be fast ((foo|bar)+), never the other way round for these shapes.

/** Why `source` is refused, or undefined when it is accepted. */
export function unsafeRegexReason(source: string): string | undefined {
  interface Group { repeats: boolean; alternates: boolean }
  const stack: Group[] = [{ repeats: false, alternates: false }];
  let lastGroup: Group | undefined; // the group that just closed, if the next token may quantify it
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    const top = stack[stack.length - 1];
    const quant = quantifierAt(source, i);
    if (quant) {
      top.repeats = true;
      if (quant.repeats && lastGroup && (lastGroup.repeats || lastGroup.alternates)) {
        return 'repeats a group that itself repeats or alternates, which can take exponential time on a hostile name';
      }
      lastGroup = undefined;
      i += quant.length - 1;
      continue;
    }
    lastGroup = undefined;
    if (c === '\\') {
      const n = source[i + 1] ?? '';
      if (/[1-9]/.test(n) || (n === 'k' && source[i + 2] === '<')) return 'uses a backreference, which RE2 (and so CoreDNS) does not support';
      i++;
    } else if (c === '[') {
      i = classEnd(source, i);
    } else if (c === '(') {
      if (/^\(\?<?[=!]/.test(source.slice(i, i + 4))) return 'uses a lookaround, which RE2 (and so CoreDNS) does not support';
      stack.push({ repeats: false, alternates: false });
    } else if (c === ')') {
      if (stack.length > 1) {
        const g = stack.pop()!;
        const parent = stack[stack.length - 1];
        parent.repeats ||= g.repeats;
        parent.alternates ||= g.alternates;
        lastGroup = g;
      }
    } else if (c === '|') {
      top.alternates = true;
    }
  }
  return undefined;
}

/** The quantifier starting at `i` (with a trailing lazy `?`), if any; `repeats` unless it allows at most one. */
function quantifierAt(s: string, i: number): { length: number; repeats: boolean } | undefined {
  const c = s[i];
  let length = 0;
  let repeats = true;
  if (c === '*' || c === '+') length = 1;
  else if (c === '?') {
    length = 1;
    repeats = false;
  } else if (c === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(s.slice(i));
    if (!m) return undefined;
    length = m[0].length;
    const max = m[2] === undefined ? Number(m[1]) : m[3] === '' ? Infinity : Number(m[3]);
    repeats = max > 1;
  } else return undefined;
  if (s[i + length] === '?') length++;
  return { length, repeats };
}

/** Index of the `]` closing the class opened at `i` (or the end). */
function classEnd(s: string, i: number): number {
  for (let j = i + 1; j < s.length; j++) {
    if (s[j] === '\\') j++;
    else if (s[j] === ']') return j;
  }
  return s.length;
}
