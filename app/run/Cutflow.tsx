import { useApp } from '../state/context';
import { fmtInt, pct } from '../format';
import { CachedBadge } from '../cache/CachedBadge';

/** RDataFrame's Report(): each cut's pass count, its efficiency, and the cumulative one. */
export function Cutflow() {
  const result = useApp((s) => s.result);
  const rows = result?.cutflow ?? [];
  const all = rows[0]?.total ?? result?.rowsDone ?? 0;
  const cachedCuts = useApp((s) => s.cachedResults?.cuts);
  const isCached = (name: string) => !!cachedCuts?.includes(name);
  const allCached = rows.length > 0 && rows.every((c) => isCached(c.name));
  return (
    <section className="panel cutflow" aria-labelledby="cutflow-heading">
      <h2 id="cutflow-heading">Cut-flow {result && result.status !== 'done' && <span className="muted">({result.status})</span>}{allCached && <> <CachedBadge /></>}</h2>
      {rows.length === 0 ? <p className="muted">{result ? 'No cuts.' : 'No results yet.'}</p> : (
        <table aria-label="cut-flow" data-testid="cutflow" data-cached={allCached ? 'true' : 'false'}>
          <thead><tr><th scope="col">cut</th><th scope="col">pass</th><th scope="col">of previous</th><th scope="col">of all</th></tr></thead>
          <tbody>
            <tr className="muted"><th scope="row">all rows</th><td>{fmtInt(all)}</td><td /><td>100.00 %</td></tr>
            {rows.map((c) => (
              <tr key={c.name} data-testid="cutflow-row" data-name={c.name} data-pass={c.pass} data-total={c.total} data-cached={isCached(c.name) ? 'true' : 'false'}>
                <th scope="row">{c.name}</th>
                <td>{fmtInt(c.pass)}</td>
                <td>{pct(c.pass, c.total)}</td>
                <td>{pct(c.pass, all)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
