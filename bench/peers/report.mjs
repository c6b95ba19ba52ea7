// The peers report: tables of medians (warm-up dropped), ratios, the bin check
// across peers, and the issue's targets marked met / missed.

const JOBS = ['Q1', 'Q2', 'Q3', 'Q4'];
const FULL_ROWS = 10_000_000;

export const median = (xs) => {
  if (!xs?.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
/** Median after the warm-up (index 0). */
const med = (ms) => median(ms?.slice(1));

export const fmtMs = (ms) => (ms == null ? '—' : ms < 100 ? ms.toFixed(1) : ms.toFixed(0));
export const fmtX = (x) => (x == null || !Number.isFinite(x) ? '—' : `${x.toFixed(x < 10 ? 2 : 1)}×`);
export const fmtBytes = (b) => (b == null ? '?' : b >= 2 ** 30 ? `${(b / 2 ** 30).toFixed(2)} GiB` : `${(b / 2 ** 20).toFixed(1)} MiB`);
/** DuckDB's load from the user's File: registering it (reading it into DuckDB's heap, or a handle) plus the table. */
const fromFile = (l) => (l?.medianMs == null || l?.setup?.registerMs == null ? null : l.medianMs + l.setup.registerMs);
const ratio = (a, b) => (a == null || b == null || b === 0 ? null : a / b);

function grid(head, rows) {
  const width = head.map((h, c) => Math.max(h.length, ...rows.map((r) => String(r[c]).length)));
  const line = (r) => r.map((v, c) => (c === 0 ? String(v).padEnd(width[c]) : String(v).padStart(width[c]))).join('  ').trimEnd();
  return [line(head), line(width.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** Every browser peer against the plain-JS result, and each peer's last run against its first. */
function browserBins(q, bins) {
  const problems = [];
  const ref = q.peers.plain?.jobs;
  for (const [peer, r] of Object.entries(q.peers)) {
    for (const job of JOBS) {
      const j = r.jobs[job];
      if (!j) continue;
      for (const p of j.stable ?? []) problems.push(`chromium ${peer} ${job}: runs disagree: ${p}`);
      if (ref && peer !== 'plain') problems.push(...bins.checkPeers(ref[job].result, { [peer]: j.result }, job).map((p) => `chromium ${p}`));
    }
  }
  if (!ref) problems.push('chromium: no plain-JS reference, bins not checked');
  return problems;
}

function nodeBins(n) {
  const problems = [];
  for (const peer of ['sift', 'duckdb']) {
    for (const job of JOBS) for (const p of n[peer]?.[job]?.problems ?? []) problems.push(`node ${peer} ${job}: ${p}`);
  }
  return problems;
}

export function table(report, bins) {
  const out = [];
  const verdicts = [];
  const binProblems = [];
  const full = report.options.rows === FULL_ROWS && report.options.workers === 2;
  const target = (what, value, shown, ok, judged = full) =>
    verdicts.push({ target: what, value, shown, met: judged && value != null ? ok : null });

  const L = (report.loads ?? []).filter((l) => !l.error);
  for (const l of report.loads ?? []) if (l.error) report.failures.push(`load ${l.format} ${l.peer}: ${l.error}`);
  for (const [peer, r] of Object.entries(report.queries?.peers ?? {})) if (r.error) report.failures.push(`queries ${peer}: ${r.error}`);
  const load = (format, peer) => L.find((l) => l.format === format && l.peer === peer);
  const q = report.queries;
  const P = q?.peers ?? {};
  const w = report.options.workers;
  const qMed = (peer, job) => med(P[peer]?.jobs[job]?.ms);

  if (q) binProblems.push(...browserBins(q, bins));
  if (report.node) binProblems.push(...nodeBins(report.node));

  if (L.length || q) {
    const rows = [];
    for (const format of ['csv', 'parquet']) {
      const s = load(format, 'sift'), c = load(format, 'duckdb-coi'), e = load(format, 'duckdb-eh');
      if (!s && !c && !e) continue;
      rows.push([`load ${format}`, fmtMs(s?.medianMs), fmtMs(c?.medianMs), fmtMs(e?.medianMs), '—', '—',
        fmtX(ratio(c?.medianMs, s?.medianMs)), fmtX(ratio(e?.medianMs, s?.medianMs)), '—', '—', 'rows equal']);
      if (c?.setup?.registerMs != null || e?.setup?.registerMs != null) {
        const fc = fromFile(c), fe = fromFile(e);
        rows.push([`  from the File`, fmtMs(s?.medianMs), fmtMs(fc), fmtMs(fe), '—', '—', fmtX(ratio(fc, s?.medianMs)), fmtX(ratio(fe, s?.medianMs)), '—', '—', '+ register']);
      }
    }
    for (const job of JOBS) {
      const s = qMed(`sift-${w}w`, job), floor = med(P[`sift-${w}w`]?.jobs[job]?.floor?.ms);
      const c = qMed('duckdb-coi', job), e = qMed('duckdb-eh', job), p = qMed('plain', job);
      const bad = binProblems.some((b) => b.startsWith('chromium') && b.includes(` ${job}:`));
      rows.push([job, fmtMs(s), fmtMs(c), fmtMs(e), fmtMs(p), fmtMs(floor), fmtX(ratio(c, s)), fmtX(ratio(e, s)), fmtX(ratio(p, s)), fmtX(ratio(s, floor)), q ? (bad ? 'DIFFER' : 'equal') : '—']);
    }
    if (P['sift-1w']) {
      const one = qMed('sift-1w', 'Q4');
      rows.push(['Q4, Sift 1 worker', fmtMs(one), '', '', '', '', '', '', '', '', `${w}w ${fmtX(ratio(one, qMed(`sift-${w}w`, 'Q4')))} faster`]);
    }
    out.push(`Chromium (${q?.info?.browser ?? 'headless'}), ${report.options.rows.toLocaleString('en-US')} rows, Sift on ${w} workers; ms = median of ${report.options.runs} after a warm-up`);
    out.push(grid(['job', 'Sift', 'DuckDB coi', 'DuckDB eh', 'plain JS', 'floor', 'coi/Sift', 'eh/Sift', 'plain/Sift', 'Sift/floor', 'bins'], rows));
    out.push('Loads: Sift = open (lazy) + one run decoding every column, from the File; DuckDB = CREATE TABLE t AS SELECT * FROM read_csv(...) ' +
      'over the File registered beforehand ("from the File" adds registering it: coi reads it into its heap, eh registers a handle). ' +
      'DuckDB-WASM has no Parquet offline (its parquet extension is downloaded from extensions.duckdb.org). Queries: every peer on the CSV\'s values.');
    const mem = [];
    for (const format of ['csv', 'parquet']) {
      for (const peer of ['sift', 'duckdb-coi', 'duckdb-eh']) {
        const l = load(format, peer);
        if (!l) continue;
        const opens = (l.openMs ? `; open ${l.openMs.map(fmtMs).join(', ')} ms (timed runs)` : '')
          + (l.opens ? `; opens alone ${l.opens.ms.map(fmtMs).join(', ')} ms, CPU ${fmtMs(l.opens.cpuMs.renderer)} + ${fmtMs(l.opens.cpuMs.other)} ms each` : '');
        const extra = peer === 'sift' ? `open ${fmtMs(l.first.openMs)} ms + decode ${fmtMs(l.first.decodeMs)} ms (first)${opens}; columns ${fmtBytes(l.first.columnBytes)}`
          : `threads ${l.setup.threads}; ${l.setup.register}; ${l.setup.version}`;
        const cpu = l.first.cpuMs ? `${fmtMs(l.first.cpuMs.renderer)} + ${fmtMs(l.first.cpuMs.other)}` : '—';
        mem.push([`${format} ${peer}`, fmtBytes(l.fileBytes), fmtBytes(l.rssBefore), fmtBytes(l.peakHwm), fmtBytes(l.peakHwm - l.rssBefore), cpu, extra]);
      }
    }
    if (mem.length) {
      out.push('\nLoads: a fresh browser per row; peak = renderer VmHWM after the first load');
      out.push(grid(['load', 'file', 'RSS before', 'peak', 'peak − before', 'CPU ms (renderer + browser)', 'notes'], mem));
    }
    const s4 = qMed(`sift-${w}w`, 'Q4');
    target('Q4 ≥ 10× faster than DuckDB-WASM (threaded)', ratio(qMed('duckdb-coi', 'Q4'), s4), fmtX(ratio(qMed('duckdb-coi', 'Q4'), s4)), ratio(qMed('duckdb-coi', 'Q4'), s4) >= 10);
    target('Q4 ≥ 4× faster than plain JS', ratio(qMed('plain', 'Q4'), s4), fmtX(ratio(qMed('plain', 'Q4'), s4)), ratio(qMed('plain', 'Q4'), s4) >= 4);
    for (const job of ['Q1', 'Q2', 'Q3']) {
      const r = ratio(qMed('duckdb-coi', job), qMed(`sift-${w}w`, job));
      target(`${job} ≥ 5× faster than DuckDB-WASM (threaded)`, r, fmtX(r), r >= 5);
    }
    const fl = ratio(s4, med(P[`sift-${w}w`]?.jobs.Q4?.floor?.ms));
    target('Q4 within 3× of the SIMD floor', fl, fmtX(fl), fl <= 3);
    const lc = ratio(load('csv', 'duckdb-coi')?.medianMs, load('csv', 'sift')?.medianMs);
    target('CSV load ≥ 2× faster than DuckDB-WASM (threaded), its File already in its heap', lc, fmtX(lc), lc >= 2);
    const lf = ratio(fromFile(load('csv', 'duckdb-coi')), load('csv', 'sift')?.medianMs);
    target('CSV load ≥ 2× faster than DuckDB-WASM (threaded), both from the File', lf, fmtX(lf), lf >= 2);
    const pm = ratio(load('csv', 'sift')?.peakHwm, load('csv', 'duckdb-coi')?.peakHwm);
    target('CSV load renderer peak ≤ 1/4 of DuckDB-WASM\'s', pm, pm == null ? '—' : `${pm.toFixed(2)} of it`, pm <= 0.25);
    const sc = ratio(qMed('sift-1w', 'Q4'), s4);
    target('2 workers ≥ 1.7× faster than 1 on Q4', sc, fmtX(sc), sc >= 1.7);
  }

  const n = report.node;
  if (n) {
    const rows = [];
    for (const [label, key] of [['load csv', 'loadCsv'], ['load parquet', 'loadParquet']]) {
      const s = med(n.sift[key]?.ms), d = med(n.duckdb[key]?.ms);
      rows.push([label, fmtMs(s), fmtMs(d), '—', '—', fmtX(ratio(d, s)), '—', '—', '']);
    }
    for (const job of JOBS) {
      const s = med(n.sift[job]?.ms), d = med(n.duckdb[job]?.ms), p = med(n.plain[job]?.ms), f = med(n.sift[job]?.floorMs);
      const bad = binProblems.some((b) => b.startsWith(`node`) && b.includes(` ${job}:`));
      rows.push([job, fmtMs(s), fmtMs(d), fmtMs(p), fmtMs(f), fmtX(ratio(d, s)), fmtX(ratio(p, s)), fmtX(ratio(s, f)), bad ? 'DIFFER' : 'equal']);
    }
    out.push(`\nNode (${n.runtime}), Sift on ${n.workers} workers vs @duckdb/node-api ${n.duckdb.version} (threads ${n.duckdb.threads}); Sift loads = open + one run decoding every column`);
    out.push(grid(['job', 'Sift', 'DuckDB', 'plain JS', 'floor', 'DuckDB/Sift', 'plain/Sift', 'Sift/floor', 'bins'], rows));
  }

  const g = report.genome;
  if (g) {
    const ideal = g.file.rows * (2 * 4 + 32);
    const rows = g.runs.map((r) => [String(r.workers), fmtBytes(g.file.bytes), fmtBytes(r.load.columnBytes), fmtBytes(ideal),
      fmtX(ratio(r.load.columnBytes, ideal)), fmtBytes(r.rssBefore), fmtBytes(r.peakHwm), fmtX(ratio(r.peakHwm, g.file.bytes)),
      fmtBytes(r.load.memoryBytes), fmtMs(r.load.ms), r.cpuMs ? `${fmtMs(r.cpuMs.renderer)} + ${fmtMs(r.cpuMs.other)}` : '—']);
    out.push(`\nGenome-matrix TSV (seed 002): ${g.file.rows.toLocaleString('en-US')} rows, 2 int + 32 one-letter columns; a fresh browser per row`);
    out.push(grid(['workers', 'file', 'resident', 'ideal', 'res/ideal', 'RSS before', 'renderer peak', 'peak/file', 'wasm memory', 'load ms', 'CPU ms (renderer + browser)'], rows));
    const r2 = g.runs.find((r) => r.workers === 2), r1 = g.runs.find((r) => r.workers === 1);
    const rr = ratio(r2?.load.columnBytes, ideal);
    target('genome TSV: resident ≤ 1.5× the ideal column bytes', rr, fmtX(rr), rr <= 1.5, true);
    // over each browser's own baseline; below a million rows the baselines' noise exceeds the columns
    const extra = r1 && r2 ? (r2.peakHwm - r2.rssBefore) - (r1.peakHwm - r1.rssBefore) : null;
    target('genome TSV: a 2nd worker adds no copy (growth over baseline, 2w − 1w, < half the ideal bytes)', extra, fmtBytes(extra), extra < ideal / 2, g.file.rows >= 1_000_000);
  }

  const c = report.creep;
  if (c) {
    const d = (k) => (c.atEnd?.[k] == null || c.at10?.[k] == null ? null : c.atEnd[k] - c.at10[k]);
    out.push(`\nJIT creep (seed 000): ${c.runs} analyses with new expression strings over one dataset`);
    out.push(grid(['measure', 'after run 10', `after run ${c.runs}`, 'growth'], [
      ['page + workers JS/wasm (measureUserAgentSpecificMemory)', fmtBytes(c.at10?.uaBytes), fmtBytes(c.atEnd?.uaBytes), fmtBytes(d('uaBytes'))],
      ['renderer RSS', fmtBytes(c.at10?.rss), fmtBytes(c.atEnd?.rss), fmtBytes(d('rss'))],
      ['engine wasm memory', fmtBytes(c.at10?.wasmBytes), fmtBytes(c.atEnd?.wasmBytes), fmtBytes(d('wasmBytes'))],
    ]));
    target(`JIT creep: growth ≤ 5 MB over ${c.runs} analyses (UA-measured memory)`, d('uaBytes'), fmtBytes(d('uaBytes')), d('uaBytes') <= 5e6, c.runs >= 500);
  }

  if (binProblems.length) out.push(`\nBINS DIFFER — times above are not comparable:\n  ${binProblems.slice(0, 20).join('\n  ')}`);
  if (verdicts.length) {
    out.push(`\nTargets${full ? '' : ' (reduced size: ratios shown, speed targets not judged)'}:`);
    for (const v of verdicts) out.push(`  ${v.met == null ? 'not judged' : v.met ? 'met   ' : 'MISSED'}  ${v.target}: ${v.shown}`);
  }
  return { text: out.join('\n'), verdicts, binProblems };
}
