import { createRoot } from 'react-dom/client';
import { App } from './App';
import { ensureIsolation } from './boot/isolation';
import { Session, type StartParams } from './state/session';
import './styles.css';

/** ?rows=, ?workers=, ?demo=, ?seed=: demo size and engine width, for tests, demos and benches. */
function params(): StartParams {
  const q = new URLSearchParams(location.search);
  const int = (k: string) => {
    const v = q.get(k);
    return v !== null && /^\d+$/.test(v) ? Number(v) : undefined;
  };
  return { rows: int('rows'), workers: int('workers'), demo: q.get('demo') ?? undefined, seed: int('seed') };
}

const root = document.getElementById('root')!;
if (await ensureIsolation() === 'reloading') {
  root.textContent = 'Reloading once to enable shared memory…';
} else {
  const session = new Session();
  createRoot(root).render(<App session={session} />);
  void session.start(params());
}
