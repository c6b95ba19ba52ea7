import { useState, type DragEvent } from 'react';
import { useApp, useSession } from '../state/context';
import { AddNamedExpr } from './AddNamedExpr';
import { ExprInput } from './ExprInput';
import { NameInput } from './NameInput';

const DRAG_TYPE = 'application/x-sift-cut';

/** The ordered cut-flow: drag the handle (or use ↑ ↓) to reorder, the box to switch a cut off. */
export function CutList() {
  const session = useSession();
  const cuts = useApp((s) => s.model.cuts);
  const diags = useApp((s) => s.diagnostics.byField);
  const [over, setOver] = useState<number | null>(null);

  const onDrop = (e: DragEvent, to: number) => {
    const from = Number(e.dataTransfer.getData(DRAG_TYPE));
    setOver(null);
    if (!e.dataTransfer.types.includes(DRAG_TYPE) || !Number.isInteger(from)) return;
    e.preventDefault();
    e.stopPropagation();
    session.moveCut(from, to);
  };

  return (
    <section className="editor-section" aria-labelledby="cuts-heading">
      <h3 id="cuts-heading">Cuts <span className="count">{cuts.length}</span> <span className="hint">in order; drag to reorder</span></h3>
      <ol className="items" data-testid="cuts">
        {cuts.map((c, i) => (
          <li
            key={c.id}
            className={`item cut${c.enabled ? '' : ' off'}${over === i ? ' drop-target' : ''}`}
            data-testid="cut"
            data-name={c.name}
            onDragOver={(e) => { if (e.dataTransfer.types.includes(DRAG_TYPE)) { e.preventDefault(); e.dataTransfer.dropEffect = 'move'; setOver(i); } }}
            onDragLeave={() => setOver((o) => (o === i ? null : o))}
            onDrop={(e) => onDrop(e, i)}
          >
            <span
              className="handle"
              draggable
              aria-hidden="true"
              title="Drag to reorder"
              data-testid="cut-handle"
              onDragStart={(e) => { e.dataTransfer.setData(DRAG_TYPE, String(i)); e.dataTransfer.effectAllowed = 'move'; }}
            >⠿</span>
            <input type="checkbox" checked={c.enabled} aria-label={`apply cut ${c.name}`} title={c.enabled ? 'Switch this cut off' : 'Switch this cut on'}
              onChange={(e) => session.updateCut(c.id, { enabled: e.target.checked })} data-testid="cut-enabled" />
            <NameInput value={c.name} label={`name of cut ${c.name}`} diagnostics={diags.get(`${c.id}.name`)}
              onChange={(name) => session.updateCut(c.id, { name })} />
            <ExprInput value={c.expr} label={`expression of cut ${c.name}`} diagnostics={diags.get(`${c.id}.expr`)}
              onChange={(expr) => session.updateCut(c.id, { expr })} testId={`cut-expr-${c.name}`} />
            <span className="moves">
              <button type="button" className="icon" aria-label={`move cut ${c.name} up`} disabled={i === 0} onClick={() => session.moveCut(i, i - 1)}>↑</button>
              <button type="button" className="icon" aria-label={`move cut ${c.name} down`} disabled={i === cuts.length - 1} onClick={() => session.moveCut(i, i + 1)}>↓</button>
            </span>
            <button type="button" className="icon" aria-label={`remove cut ${c.name}`} title="Remove" onClick={() => session.removeCut(c.id)}>×</button>
          </li>
        ))}
      </ol>
      <AddNamedExpr kind="cut" />
    </section>
  );
}
