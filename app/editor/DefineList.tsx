import { useApp, useSession } from '../state/context';
import { AddNamedExpr } from './AddNamedExpr';
import { ExprInput } from './ExprInput';
import { NameInput } from './NameInput';

export function DefineList() {
  const session = useSession();
  const defines = useApp((s) => s.model.defines);
  const diags = useApp((s) => s.diagnostics.byField);
  return (
    <section className="editor-section" aria-labelledby="defines-heading">
      <h3 id="defines-heading">Defines <span className="count">{defines.length}</span></h3>
      <ul className="items" data-testid="defines">
        {defines.map((d) => (
          <li key={d.id} className="item" data-testid="define" data-name={d.name}>
            <NameInput value={d.name} label={`name of define ${d.name}`} diagnostics={diags.get(`${d.id}.name`)}
              onChange={(name) => session.updateDefine(d.id, { name })} />
            <span className="eq" aria-hidden="true">=</span>
            <ExprInput value={d.expr} label={`expression of define ${d.name}`} diagnostics={diags.get(`${d.id}.expr`)} exclude={d.name}
              onChange={(expr) => session.updateDefine(d.id, { expr })} testId={`define-expr-${d.name}`} />
            <button type="button" className="icon" aria-label={`remove define ${d.name}`} title="Remove" onClick={() => session.removeDefine(d.id)}>×</button>
          </li>
        ))}
      </ul>
      <AddNamedExpr kind="define" />
    </section>
  );
}
