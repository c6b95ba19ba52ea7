// Completion of the name being typed in an expression: columns, defines, functions.
import { functionNames } from '../../workers/expr';

export interface Completion {
  label: string;
  kind: 'column' | 'list' | 'define' | 'function';
  /** what replaces the typed word */
  insert: string;
}

export interface WordAt { start: number; end: number; word: string }

/** The name (letters, digits, _, ::) that ends at the caret, if the caret is in one. */
export function wordAt(text: string, caret: number): WordAt | null {
  let start = caret;
  while (start > 0 && /[A-Za-z0-9_:]/.test(text[start - 1]!)) start--;
  let end = caret;
  while (end < text.length && /[A-Za-z0-9_]/.test(text[end]!)) end++;
  const word = text.slice(start, caret);
  if (word === '' || /^[0-9]/.test(word)) return null;
  // inside a string literal or a backtick name: count the quotes before it
  const before = text.slice(0, start);
  if (((before.match(/"/g)?.length ?? 0) % 2) === 1 || ((before.match(/`/g)?.length ?? 0) % 2) === 1) return null;
  return { start, end, word };
}

const FUNCTIONS = functionNames().filter((f) => !f.startsWith('std::'));

/** Prefix matches first (columns, then defines, then functions), then names that contain the word. */
export function complete(word: string, names: { columns: string[]; lists?: string[]; defines: string[] }, exclude?: string, limit = 8): Completion[] {
  const w = word.toLowerCase();
  const quoted = (n: string) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(n) ? n : '`' + n.replace(/[\\`]/g, (c) => '\\' + c) + '`');
  const all: Completion[] = [
    ...names.columns.map((n) => ({ label: n, kind: 'column' as const, insert: quoted(n) })),
    ...(names.lists ?? []).map((n) => ({ label: n, kind: 'list' as const, insert: quoted(n) })),
    ...names.defines.filter((n) => n !== exclude).map((n) => ({ label: n, kind: 'define' as const, insert: n })),
    ...FUNCTIONS.map((n) => ({ label: n, kind: 'function' as const, insert: `${n}(` })),
  ];
  const prefix = all.filter((c) => c.label.toLowerCase().startsWith(w) && c.label !== word);
  const inner = all.filter((c) => !c.label.toLowerCase().startsWith(w) && c.label.toLowerCase().includes(w));
  return [...prefix, ...inner].slice(0, limit);
}
