import { useRef, useState } from 'react';
import type { HistogramResult } from '../../workers/protocol';
import { useApp, useSession, useTheme } from '../state/context';
import type { HistItem } from '../state/model';
import { plotColors } from './colors';
import { download, fileStem, toCSV, toJSON, toPNG, toSVG } from './export';
import { Hist1D } from './Hist1D';
import { Hist2D } from './Hist2D';
import type { PlotHandle } from './PlotHandle';
import { statsRows } from './stats';
import { fmtValue, timeKindOf } from '../time';
import { CachedBadge } from '../cache/CachedBadge';

const HEIGHT = 260;
const NONE: HistogramResult | undefined = undefined;

/** One booked histogram: its live chart, stats box, toolbar and exports. */
export function PlotCard({ item }: { item: HistItem }) {
  const session = useSession();
  const theme = useTheme();
  const hist = useApp((s) => s.result?.histograms.find((h) => h.name === item.name) ?? NONE);
  const gen = useApp((s) => s.result?.gen ?? 0);
  const cached = useApp((s) => !!s.cachedResults?.histograms.includes(item.name));
  const [logY, setLogY] = useState(false);
  const [style, setStyle] = useState<'steps' | 'bars'>('steps');
  const [brush, setBrush] = useState<{ lo: number; hi: number } | null>(null);
  const [exportError, setExportError] = useState<string>();
  const handle = useRef<PlotHandle | null>(null);
  const twoD = !!item.y;
  const columns = useApp((s) => s.dataset?.columns);
  const defines = useApp((s) => s.model.defines);
  const xTime = columns ? timeKindOf(item.x.expr, columns, defines) : undefined;
  const yTime = columns && item.y ? timeKindOf(item.y.expr, columns, defines) : undefined;
  const headingId = `plot-${item.id}`;

  const stats = hist ? statsRows(hist, xTime, yTime) : [];
  const stem = fileStem(item.name);
  const exports = {
    csv: () => hist && download(new Blob([toCSV(hist)], { type: 'text/csv' }), `${stem}.csv`),
    json: () => hist && download(new Blob([toJSON(hist, item)], { type: 'application/json' }), `${stem}.json`),
    svg: () => hist && download(new Blob([toSVG(hist, {
      title: item.name, xLabel: item.x.expr, ...(item.y ? { yLabel: item.y.expr } : {}), log: logY, style, colors: plotColors(), stats,
    })], { type: 'image/svg+xml' }), `${stem}.svg`),
    png: () => {
      const h = handle.current;
      if (!h) return;
      toPNG(h.canvas(), item.name, plotColors(), twoD ? [] : stats, h.colorBar?.())
        .then((b) => download(b, `${stem}.png`))
        .catch((e: Error) => setExportError(e.message));
    },
  };

  const closeBrush = () => { setBrush(null); handle.current?.clearSelection(); };

  return (
    <article className="plot-card" aria-labelledby={headingId} data-testid="plot" data-name={item.name} data-kind={twoD ? '2d' : '1d'}
      data-entries={hist?.entries} data-state={hist ? 'shown' : 'empty'} data-cached={hist && cached ? 'true' : 'false'}>
      <header className="plot-head">
        <h3 id={headingId}>{item.name}</h3>
        {hist && cached && <CachedBadge />}
        <span className="muted plot-def">{item.x.expr}{item.y ? ` vs ${item.y.expr}` : ''}{item.after ? ` · after ${item.after}` : ''}{item.weight ? ` · w=${item.weight}` : ''}</span>
        <div className="tools" role="toolbar" aria-label={`${item.name} plot tools`}>
          {!twoD && (
            <button type="button" aria-pressed={style === 'bars'} onClick={() => setStyle(style === 'bars' ? 'steps' : 'bars')} title="Steps or bars">bars</button>
          )}
          <button type="button" aria-pressed={logY} onClick={() => setLogY(!logY)} data-testid="log-toggle" title={twoD ? 'Logarithmic colour scale' : 'Logarithmic y axis'}>log {twoD ? 'z' : 'y'}</button>
          <span className="sep" aria-hidden="true" />
          <button type="button" onClick={exports.png} disabled={!hist} data-testid="export-png" aria-label={`export ${item.name} as PNG`}>PNG</button>
          <button type="button" onClick={exports.svg} disabled={!hist} data-testid="export-svg" aria-label={`export ${item.name} as SVG`}>SVG</button>
          <button type="button" onClick={exports.csv} disabled={!hist} data-testid="export-csv" aria-label={`export ${item.name} bin contents as CSV`}>CSV</button>
          <button type="button" onClick={exports.json} disabled={!hist} data-testid="export-json" aria-label={`export ${item.name} bin contents as JSON`}>JSON</button>
        </div>
      </header>
      <div className="plot-body" style={{ minHeight: HEIGHT }}>
        {hist && hist.y && twoD && (
          <Hist2D hist={hist} gen={gen} logZ={logY} xLabel={item.x.expr} yLabel={item.y!.expr} xTime={xTime} yTime={yTime} theme={theme} height={HEIGHT} handle={handle} />
        )}
        {hist && !hist.y && !twoD && (
          <Hist1D hist={hist} gen={gen} logY={logY} style={style} xLabel={item.x.expr} xTime={xTime} theme={theme} height={HEIGHT} handle={handle}
            onBrush={(lo, hi) => setBrush({ lo, hi })} />
        )}
        {(!hist || !!hist.y !== twoD) && <div className="plot-empty" role="status">{item.pending ?? item.note ?? 'waiting for the run…'}</div>}
        {hist && (
          <dl className={twoD ? 'stats-line stats-2d' : 'stats-box'} data-testid="stats-box" aria-label={`${item.name} statistics`}>
            {stats.map(([k, v]) => <div key={k}><dt>{k}</dt><dd>{v}</dd></div>)}
          </dl>
        )}
      </div>
      {brush && (
        <div className="brush" role="group" aria-label="selected range" data-testid="brush">
          <span>{item.x.expr} ∈ [{fmtValue(brush.lo, xTime)}, {fmtValue(brush.hi, xTime)})</span>
          <button type="button" className="primary" data-testid="brush-add-cut" onClick={() => { session.addRangeCut(item, brush.lo, brush.hi); closeBrush(); }}>Add as cut</button>
          <button type="button" onClick={closeBrush}>Dismiss</button>
        </div>
      )}
      {exportError && <p className="diag" role="alert">{exportError}</p>}
    </article>
  );
}
