import { useApp, useSession } from '../state/context';
import type { AxisItem, HistItem } from '../state/model';
import { fmtValue, timeKindOf, type TimeKind } from '../time';

// a stable empty list: a fresh [] per read would make the store's selector never settle
const NO_COLUMNS: never[] = [];

const axisText = (a: AxisItem, t?: TimeKind) => `${a.expr}  [${a.bins} bins, ${fmtValue(a.lo, t, 4)} – ${fmtValue(a.hi, t, 4)})`;

export function HistogramList({ editing, onEdit }: { editing?: string; onEdit(h: HistItem): void }) {
  const session = useSession();
  const hists = useApp((s) => s.model.histograms);
  const diags = useApp((s) => s.diagnostics.byField);
  const columns = useApp((s) => s.dataset?.columns ?? NO_COLUMNS);
  const defines = useApp((s) => s.model.defines);
  const time = (a: AxisItem) => timeKindOf(a.expr, columns, defines);
  return (
    <ul className="items hists" data-testid="histograms">
      {hists.map((h) => {
        const problems = [...diags.entries()].filter(([k]) => k.startsWith(`${h.id}.`)).flatMap(([, v]) => v);
        return (
          <li key={h.id} className={`item hist${editing === h.id ? ' editing' : ''}`} data-testid="histogram-item" data-name={h.name}>
            <div className="hist-summary">
              <b>{h.name}</b> <span className="muted">{h.y ? '2D' : '1D'}{h.after ? ` after ${h.after}` : ', all rows'}{h.weight ? `, weight ${h.weight}` : ''}</span>
              <div className="mono">x: {h.pending ? `${h.x.expr}  [${h.x.bins} bins, auto]` : axisText(h.x, time(h.x))}</div>
              {h.y && <div className="mono">y: {h.pending ? `${h.y.expr}  [${h.y.bins} bins]` : axisText(h.y, time(h.y))}</div>}
              {h.pending && <div className="muted" role="status">{h.pending}</div>}
              {h.note && <div className="note">{h.note}</div>}
              {problems.map((d, i) => <p key={i} className="diag">{d.message}</p>)}
            </div>
            <button type="button" className="icon" aria-label={`edit histogram ${h.name}`} title="Edit" onClick={() => onEdit(h)}>✎</button>
            <button type="button" className="icon" aria-label={`remove histogram ${h.name}`} title="Remove" onClick={() => session.removeHistogram(h.id)}>×</button>
          </li>
        );
      })}
    </ul>
  );
}
