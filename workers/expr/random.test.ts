import { describe, expect, it } from 'vitest';
import { withoutSpans } from './ast';
import { checkExpr, envFrom } from './check';
import { foldIR } from './fold';
import { evalIR } from './ir-eval';
import { parseExpr } from './parser';
import { printExpr } from './print';
import { randomExpr, randomExprs, seededRandom, type RandomColumn } from './random';
import { evalExpr } from './reference';

const columns: RandomColumn[] = [
  { name: 'x', type: 'num' },
  { name: 'y', type: 'num' },
  { name: 'odd name', type: 'num' },
  { name: 'flag', type: 'bool' },
  { name: 'cat', type: 'dict', dictionary: ['alpha', 'beta', 'it\'s "q"', ''] },
];
const env = envFrom(columns.map((c) => ({ ...c, kind: 'column' as const })));
const codes = Object.fromEntries(columns.filter((c) => c.dictionary).map((c) => [c.name, c.dictionary!]));

describe('random expressions', () => {
  it('are deterministic for a seed and differ across seeds', () => {
    const a = randomExprs(columns, 50, { seed: 7 });
    expect(randomExprs(columns, 50, { seed: 7 })).toEqual(a);
    expect(randomExprs(columns, 50, { seed: 8 })).not.toEqual(a);
    expect(new Set(a).size).toBeGreaterThan(40);
  });

  it('cover the language: every operator class, functions, aliases, strings and edge constants', () => {
    const text = randomExprs(columns, 600, { seed: 1 }).join('\n');
    for (const needle of ['&&', '||', '!(', ' ? ', ' % ', ' / ', '<=', '!=', 'cat', '`odd name`', 'std::', 'TMath::', 'fmod', 'log(-1)', '1e999', '-0.0', '5e-324', "'"]) {
      expect(text, needle).toContain(needle);
    }
  });

  it('always parse and type-check, with the requested type', () => {
    const rng = seededRandom(3);
    for (let i = 0; i < 500; i++) {
      const type = i % 2 ? 'num' : 'bool';
      const src = randomExpr(columns, rng, { type, maxDepth: 5 });
      const p = parseExpr(src);
      expect(p.diagnostics, src).toEqual([]);
      const r = checkExpr(p.ast!, env);
      expect(r.ok ? [] : r.diagnostics, src).toEqual([]);
      if (r.ok && type === 'bool') expect(r.type, src).toBe('bool');
    }
  });

  it('print to minimal text that parses back to the same tree', () => {
    for (const src of randomExprs(columns, 500, { seed: 4, maxDepth: 5 })) {
      const a = parseExpr(src).ast!;
      const printed = printExpr(a);
      const b = parseExpr(printed);
      expect(b.diagnostics, printed).toEqual([]);
      expect(withoutSpans(b.ast!), printed).toEqual(withoutSpans(a));
      expect(printExpr(b.ast!)).toBe(printed);
    }
  });

  it('on constants alone, folded IR gives exactly the reference value', () => {
    let folded = 0;
    for (const src of randomExprs([], 1000, { seed: 5, maxDepth: 4 })) {
      const ast = parseExpr(src).ast!;
      const r = checkExpr(ast, env);
      if (!r.ok) throw new Error(src);
      const ir = foldIR(r.ir);
      if (ir.t === 'const') folded++;
      const want = evalExpr(ast, () => { throw new Error('no columns here'); });
      const got = evalIR(ir, () => { throw new Error('no columns here'); });
      expect(Object.is(got, want), `${src}: folded ${got}, reference ${want}`).toBe(true);
    }
    expect(folded).toBeGreaterThan(300);
  });

  it('on random rows, folded IR agrees with the reference evaluator', () => {
    const rng = seededRandom(6);
    const values = [0, -0, 1, -1, 0.5, 2.5, -2.5, 3, 1e-300, 1e300, NaN, Infinity, -Infinity];
    const srcs = randomExprs(columns, 400, { seed: 6, maxDepth: 4 });
    for (const src of srcs) {
      const ast = parseExpr(src).ast!;
      const r = checkExpr(ast, env);
      if (!r.ok) throw new Error(src);
      const ir = foldIR(r.ir);
      for (let k = 0; k < 8; k++) {
        const row: Record<string, number> = {
          x: values[Math.floor(rng() * values.length)], y: values[Math.floor(rng() * values.length)],
          'odd name': rng() * 10 - 5, flag: rng() < 0.5 ? 1 : 0, cat: Math.floor(rng() * 4),
        };
        const want = evalExpr(ast, (n) => row[n], { dictionaries: codes });
        const got = evalIR(ir, (n) => row[n]);
        expect(Object.is(got, want), `${src} on ${JSON.stringify(row)}: IR ${got}, reference ${want}`).toBe(true);
      }
    }
  });
});
