import { useEffect, useMemo, useState, useId } from 'react';
import type { Diagnostic } from '../../workers/expr';
import { useApp, useSession } from '../state/context';
import { freeName, type AxisItem, type HistItem, type Model } from '../state/model';
import { ExprInput } from './ExprInput';
import { NameInput } from './NameInput';

interface AxisForm { expr: string; bins: string; lo: string; hi: string; auto: boolean }
export interface HistForm { name: string; x: AxisForm; twoD: boolean; y: AxisForm; weight: string; after: string }

const DRAFT = 'draft-h';
const newAxis = (): AxisForm => ({ expr: '', bins: '100', lo: '', hi: '', auto: true });

export const emptyForm = (after = ''): HistForm => ({ name: '', x: newAxis(), twoD: false, y: { ...newAxis(), bins: '50' }, weight: '', after });

export function formFrom(h: HistItem): HistForm {
  const axis = (a: AxisItem): AxisForm => ({ expr: a.expr, bins: String(a.bins), lo: String(a.lo), hi: String(a.hi), auto: false });
  return { name: h.name, x: axis(h.x), twoD: !!h.y, y: h.y ? axis(h.y) : { ...newAxis(), bins: '50' }, weight: h.weight ?? '', after: h.after ?? '' };
}

const num = (s: string) => (s.trim() === '' ? NaN : Number(s));

function itemFrom(f: HistForm, name: string): Omit<HistItem, 'id'> {
  const axis = (a: AxisForm): AxisItem => ({
    expr: a.expr.trim() === '' ? '0' : a.expr,
    bins: num(a.bins),
    // an auto range is found later; any valid range stands in while checking
    lo: a.auto ? 0 : num(a.lo),
    hi: a.auto ? 1 : num(a.hi),
  });
  return {
    name,
    x: axis(f.x),
    ...(f.twoD ? { y: axis(f.y) } : {}),
    ...(f.weight.trim() !== '' ? { weight: f.weight } : {}),
    ...(f.after !== '' ? { after: f.after } : {}),
  };
}

/** Checks a form's own fields before they reach the document's rules. */
function localProblems(f: HistForm, axisName: 'x' | 'y'): Map<string, Diagnostic[]> {
  const out = new Map<string, Diagnostic[]>();
  const a = f[axisName];
  if (!a.auto) {
    if (a.lo.trim() === '') out.set(`${axisName}.lo`, [{ message: 'enter lo, or choose auto' }]);
    if (a.hi.trim() === '') out.set(`${axisName}.hi`, [{ message: 'enter hi, or choose auto' }]);
  }
  return out;
}

interface Props {
  editing?: HistItem;
  onDone(): void;
}

/** Books a 1D or 2D histogram: expressions, binning (or auto), weight, and after which cut it fills. */
export function HistogramForm({ editing, onDone }: Props) {
  const session = useSession();
  const model = useApp((s) => s.model);
  const lastCut = model.cuts.length ? model.cuts[model.cuts.length - 1]!.name : '';
  const [f, setF] = useState<HistForm>(() => (editing ? formFrom(editing) : emptyForm(lastCut)));
  const [tried, setTried] = useState(false);
  const uid = useId();

  // a new pick resets the form; later edits to the cuts must not wipe what is being typed
  useEffect(() => { setF(editing ? formFrom(editing) : emptyForm(lastCut)); setTried(false); }, [editing]);
  // until the user picks one, a new histogram fills after the last cut
  const [afterPicked, setAfterPicked] = useState(false);
  useEffect(() => { if (!editing && !afterPicked) setF((old) => ({ ...old, after: lastCut })); }, [lastCut, editing, afterPicked]);

  const name = f.name.trim() || freeName(model, f.x.expr.trim() ? f.x.expr.trim() + (f.twoD && f.y.expr.trim() ? `_vs_${f.y.expr.trim()}` : '') : 'h');
  const touched = f.x.expr.trim() !== '' || f.name.trim() !== '';

  const problems = useMemo(() => {
    const item = { ...itemFrom(f, name), id: DRAFT };
    const trial: Model = {
      ...model,
      histograms: editing ? model.histograms.map((h) => (h.id === editing.id ? item : h)) : [...model.histograms, item],
    };
    const d = session.diagnose(trial);
    const out = new Map<string, Diagnostic[]>();
    for (const [k, v] of d.byField) if (k.startsWith(`${DRAFT}.`)) out.set(k.slice(DRAFT.length + 1), v);
    for (const [k, v] of localProblems(f, 'x')) out.set(k, v);
    if (f.twoD) for (const [k, v] of localProblems(f, 'y')) out.set(k, v);
    if (f.x.expr.trim() === '') out.set('x.expr', [{ message: 'type the x expression' }]);
    if (f.twoD && f.y.expr.trim() === '') out.set('y.expr', [{ message: 'type the y expression' }]);
    return out;
  }, [session, model, f, name, editing]);

  // an empty expression is only a problem once the user tries to book
  const show = (key: string): Diagnostic[] | undefined => {
    if (tried) return problems.get(key);
    if (!touched) return undefined;
    if ((key === 'x.expr' && f.x.expr.trim() === '') || (key === 'y.expr' && f.y.expr.trim() === '')) return undefined;
    return problems.get(key);
  };

  const submit = () => {
    setTried(true);
    if (problems.size > 0) return;
    session.bookHistogram(itemFrom(f, name), { x: f.x.auto, y: f.twoD && f.y.auto }, editing?.id);
    setF({ ...emptyForm(f.after), x: { ...newAxis(), bins: f.x.bins } });
    setTried(false);
    onDone();
  };

  const setAxis = (which: 'x' | 'y', patch: Partial<AxisForm>) => setF((old) => ({ ...old, [which]: { ...old[which], ...patch } }));

  const axisFields = (which: 'x' | 'y') => {
    const a = f[which];
    const binning = [show(`${which}.bins`), show(`${which}.lo`), show(`${which}.hi`)].find((d) => d)?.[0];
    return (
      <fieldset className="axis" aria-label={`${which} axis`}>
        <legend>{which}</legend>
        <ExprInput value={a.expr} onChange={(expr) => setAxis(which, { expr })} label={`histogram ${which} expression`} placeholder={`${which} expression`}
          diagnostics={show(`${which}.expr`)} onEnter={submit} testId={`hist-${which}-expr`} />
        <div className="binning">
          <label>bins <input type="number" min={1} step={1} inputMode="numeric" value={a.bins} onChange={(e) => setAxis(which, { bins: e.target.value })}
            aria-invalid={show(`${which}.bins`) ? true : undefined} data-testid={`hist-${which}-bins`} onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); submit(); } }} /></label>
          <label>lo <input type="number" step="any" value={a.auto ? '' : a.lo} disabled={a.auto} placeholder={a.auto ? 'auto' : ''} onChange={(e) => setAxis(which, { lo: e.target.value })}
            aria-invalid={show(`${which}.lo`) ? true : undefined} data-testid={`hist-${which}-lo`} /></label>
          <label>hi <input type="number" step="any" value={a.auto ? '' : a.hi} disabled={a.auto} placeholder={a.auto ? 'auto' : ''} onChange={(e) => setAxis(which, { hi: e.target.value })}
            aria-invalid={show(`${which}.hi`) ? true : undefined} data-testid={`hist-${which}-hi`} /></label>
          <label className="check"><input type="checkbox" checked={a.auto} onChange={(e) => setAxis(which, { auto: e.target.checked })} data-testid={`hist-${which}-auto`} /> auto</label>
        </div>
        {binning && <p className="diag" role="status" data-testid={`hist-${which}-binning-error`}>{binning.message}</p>}
      </fieldset>
    );
  };

  return (
    <form className="hist-form" aria-label={editing ? `edit histogram ${editing.name}` : 'book a histogram'} onSubmit={(e) => { e.preventDefault(); submit(); }} data-testid="hist-form">
      <div className="row">
        <span className="field-label" aria-hidden="true">name</span>
        <NameInput value={f.name} onChange={(v) => setF({ ...f, name: v })} label="histogram name" placeholder={name} diagnostics={show('name')} testId="hist-name" onEnter={submit} />
      </div>
      {axisFields('x')}
      <label className="check"><input type="checkbox" checked={f.twoD} onChange={(e) => setF({ ...f, twoD: e.target.checked })} data-testid="hist-2d" /> 2D (y axis)</label>
      {f.twoD && axisFields('y')}
      <div className="row">
        <span className="field-label" aria-hidden="true">weight</span>
        <ExprInput value={f.weight} onChange={(weight) => setF({ ...f, weight })} label="histogram weight expression" placeholder="optional, e.g. weight"
          diagnostics={f.weight.trim() ? problems.get('weight') : undefined} onEnter={submit} testId="hist-weight" />
      </div>
      <div className="row">
        <label htmlFor={`${uid}-after`}>after cut</label>
        <select id={`${uid}-after`} value={f.after} onChange={(e) => { setAfterPicked(true); setF({ ...f, after: e.target.value }); }} data-testid="hist-after">
          <option value="">all rows (no cut)</option>
          {model.cuts.map((c) => <option key={c.id} value={c.name}>{c.name}{c.enabled ? '' : ' (off)'}</option>)}
        </select>
        {show('after') && <p className="diag">{show('after')![0]!.message}</p>}
      </div>
      <div className="row buttons">
        <button type="submit" className="primary" data-testid="book-histogram">{editing ? 'Save histogram' : 'Book histogram'}</button>
        {editing && <button type="button" onClick={onDone}>Cancel edit</button>}
      </div>
    </form>
  );
}
