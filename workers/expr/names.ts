// What counts as a plain name. Anything else must be written in backticks.

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Words the lexer never reads as names: literals, and the C++ alternative
 * operator spellings (`and`, `or`, `not`), which we reject with a hint because
 * they are far more often a Python habit than C++.
 */
export const RESERVED_WORDS: ReadonlySet<string> = new Set(['true', 'false', 'and', 'or', 'not']);

/** `[A-Za-z_][A-Za-z0-9_]*`, optionally joined by `::` (`std::abs`). */
export function isQualifiedIdentifier(s: string): boolean {
  return s.split('::').every((part) => IDENT.test(part));
}

/** A single identifier (no `::`), the rule for names in the analysis document. */
export function isIdentifier(s: string): boolean {
  return IDENT.test(s);
}

/** How a column or define name must be written in an expression. */
export function quoteName(name: string): string {
  if (isQualifiedIdentifier(name) && !RESERVED_WORDS.has(name)) return name;
  return '`' + name.replace(/[\\`]/g, (c) => '\\' + c) + '`';
}
