// Source text → folded, typed IR: the one call the rest of the engine needs.

import type { Expr } from './ast';
import { checkExpr, type CheckOptions, type Env } from './check';
import { sortDiagnostics, type Diagnostic } from './diagnostic';
import { foldIR } from './fold';
import type { IR, ValueType } from './ir';
import type { DerivedColumn } from './jagged';
import { parseExpr } from './parser';

export type CompileResult =
  | { ok: true; ast: Expr; ir: IR; type: ValueType; derived: DerivedColumn[]; diagnostics: [] }
  | { ok: false; ast?: Expr; diagnostics: Diagnostic[] };

/**
 * Parses, type-checks and folds one expression. When the parse could be
 * recovered (a mistyped `&` read as `&&`), the checker still runs, so unknown
 * names are reported together with the syntax errors.
 */
export function compileExpr(source: string, env: Env, opts: CheckOptions = {}): CompileResult {
  const parsed = parseExpr(source);
  if (!parsed.ast) return { ok: false, diagnostics: parsed.diagnostics };
  const checked = checkExpr(parsed.ast, env, opts);
  if (!checked.ok || parsed.diagnostics.length > 0) {
    return { ok: false, ast: parsed.ast, diagnostics: sortDiagnostics([...parsed.diagnostics, ...checked.diagnostics]) };
  }
  return { ok: true, ast: parsed.ast, ir: foldIR(checked.ir), type: checked.type, derived: checked.derived, diagnostics: [] };
}
