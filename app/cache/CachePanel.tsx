import { useCallback, useEffect, useState } from 'react';
import { useApp, useSession } from '../state/context';
import { fmtBytes, fmtInt } from '../format';
import type { CacheSummary } from '../state/session';

/** The caches' contents per dataset (results and parsed columns), with Clear for one dataset or all. */
export function CachePanel() {
  const session = useSession();
  const notice = useApp((s) => s.cacheNotice);
  const gen = useApp((s) => s.run.gen);
  const [open, setOpen] = useState(false);
  const [summary, setSummary] = useState<CacheSummary>();
  const [busy, setBusy] = useState(false);
  const refresh = useCallback(() => { void session.cacheSummary().then(setSummary); }, [session]);
  // a finished run may have stored results: refresh while the panel shows
  useEffect(() => { if (open) refresh(); }, [open, gen, refresh]);
  const clear = async (dataset?: string) => {
    setBusy(true);
    try { await session.clearCache(dataset); } finally { setBusy(false); refresh(); }
  };
  const rows = summary?.datasets ?? [];
  return (
    <div className="cache-menu">
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)} data-testid="cache-toggle">Cache</button>
      {open && (
        <section className="panel cache-panel" aria-label="cache" data-testid="cache-panel">
          <h2>Cache</h2>
          {notice && <p className="note" role="status">{notice}</p>}
          {rows.length === 0 ? <p className="muted" data-testid="cache-empty">{summary ? 'Nothing cached.' : 'Reading…'}</p> : (
            <table data-testid="cache-table">
              <thead><tr><th scope="col">dataset</th><th scope="col">results</th><th scope="col">result bytes</th><th scope="col">column bytes</th><th /></tr></thead>
              <tbody>
                {rows.map((d) => (
                  <tr key={d.dataset} data-testid="cache-row" data-dataset={d.dataset} data-results={d.results} data-result-bytes={d.resultBytes} data-column-bytes={d.columnBytes}>
                    <th scope="row" title={d.dataset}>{d.label}</th>
                    <td className="num">{fmtInt(d.results)}</td>
                    <td className="num">{fmtBytes(d.resultBytes)}</td>
                    <td className="num">{fmtBytes(d.columnBytes)}</td>
                    <td><button type="button" disabled={busy} onClick={() => void clear(d.dataset)} data-testid="cache-clear-one" aria-label={`clear the cache of ${d.label}`}>Clear</button></td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <p>
            <button type="button" disabled={busy || rows.length === 0} onClick={() => void clear()} data-testid="cache-clear-all">Clear all</button>
            {' '}<span className="muted">Results are keyed by the dataset’s fingerprint and what each result depends on.</span>
          </p>
        </section>
      )}
    </div>
  );
}

/** Why the caches are off, when they are: everything still runs. */
export function CacheNotice() {
  const notice = useApp((s) => s.cacheNotice);
  return notice ? <p className="banner" role="status" data-testid="cache-notice">{notice}</p> : null;
}
