// The RDataFrame export. Its C++ expressions are compiled with the system's
// C++ compiler (when there is one) and run on awkward rows against Sift's
// reference evaluator: the same values, to the last bit where the operations
// are exact and within 1e-12 where libm and V8 may round differently.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportRdf } from './rdf';
import { CPP_HELPERS, CppExpr, cppNumber, cppString } from './cpp-expr';
import { exprType } from './prepare';
import { evalExpr } from '../expr/reference';
import { parseExpr } from '../expr/parser';
import { randomExprs } from '../expr/random';
import { canonicalFunctionNames, lookupFunction } from '../expr/functions';

const gxx = spawnSync('g++', ['--version']).status === 0;
const python = spawnSync('python3', ['--version']).status === 0;

const doc = {
  version: 1, dataset: { kind: 'file', name: 'events.root', size: 10, tree: 'Events' },
  defines: [{ name: 'half', expr: 'k / 2' }, { name: 'isb', expr: 'cat == "beta"' }],
  filters: [{ name: 'central', expr: 'abs(x) < 2.4' }, { name: 'flag', expr: 'isb || b' }],
  histograms: [
    { name: 'h', x: { expr: 'half % 3', bins: 10, lo: -5, hi: 5 }, weight: 'min(x, y)', after: 'central' },
    { name: 'h2', x: { expr: 'x', bins: 4, lo: 0, hi: 1 }, y: { expr: 'sign(y)', bins: 3, lo: -1.5, hi: 1.5 } },
  ],
};

describe('RDataFrame export', () => {
  it('writes a script with Sift semantics made explicit', () => {
    const py = exportRdf(doc);
    expect(py).toContain('ROOT.RDataFrame("Events", ["events.root"])');
    expect(py).toContain('df.Define("half", "(double(k) / 2e+0)")'); // never integer division
    expect(py).toContain('std::fmod(double(half), 3e+0)');
    expect(py).toContain('sift::min(double(x), double(y))');
    expect(py).toContain('(std::string(cat) == \\"beta\\")');
    expect(py).toContain('cut0 = df.Filter("(std::fabs(double(x)) < 2.4e+0)", "central")');
    expect(py).toContain('cut1 = cut0.Filter("(bool(isb) || (double(b) != 0.0))", "flag")');
    expect(py).toContain('Histo2D(ROOT.RDF.TH2DModel("h2", "h2", 4, 0e+0, 1e+0, 3, (-1.5e+0), 1.5e+0)');
    expect(py).not.toContain('Dask');
  });

  it('runs on Dask with --dask', () => {
    const py = exportRdf(doc, { dask: true });
    expect(py).toContain('ROOT.RDF.Experimental.Distributed.Dask.RDataFrame');
    expect(py).toContain('daskclient=client');
    expect(py).toContain('initialize(declare_helpers)');
  });

  it.skipIf(!python)('writes scripts Python parses, for every source and on Dask', () => {
    const sources = [
      doc.dataset,
      { kind: 'url', url: 'https://example.org/x y/run "1".parquet', format: 'parquet' },
      { kind: 'file', name: "it's.tsv", size: 10, format: 'tsv' },
      { kind: 'file', name: 'a.csv', size: 10 },
      { kind: 'demo', name: 'toy', rows: 1000, seed: 1 },
    ];
    for (const dataset of sources) {
      for (const dask of [false, true]) {
        const script = exportRdf({ ...doc, dataset }, { dask });
        const r = spawnSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: script, encoding: 'utf8' });
        expect(r.status, `${JSON.stringify(dataset)} dask=${dask}: ${r.stderr}`).toBe(0);
      }
    }
  });

  it('refuses list columns with a clear message', () => {
    const bad = { ...doc, histograms: [{ name: 'j', x: { expr: 'sum(Jet_pt)', bins: 2, lo: 0, hi: 1 } }] };
    expect(() => exportRdf(bad)).toThrow(/histogram 'j': sum\(…\) reduces a list column/);
  });

  it.skipIf(!gxx)('computes what the reference evaluator computes, compiled by g++', () => {
    const rows = [
      { x: 0, y: -0, z: NaN, k: 7, b: 1, cat: 'beta' }, { x: -2.5, y: 0.5, z: Infinity, k: -3, b: 0, cat: '' },
      { x: 1e300, y: -1e300, z: -Infinity, k: 0, b: 1, cat: "it's" }, { x: NaN, y: NaN, z: 5e-324, k: 1, b: 0, cat: 'a"b?' },
      { x: 0.49999999999999994, y: 2, z: -0.5, k: -10, b: 1, cat: 'αβ' }, { x: 3, y: -7, z: 1.5, k: 5, b: 0, cat: 'beta' },
    ];
    const dict = ['beta', '', "it's", 'a"b?', 'αβ', 'gamma'];
    const columns = [
      { name: 'x', type: 'num' as const }, { name: 'y', type: 'num' as const }, { name: 'z', type: 'num' as const },
      { name: 'k', type: 'num' as const }, { name: 'b', type: 'bool' as const }, { name: 'cat', type: 'dict' as const, dictionary: dict },
    ];
    // Every function and operator on every pair of awkward values, then random trees.
    const grid: string[] = [];
    for (const f of canonicalFunctionNames()) {
      const arity = lookupFunction(f)!.arity;
      for (const a of ['x', 'y', 'z', 'k', 'b']) {
        if (arity === 1) grid.push(`${f}(${a})`, `1 / ${f}(${a})`);
        else for (const b of ['x', 'y', 'z', 'k']) grid.push(`${f}(${a}, ${b})`, `1 / ${f}(${a}, ${b})`);
      }
    }
    for (const op of ['+', '-', '*', '/', '%', '<', '<=', '>', '>=', '==', '!=', '&&', '||']) {
      for (const a of ['x', 'y', 'z', 'k', 'b']) for (const b of ['x', 'y', 'z', 'k', 'b', '2']) grid.push(`${a} ${op} ${b}`);
    }
    grid.push('!x', '!z', 'x ? y : z', 'z ? k : b', '-k / 4', 'k / 2 * 2 == k', 'cat == "a\\"b?"', 'cat != ""', '"it\'s" == cat', 'M_PI', 'TMath::Pi() * k');
    const exprs = [...grid, ...randomExprs(columns, 400, { seed: 11, maxDepth: 4 })];
    const typeOf = (n: string) => (n === 'cat' ? 'str' as const : 'num' as const);
    const cpp = new CppExpr(typeOf, (n) => n);
    const asts = exprs.map((s) => parseExpr(s).ast!);
    const body = asts.map((a, i) => `  out(${i}, ${exprType(a, typeOf) === 'bool' ? `double(${cpp.bool(a)})` : cpp.num(a)});`).join('\n');
    const data = rows.map((r) => `  { const double x = ${cppNumber(r.x)}, y = ${cppNumber(r.y)}, z = ${cppNumber(r.z)}; const int k = ${r.k}; ` +
      `const bool b = ${r.b ? 'true' : 'false'}; const std::string cat = ${cppString(r.cat)};\n${body}\n  }`).join('\n');
    const program = `${CPP_HELPERS}#include <cstdio>\n#include <string>\n#include <cstdint>\n#include <cstring>\n` +
      'static void out(int i, double v) { std::uint64_t u; std::memcpy(&u, &v, 8); std::printf("%d %016llx\\n", i, (unsigned long long)u); }\n' +
      'int main() {\n' + data.replace(/M_PI/g, '3.141592653589793').replace(/TMath::Pi\(\)/g, '3.141592653589793') + '\n}\n';
    const dir = mkdtempSync(join(tmpdir(), 'sift-rdf-'));
    writeFileSync(join(dir, 'e.cpp'), program);
    execFileSync('g++', ['-std=c++17', '-O0', '-o', join(dir, 'e'), join(dir, 'e.cpp')]);
    const lines = execFileSync(join(dir, 'e'), { encoding: 'utf8', maxBuffer: 1 << 26 }).trim().split('\n');
    expect(lines.length).toBe(rows.length * exprs.length);
    const bits = new DataView(new ArrayBuffer(8));
    let exact = 0;
    lines.forEach((line, n) => {
      const [i, hex] = line.split(' ') as [string, string];
      bits.setBigUint64(0, BigInt('0x' + hex));
      const got = bits.getFloat64(0);
      const r = rows[Math.floor(n / exprs.length)]!;
      const want = evalExpr(asts[Number(i)]!, (name) => (r as Record<string, number | string>)[name]!);
      const ok = Object.is(got, want) || (Number.isNaN(got) && Number.isNaN(want)) || Math.abs(got - want) <= 1e-12 * Math.abs(want);
      if (!ok) expect.fail(`${exprs[Number(i)]} on row ${Math.floor(n / exprs.length)}: C++ ${got}, Sift ${want}`);
      if (Object.is(got, want) || (Number.isNaN(got) && Number.isNaN(want))) exact++;
    });
    expect(exact).toBeGreaterThan(lines.length * 0.9);
  }, 60_000);
});
