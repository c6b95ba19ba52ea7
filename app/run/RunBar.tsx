import { useApp, useSession } from '../state/context';
import { fmtDuration, fmtInt, fmtRate } from '../format';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/**
 * Where the run is: a progress bar, rows/s, elapsed and ETA, Run and Cancel.
 * The status line (data-testid="run-status") is the automation hook: its
 * data-state turns "done" when a run finishes, and data-rows says how many rows it processed.
 */
export function RunBar() {
  const session = useSession();
  const run = useApp((s) => s.run);
  const busy = run.phase === 'running' || run.phase === 'ranging' || run.phase === 'waiting';
  const p = run.progress;
  const frac = run.rows > 0 ? Math.min(1, run.rowsDone / run.rows) : 0;
  const text = (() => {
    switch (run.phase) {
      case 'starting': return 'starting the engine…';
      case 'idle': return 'ready';
      case 'waiting': return run.message ?? 'waiting…';
      case 'ranging': return `${run.message ?? 'finding ranges'}…`;
      case 'running': return `running: ${fmtInt(run.rowsDone)} of ${fmtInt(run.rows)} rows`;
      case 'done': return `done: ${fmtInt(run.rowsDone)} rows in ${fmtDuration(run.elapsedMs)}`;
      case 'cancelled': return `cancelled after ${fmtInt(run.rowsDone)} of ${fmtInt(run.rows)} rows`;
      case 'invalid': return run.message ?? 'the analysis has problems';
      case 'error': return `run failed: ${run.message ?? ''}`;
    }
  })();
  return (
    <section className="run-bar" aria-label="run">
      <div className="run-row">
        <button type="button" className="primary" onClick={() => void session.runNow(true)} title={`Run (${isMac ? '⌘' : 'Ctrl'}+Enter)`} data-testid="run">
          Run <kbd>{isMac ? '⌘' : 'Ctrl'}+Enter</kbd>
        </button>
        <button type="button" onClick={() => session.cancelRun()} disabled={!busy} data-testid="cancel-run" title="Cancel (Esc)">Cancel</button>
        <p className={`run-status ${run.phase}`} role="status" aria-live="polite" data-testid="run-status"
          data-state={run.phase} data-rows={run.rowsDone} data-total={run.rows} data-gen={run.gen} data-cached={run.cached}>{text}{run.phase === 'done' && run.cached > 0 ? ` (${fmtInt(run.cached)} cached)` : ''}</p>
      </div>
      <div className={`bar${run.phase === 'running' ? ' live' : ''}`} role="progressbar" aria-label="run progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(frac * 100)} data-testid="run-progress">
        <div style={{ width: `${frac * 100}%` }} />
      </div>
      <div className="stats-line muted timing" data-testid="run-timing">
        <span>{fmtRate(p?.rowsPerSec ?? 0, 'rows')}</span>
        <span>elapsed {fmtDuration(run.elapsedMs)}</span>
        <span>ETA {run.phase === 'running' && p ? fmtDuration(p.etaMs) : '–'}</span>
      </div>
    </section>
  );
}
