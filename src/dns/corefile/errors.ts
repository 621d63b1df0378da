// The one error a Corefile can produce. It names the line so that an operator editing the
// coredns ConfigMap finds the problem at once, and the message says what to write instead.

export class CorefileError extends Error {
  readonly file: string;
  readonly line: number;
  /** The message without the `Corefile:LINE: ` prefix. */
  readonly detail: string;
  constructor(line: number, detail: string, file = 'Corefile') {
    super(`${file}:${line}: ${detail}`);
    this.name = 'CorefileError';
    this.file = file;
    this.line = line;
    this.detail = detail;
  }
}

/** Levenshtein distance, for "did you mean" hints on misspelt keywords. */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

/** ` (did you mean "x"?)` when one known word is close to `word`, else "". */
export function didYouMean(word: string, known: readonly string[]): string {
  let best = '';
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(word.toLowerCase(), k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(1, Math.floor(best.length / 3)) ? ` (did you mean "${best}"?)` : '';
}
