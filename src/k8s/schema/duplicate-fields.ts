// Duplicate object keys in a JSON document. JSON.parse keeps the last of two equal keys
// silently; kube-apiserver's strict decoder (sigs.k8s.io/json) reports each one, so that
// `fieldValidation=Strict` refuses `{"spec": {"replicas": 1, "replicas": 2}}` and `Warn`
// warns. Paths use the same notation as unknown fields: `spec.template.spec.containers[0].name`.
// The text must already be valid JSON (parse it first); this only scans it.

export function findDuplicateFields(text: string): string[] {
  const out: string[] = [];
  // One frame per open container: its path, and for objects the keys seen so far.
  const stack: { path: string; keys?: Set<string>; index: number; key?: string }[] = [];
  let i = 0;
  const childPath = (): string => {
    const top = stack[stack.length - 1];
    if (!top) return '';
    if (top.keys) return top.path ? `${top.path}.${top.key}` : top.key!;
    return `${top.path}[${top.index}]`;
  };
  const readString = (): string => {
    const start = i;
    i++; // opening quote
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i));
  };
  let expectKey = false;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '{' || ch === '[') {
      stack.push({ path: childPath(), keys: ch === '{' ? new Set() : undefined, index: 0 });
      expectKey = ch === '{';
      i++;
    } else if (ch === '}' || ch === ']') {
      stack.pop();
      expectKey = false;
      i++;
    } else if (ch === ',') {
      const top = stack[stack.length - 1];
      if (top.keys) expectKey = true;
      else top.index++;
      i++;
    } else if (ch === '"') {
      const s = readString();
      const top = stack[stack.length - 1];
      if (expectKey && top?.keys) {
        const path = top.path ? `${top.path}.${s}` : s;
        if (top.keys.has(s)) out.push(path);
        top.keys.add(s);
        top.key = s;
        expectKey = false;
      }
    } else i++;
  }
  return out;
}
