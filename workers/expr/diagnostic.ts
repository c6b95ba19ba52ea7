// Errors are values: every stage returns these instead of throwing.

export interface Diagnostic {
  /** Where in the analysis document, JSON-ish: `histograms[2].x.expr`. Absent for a bare expression. */
  path?: string;
  message: string;
  /** Character offsets [start, end) into the expression source, when the problem is in an expression. */
  start?: number;
  end?: number;
  /** The unknown or offending name, when there is one. */
  name?: string;
  /** A close known name, when there is one. */
  suggestion?: string;
}

/** One line of text, plus the source line with a caret underline when `source` is given. */
export function formatDiagnostic(d: Diagnostic, source?: string): string {
  const head = d.path ? `${d.path}: ${d.message}` : d.message;
  if (source === undefined || d.start === undefined) return head;
  const end = Math.max(d.end ?? d.start, d.start + 1);
  const caret = ' '.repeat(d.start) + '^'.repeat(Math.min(end, source.length + 1) - d.start);
  return `${head}\n  ${source}\n  ${caret}`;
}

/** The same diagnostics, re-rooted under a document path. */
export function atPath(diagnostics: readonly Diagnostic[], path: string): Diagnostic[] {
  return diagnostics.map((d) => ({ path, ...d }));
}

/** In source order (stable), so the first one shown is the first in the text. */
export function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  return ds.map((d, i) => [d, i] as const)
    .sort(([a, i], [b, j]) => (a.start ?? Infinity) - (b.start ?? Infinity) || i - j)
    .map(([d]) => d);
}
