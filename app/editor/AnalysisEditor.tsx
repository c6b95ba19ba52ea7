import { useState } from 'react';
import { useApp } from '../state/context';
import type { HistItem } from '../state/model';
import { CutList } from './CutList';
import { DefineList } from './DefineList';
import { HistogramForm } from './HistogramForm';
import { HistogramList } from './HistogramList';

/** Defines, the ordered cuts and the booked histograms; every edit is checked at once and runs after a pause. */
export function AnalysisEditor() {
  const general = useApp((s) => s.diagnostics.general);
  const histCount = useApp((s) => s.model.histograms.length);
  const [editing, setEditing] = useState<HistItem | undefined>();
  return (
    <section className="panel editor" aria-labelledby="editor-heading" data-testid="editor">
      <h2 id="editor-heading">Analysis</h2>
      {general.map((d, i) => <p key={i} className="diag" role="alert">{d.message}</p>)}
      <DefineList />
      <CutList />
      <section className="editor-section" aria-labelledby="hists-heading">
        <h3 id="hists-heading">Histograms <span className="count">{histCount}</span></h3>
        <HistogramList editing={editing?.id} onEdit={setEditing} />
        <HistogramForm editing={editing} onDone={() => setEditing(undefined)} />
      </section>
    </section>
  );
}
