import { useApp } from '../state/context';
import { PlotCard } from './PlotCard';

/** Every booked histogram, in booking order, in a grid that reflows with the window. */
export function PlotGrid() {
  const hists = useApp((s) => s.model.histograms);
  return (
    <section className="plots" id="plots" tabIndex={-1} aria-label="plots" data-testid="plots">
      {hists.length === 0 && <p className="muted empty-hint">Book a histogram in the editor, or click a column name, to see it fill here.</p>}
      {hists.map((h) => <PlotCard key={h.id} item={h} />)}
    </section>
  );
}
