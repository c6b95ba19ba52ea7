// The expression language: parse, check, fold, print, reductions over lists, and the test oracle.
export type { Span, Expr, UnaryOp, BinaryOp } from './ast';
export { exprNames, withoutSpans } from './ast';
export type { Diagnostic } from './diagnostic';
export { formatDiagnostic, atPath, sortDiagnostics } from './diagnostic';
export { parseExpr, MAX_EXPR_DEPTH, type ParseResult } from './parser';
export { printExpr, quoteString } from './print';
export { isIdentifier, isQualifiedIdentifier, quoteName } from './names';
export { checkExpr, envFrom, type Env, type NameInfo, type NameType, type CheckOptions, type CheckResult } from './check';
export { compileExpr, type CompileResult } from './compile';
export type { IR, ValueType } from './ir';
export { irNames, irEqual, printIR, retype } from './ir';
export { foldIR, foldableValue, cRound, signOf } from './fold';
export { evalIR } from './ir-eval';
export { lookupFunction, functionNames, reductionOf, REDUCTIONS, type FunctionSpec, type Reduction } from './functions';
export { evalDerived, type DerivedColumn, type JaggedColumn } from './jagged';
export { suggest, editDistance } from './suggest';
export { evalExpr, type EvalOptions } from './reference';
export { randomExpr, randomExprs, seededRandom, type RandomColumn, type RandomExprOptions } from './random';
