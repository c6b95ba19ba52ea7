import { useId } from 'react';
import { useApp, useSession } from '../state/context';
import { fmtBytes } from '../format';

const GiB = 1024 ** 3;
const BUDGETS = [0.5, 1, 2, 3, 3.5];
// budgets are binary (wasm32 caps a memory at 4 GiB); resident bytes are shown in decimal units
const fmtGiB = (b: number) => `${Number((b / GiB).toFixed(2))} GiB`;

/** Workers, isolation, resident column bytes against the budget, and the dictionaries beside it. */
export function StatusBar() {
  const session = useSession();
  const engine = useApp((s) => s.engine);
  const memory = useApp((s) => s.memory);
  const uid = useId();
  const used = memory?.columnBytes ?? 0;
  const budget = memory?.budgetBytes ?? 0;
  const frac = budget > 0 ? Math.min(1, used / budget) : 0;
  return (
    <div className="status" aria-label="engine status" data-testid="status">
      <span>workers <b data-testid="workers">{engine?.workers ?? '…'}</b></span>
      <span>crossOriginIsolated <b data-testid="isolated">{engine ? String(engine.crossOriginIsolated) : '…'}</b></span>
      <span className="memory">
        <span id={`${uid}-mem`}>columns <b data-testid="resident">{fmtBytes(used)}</b> of</span>
        <select aria-label="memory budget for column data" value={budget > 0 ? String(budget / GiB) : ''} disabled={!memory}
          onChange={(e) => session.setBudget(Number(e.target.value) * GiB)} data-testid="budget">
          {budget > 0 && !BUDGETS.includes(budget / GiB) && <option value={String(budget / GiB)}>{fmtGiB(budget)}</option>}
          {BUDGETS.map((g) => <option key={g} value={String(g)}>{g} GiB</option>)}
        </select>
        <span className="bar small" role="meter" aria-labelledby={`${uid}-mem`} aria-valuemin={0} aria-valuemax={budget} aria-valuenow={used}>
          <span style={{ width: `${frac * 100}%` }} />
        </span>
        {(memory?.dictionaryBytes ?? 0) > 0 && (
          <span title="the string columns' dictionaries, estimated: held by the engine outside the column memory and its budget" data-testid="dictionaries">
            + dictionaries <b>{fmtBytes(memory!.dictionaryBytes)}</b>
          </span>
        )}
      </span>
    </div>
  );
}

/** Shown when the page can't share memory between workers (DESIGN.md, invariant 7). */
export function IsolationBanner() {
  const engine = useApp((s) => s.engine);
  if (!engine || engine.shared) return null;
  return (
    <div className="banner" role="status" data-testid="isolation-banner">
      This page is not cross-origin isolated, so Sift runs in its fallback: one worker, without shared memory. Runs are correct but slower.
      {' '}Serve it with <code>Cross-Origin-Opener-Policy: same-origin</code> and <code>Cross-Origin-Embedder-Policy: require-corp</code> to use every core.
    </div>
  );
}
