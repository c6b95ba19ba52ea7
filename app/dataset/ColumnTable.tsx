import { useMemo } from 'react';
import { useApp, useSession } from '../state/context';
import { fmtBytes, fmtInt, fmtNum } from '../format';
import { Sparkline } from './Sparkline';
import { fmtTime, fmtValue } from '../time';

/** The columns of the open dataset; a click on a name books a histogram of it. */
export function ColumnTable() {
  const session = useSession();
  const dataset = useApp((s) => s.dataset);
  const stats = useApp((s) => s.stats);
  const statsBusy = useApp((s) => s.statsBusy);
  const statsError = useApp((s) => s.statsError);
  const memory = useApp((s) => s.memory);
  const resident = useMemo(() => new Map(memory?.columns.map((c) => [c.name, c.bytes]) ?? []), [memory]);
  const dictBytes = useMemo(() => new Map(memory?.columns.map((c) => [c.name, c.dictionaryBytes]) ?? []), [memory]);
  if (!dataset) return null;
  const hasStats = Object.keys(stats).length > 0;
  return (
    <div className="columns">
      <div className="columns-head">
        <h3 id="columns-heading">Columns <span className="count">{dataset.columns.length}</span></h3>
        <button type="button" onClick={() => void session.computeStats()} disabled={statsBusy} data-testid="compute-stats">
          {statsBusy ? 'Computing…' : hasStats ? 'Recompute stats' : 'Compute min/max/mean'}
        </button>
      </div>
      {statsError && <p className="diag" role="alert" data-testid="stats-error">{statsError}</p>}
      <div className="table-scroll">
        <table className="column-table" aria-labelledby="columns-heading" data-testid="column-table">
          <thead>
            <tr><th scope="col">name</th><th scope="col">type</th><th scope="col">resident</th><th scope="col">min</th><th scope="col">max</th><th scope="col">mean</th><th scope="col"><span className="sr-only">distribution</span></th></tr>
          </thead>
          <tbody>
            {dataset.columns.map((c) => {
              const s = stats[c.name];
              const dict = c.type === 'dict';
              return (
                <tr key={c.name} data-testid="column-row" data-name={c.name}>
                  <th scope="row">
                    {dict
                      ? <span className="colname" title={`${c.description ?? ''}\nstring column: compare it in a cut, like ${c.name} == "${c.dictionary?.[0] ?? 'value'}"`}>{c.name}</span>
                      : <button type="button" className="link colname" title={`${c.description ? c.description + '\n' : ''}Book a histogram of ${c.name}`}
                          aria-label={`book a histogram of ${c.name}`} onClick={() => session.bookColumn(c.name)}>{c.name}</button>}
                    {c.unit && !c.time && <span className="muted"> {c.unit}</span>}
                  </th>
                  <td className="mono" title={dict && !c.dictionary?.length ? 'strings; distinct values are counted when the column is first read' : undefined}>
                    {dict ? (c.dictionary?.length ? `dict (${fmtInt(c.dictionary.length)})` : 'dict') : c.time ?? c.type}
                  </td>
                  <td className="num" title={dictBytes.get(c.name) ? `codes; its dictionary holds about ${fmtBytes(dictBytes.get(c.name)!)} more, outside the budget` : undefined}>
                    {fmtBytes(resident.get(c.name) ?? c.bytes)}
                  </td>
                  <td className="num">{s && s.count > 0 ? fmtValue(s.min, c.time, 4) : ''}</td>
                  <td className="num">{s && s.count > 0 ? fmtValue(s.max, c.time, 4) : ''}</td>
                  <td className="num">{s && s.count > 0 ? (c.time ? fmtTime(s.mean, 'timestamp') : fmtNum(s.mean)) : s && s.nan > 0 ? 'all NaN' : ''}</td>
                  <td>{s && <Sparkline bins={s.sparkline} label={`distribution of ${c.name}`} />}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {dataset.jagged.length > 0 && (
        <p className="muted" data-testid="jagged">
          Lists per row, read through reductions like <code>size(x)</code>, <code>sum(x)</code>, <code>max(x)</code> or <code>x[0]</code>:{' '}
          {dataset.jagged.map((j) => `${j.name} (${j.elementType})`).join(', ')}
        </p>
      )}
      {dataset.unsupported.length > 0 && (
        <details className="muted"><summary>{dataset.unsupported.length} columns Sift cannot read</summary>
          <ul>{dataset.unsupported.map((u) => <li key={u.name}><b>{u.name}</b>: {u.reason}</li>)}</ul>
        </details>
      )}
    </div>
  );
}
