import { useMemo, useRef, useState } from 'react';
import { useApp, useSession } from '../state/context';
import type { Model } from '../state/model';
import { ExprInput } from './ExprInput';
import { NameInput } from './NameInput';

const DRAFT = 'draft';

/** The add row of the define and cut lists: name, expression, Enter to add. */
export function AddNamedExpr({ kind }: { kind: 'define' | 'cut' }) {
  const session = useSession();
  const model = useApp((s) => s.model);
  const [name, setName] = useState('');
  const [expr, setExpr] = useState('');
  const [tried, setTried] = useState(false);
  const nameRef = useRef<HTMLDivElement>(null);

  const diagnostics = useMemo(() => {
    if (expr.trim() === '' && name.trim() === '') return undefined;
    const item = { id: DRAFT, name: name.trim() || '_', expr: expr.trim() === '' ? '0' : expr };
    const trial: Model = kind === 'define'
      ? { ...model, defines: [...model.defines, item] }
      : { ...model, cuts: [...model.cuts, { ...item, enabled: true }] };
    return session.diagnose(trial);
  }, [session, model, kind, name, expr]);

  const nameDiags = name.trim() === '' ? (tried ? [{ message: `give the ${kind} a name` }] : undefined) : diagnostics?.byField.get(`${DRAFT}.name`);
  const exprDiags = expr.trim() === '' ? (tried ? [{ message: 'type an expression' }] : undefined) : diagnostics?.byField.get(`${DRAFT}.expr`);

  const add = () => {
    setTried(true);
    if (name.trim() === '') { nameRef.current?.querySelector('input')?.focus(); return; }
    if (expr.trim() === '' || nameDiags || exprDiags) return;
    if (kind === 'define') session.addDefine(name.trim(), expr);
    else session.addCut(name.trim(), expr);
    setName('');
    setExpr('');
    setTried(false);
    nameRef.current?.querySelector('input')?.focus();
  };

  return (
    <form className="add-row" aria-label={`add a ${kind}`} onSubmit={(e) => { e.preventDefault(); add(); }}>
      <div ref={nameRef}>
        <NameInput value={name} onChange={setName} label={`new ${kind} name`} placeholder="name" diagnostics={nameDiags} testId={`new-${kind}-name`} />
      </div>
      <ExprInput value={expr} onChange={setExpr} label={`new ${kind} expression`} placeholder={kind === 'define' ? 'expression, e.g. hypot(mu1_px, mu1_py)' : 'condition, e.g. abs(mu1_eta) < 2.4'}
        diagnostics={exprDiags} onEnter={add} testId={`new-${kind}-expr`} exclude={name.trim()} />
      <button type="submit" data-testid={`add-${kind}`}>Add</button>
    </form>
  );
}
