import { useApp, useSession } from '../state/context';
import { fmtBytes, fmtDuration, fmtInt, fmtRate } from '../format';

/** Opening in progress: how far, how fast, how long still; cancellable. */
export function IngestProgress() {
  const session = useSession();
  const open = useApp((s) => s.open);
  if (!open.busy) return null;
  const p = open.progress;
  const frac = p && p.total > 0 ? Math.min(1, p.done / p.total) : 0;
  const amount = (v: number) => (p?.unit === 'B' ? fmtBytes(v) : `${fmtInt(v)} rows`);
  return (
    <div className="ingest" role="status" aria-live="polite" data-testid="ingest">
      <div className="row">
        <span>Opening <b>{open.label}</b>…</span>
        <button type="button" onClick={() => session.cancelOpen()} data-testid="cancel-open">Cancel</button>
      </div>
      <div className="bar" role="progressbar" aria-label="opening progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(frac * 100)}>
        <div style={{ width: `${frac * 100}%` }} />
      </div>
      {p && (
        <div className="stats-line muted">
          <span>{amount(p.done)} / {amount(p.total)}</span>
          <span>{p.unit === 'B' ? `${fmtBytes(p.perSec)}/s` : fmtRate(p.perSec, 'rows')}</span>
          <span>ETA {fmtDuration(p.etaMs)}</span>
        </div>
      )}
    </div>
  );
}
