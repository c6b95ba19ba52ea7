// An analysis as a Python script for ROOT's RDataFrame: Define, Filter (named,
// so the cut-flow reads like Report()), Histo1D/Histo2D, and one Count per cut,
// all booked before the one event loop. With `dask`, the same graph runs on
// distributed RDataFrame over a Dask cluster.
//
// Histograms fill the centre of the bin Sift's rule picks (sift::centre), so
// ROOT's own bin search agrees with Sift at every edge; rows with a NaN
// coordinate are counted apart (Sift's `nan`). ROOT keeps under/overflow per
// axis, so a 2D row out of range on one axis lands in that axis's
// under/overflow cell where Sift counts one underflow or overflow. Means and
// standard deviations shown by ROOT are of bin centres.

import type { DatasetRef } from '../analysis/document';
import { isIdentifier } from '../expr/names';
import { CPP_HELPERS, CppExpr, cppNumber } from './cpp-expr';
import { prepare, type Prepared, type PreparedAxis } from './prepare';

export interface RdfExportOptions {
  /** Distributed RDataFrame on Dask instead of a local (multi-threaded) run. */
  dask?: boolean;
}

const py = (s: string) => JSON.stringify(s); // a JSON string is a valid Python string literal
const pyLong = (s: string) => `r'''${s}'''`;

function source(ds: DatasetRef, columns: string[], dask: boolean): { lines: string[]; notes: string[] } {
  if (ds.kind === 'demo') {
    return {
      lines: [`df = ${dask ? 'RDataFrame' : 'ROOT.RDataFrame'}("events", "${ds.name}.root"${dask ? ', daskclient=client' : ''})`],
      notes: [`the dataset is Sift's generated demo '${ds.name}': write it to ${ds.name}.root (tree "events") first, or edit this line`],
    };
  }
  const path = ds.kind === 'url' ? ds.url : ds.name;
  const ext = /\.([A-Za-z0-9]+)$/.exec(path.split(/[?#]/)[0]!)?.[1]?.toLowerCase() ?? '';
  const format = ds.format ?? ({ csv: 'csv', tsv: 'tsv', parquet: 'parquet', pq: 'parquet', arrow: 'arrow', feather: 'arrow', root: 'root' } as Record<string, string>)[ext] ?? 'csv';
  const notes = ds.kind === 'file' ? [`${path} is the local file the analysis was made on: run from its folder, or edit the path`] : [];
  if (format === 'root') {
    const tree = ds.tree ?? 'events';
    return {
      lines: [`df = ${dask ? 'RDataFrame' : 'ROOT.RDataFrame'}(${py(tree)}, [${py(path)}]${dask ? ', daskclient=client, npartitions=8' : ''})`],
      notes: ds.tree ? notes : [...notes, 'the analysis names no tree: "events" is a guess'],
    };
  }
  const distributed = dask ? ['distributed RDataFrame reads TTrees only: this source runs locally (convert the file to a ROOT file to scale out)'] : [];
  if (format === 'csv' || format === 'tsv') {
    return { lines: [`df = ROOT.RDF.FromCSV(${py(path)}${format === 'tsv' ? ', True, "\\t"' : ''})`], notes: [...notes, ...distributed] };
  }
  return {
    lines: [
      'import pyarrow.parquet, pyarrow.feather',
      `table = ${format === 'parquet' ? 'pyarrow.parquet.read_table' : 'pyarrow.feather.read_table'}(${py(path)}, columns=[${columns.map(py).join(', ')}])`,
      'df = ROOT.RDF.FromNumpy({name: table.column(name).to_numpy() for name in table.column_names})',
    ],
    notes: [...notes, ...distributed, 'string columns from Parquet/Arrow need ROOT >= 6.32 (FromNumpy)'],
  };
}

export function exportRdf(input: unknown, opts: RdfExportOptions = {}): string {
  return rdfOf(prepare(input), opts);
}

export function rdfOf(p: Prepared, opts: RdfExportOptions = {}): string {
  const dask = opts.dask === true;
  const taken = new Set([...p.columns, ...p.defines.map((d) => d.name)]);
  const fresh = (base: string) => { let n = `sift_${base}`; while (taken.has(n)) n = `_${n}`; taken.add(n); return n; };
  const aliases = new Map<string, string>();
  for (const c of p.columns) if (!isIdentifier(c)) aliases.set(c, fresh(c.replace(/\W/g, '_')));
  const cpp = new CppExpr(p.typeOf, (name) => aliases.get(name) ?? name);

  const src = source(p.dataset, p.columns, dask);
  const out: string[] = [];
  out.push('#!/usr/bin/env python3');
  out.push(`"""Sift analysis as ROOT RDataFrame${dask ? ' on Dask (distributed RDataFrame)' : ''}.`);
  out.push('');
  out.push('Histograms are filled with the centre of the bin Sift picks, so bin contents match Sift exactly;');
  out.push('rows with a NaN coordinate are counted apart, as Sift does. Writes sift_histograms.root and prints the cut-flow.');
  for (const n of src.notes) out.push(`Note: ${n}.`);
  out.push('"""');
  out.push('import ROOT');
  out.push('');
  out.push(`SIFT_CPP = ${pyLong(CPP_HELPERS)}`);
  if (dask) {
    out.push('');
    out.push('from dask.distributed import Client, LocalCluster');
    out.push('');
    out.push('');
    out.push('def declare_helpers():');
    out.push('    ROOT.gInterpreter.Declare(SIFT_CPP)');
    out.push('');
    out.push('');
    out.push('if __name__ == "__main__":');
    out.push('    # A local cluster; pass the address of your scheduler instead: Client("tcp://host:8786").');
    out.push('    client = Client(LocalCluster(n_workers=4, threads_per_worker=1, processes=True))');
    out.push('    ROOT.RDF.Experimental.Distributed.initialize(declare_helpers)  # every worker declares the helpers');
    out.push('    declare_helpers()');
    out.push('    RDataFrame = ROOT.RDF.Experimental.Distributed.Dask.RDataFrame');
  } else {
    out.push('ROOT.gInterpreter.Declare(SIFT_CPP)');
    out.push('ROOT.EnableImplicitMT()');
  }
  const body: string[] = [...src.lines];
  for (const [col, alias] of aliases) body.push(`df = df.Alias(${py(alias)}, ${py(col)})`);
  for (const d of p.defines) body.push(`df = df.Define(${py(d.name)}, ${py(d.type === 'bool' ? cpp.bool(d.ast) : cpp.num(d.ast))})`);
  const nodes = ['df'];
  p.filters.forEach((f, k) => {
    body.push(`cut${k} = ${nodes[k]}.Filter(${py(cpp.bool(f.ast))}, ${py(f.name)})`);
    nodes.push(`cut${k}`);
  });
  body.push('counts = [df.Count()' + p.filters.map((_, k) => `, cut${k}.Count()`).join('') + ']');
  body.push('hists, nans = {}, {}');
  const centre = (a: PreparedAxis) => `sift::centre(${cpp.num(a.ast)}, ${cppNumber(a.lo)}, ${cppNumber(a.hi)}, ${a.bins})`;
  p.histograms.forEach((h, i) => {
    const node = nodes[h.after + 1]!;
    const cx = fresh(`h${i}_x`);
    const cy = h.y ? fresh(`h${i}_y`) : undefined;
    const w = h.weight ? fresh(`h${i}_w`) : undefined;
    let chain = `${node}.Define(${py(cx)}, ${py(centre(h.x))})`;
    if (h.y && cy) chain += `.Define(${py(cy)}, ${py(centre(h.y))})`;
    if (h.weight && w) chain += `.Define(${py(w)}, ${py(cpp.num(h.weight))})`;
    body.push(`h${i} = ${chain}`);
    const nan = cy ? `std::isnan(${cx}) || std::isnan(${cy})` : `std::isnan(${cx})`;
    body.push(`nans[${py(h.name)}] = h${i}.Filter(${py(nan)}).Count()`);
    const kept = `h${i}.Filter(${py(`!(${nan})`)})`;
    const title = py(h.name);
    const ax = (a: PreparedAxis) => `${a.bins}, ${cppNumber(a.lo)}, ${cppNumber(a.hi)}`;
    body.push(h.y && cy
      ? `hists[${title}] = ${kept}.Histo2D(ROOT.RDF.TH2DModel(${title}, ${title}, ${ax(h.x)}, ${ax(h.y)}), ${py(cx)}, ${py(cy)}${w ? `, ${py(w)}` : ''})`
      : `hists[${title}] = ${kept}.Histo1D(ROOT.RDF.TH1DModel(${title}, ${title}, ${ax(h.x)}), ${py(cx)}${w ? `, ${py(w)}` : ''})`);
  });
  body.push('');
  body.push('# The first result read runs the one event loop that fills everything booked above.');
  body.push(`cuts = [${p.filters.map((f) => py(f.name)).join(', ')}]`);
  body.push('totals = [c.GetValue() for c in counts]');
  body.push('print("rows", totals[0])');
  body.push('for k, name in enumerate(cuts):');
  body.push('    print(f"{name}: pass={totals[k + 1]} all={totals[k]} -- eff={100.0 * totals[k + 1] / max(totals[k], 1):.2f} %")');
  body.push('out = ROOT.TFile("sift_histograms.root", "RECREATE")');
  body.push('for name, h in hists.items():');
  body.push('    h.GetValue().Write()');
  body.push('    print(name, "entries", h.GetEntries(), "nan", nans[name].GetValue())');
  body.push('out.Close()');
  const indent = dask ? '    ' : '';
  out.push('');
  out.push(...body.map((l) => (l ? indent + l : l)));
  return out.join('\n') + '\n';
}
