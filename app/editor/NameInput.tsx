import { useId } from 'react';
import type { Diagnostic } from '../../workers/expr';

interface Props {
  value: string;
  onChange(v: string): void;
  label: string;
  diagnostics?: readonly Diagnostic[];
  placeholder?: string;
  testId?: string;
  onEnter?(): void;
}

/** A name field (define, cut, histogram) with its problem under it. */
export function NameInput({ value, onChange, label, diagnostics, placeholder, testId, onEnter }: Props) {
  const msgId = useId();
  const diag = diagnostics?.[0];
  return (
    <div className="name-field">
      <input
        type="text"
        className={`name${diag ? ' invalid' : ''}`}
        aria-label={label}
        aria-invalid={diag ? true : undefined}
        aria-describedby={diag ? msgId : undefined}
        spellCheck={false}
        autoComplete="off"
        value={value}
        placeholder={placeholder}
        data-testid={testId}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => { if (e.key === 'Enter' && onEnter && !e.ctrlKey && !e.metaKey) { e.preventDefault(); onEnter(); } }}
      />
      {diag && <p className="diag" id={msgId}>{diag.message}</p>}
    </div>
  );
}
