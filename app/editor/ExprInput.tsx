import { useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { Diagnostic } from '../../workers/expr';
import { useSession } from '../state/context';
import { complete, wordAt, type Completion } from './completions';

interface Props {
  value: string;
  onChange(value: string): void;
  /** the accessible name, e.g. "expression of define pt" */
  label: string;
  diagnostics?: readonly Diagnostic[];
  placeholder?: string;
  /** a define doesn't complete to itself */
  exclude?: string;
  onEnter?(): void;
  testId?: string;
  id?: string;
}

/**
 * An expression input that completes names and underlines the first problem
 * at its position. The underline is drawn in a mirror of the text behind a
 * transparent input, so the caret and selection stay the browser's own.
 */
export function ExprInput({ value, onChange, label, diagnostics, placeholder, exclude, onEnter, testId, id }: Props) {
  const session = useSession();
  const uid = useId();
  const inputId = id ?? `${uid}-input`;
  const listId = `${uid}-list`;
  const msgId = `${uid}-msg`;
  const input = useRef<HTMLInputElement>(null);
  const mirror = useRef<HTMLDivElement>(null);
  const [items, setItems] = useState<Completion[]>([]);
  const [active, setActive] = useState(0);
  const [word, setWord] = useState<{ start: number; end: number } | null>(null);

  const diag = diagnostics?.[0];
  const parts = useMemo(() => {
    if (!diag || diag.start === undefined) return null;
    const start = Math.min(diag.start, value.length);
    const end = Math.max(start, Math.min(diag.end ?? start, value.length));
    return { before: value.slice(0, start), bad: value.slice(start, end), after: value.slice(end) };
  }, [diag, value]);

  const refresh = (text: string, caret: number | null) => {
    const w = caret === null ? null : wordAt(text, caret);
    if (!w) { setItems([]); setWord(null); return; }
    const found = complete(w.word, session.names(), exclude);
    setItems(found);
    setActive(0);
    setWord(found.length ? w : null);
  };

  const sync = () => { if (mirror.current && input.current) mirror.current.scrollLeft = input.current.scrollLeft; };

  const accept = (c: Completion) => {
    if (!word) return;
    const next = value.slice(0, word.start) + c.insert + value.slice(word.end);
    onChange(next);
    setItems([]);
    setWord(null);
    const caret = word.start + c.insert.length;
    requestAnimationFrame(() => { input.current?.setSelectionRange(caret, caret); sync(); });
  };

  const applySuggestion = () => {
    if (!diag?.suggestion || diag.start === undefined) return;
    onChange(value.slice(0, diag.start) + diag.suggestion + value.slice(diag.end ?? diag.start));
    input.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    const open = items.length > 0;
    if (open && e.key === 'ArrowDown') { e.preventDefault(); setActive((active + 1) % items.length); return; }
    if (open && e.key === 'ArrowUp') { e.preventDefault(); setActive((active - 1 + items.length) % items.length); return; }
    if (open && (e.key === 'Tab' || (e.key === 'Enter' && !e.ctrlKey && !e.metaKey))) {
      e.preventDefault();
      accept(items[active]!);
      return;
    }
    if (open && e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); setItems([]); return; }
    if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey && onEnter) { e.preventDefault(); onEnter(); }
  };

  const open = items.length > 0;
  return (
    <div className="expr-field">
      <div className={`expr${diag ? ' invalid' : ''}`}>
        <div className="expr-mirror" ref={mirror} aria-hidden="true">
          {parts ? <>{parts.before}<span className="expr-err">{parts.bad || ' '}</span>{parts.after}</> : value}
          {' '}
        </div>
        <input
          ref={input}
          id={inputId}
          type="text"
          role="combobox"
          aria-label={label}
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls={listId}
          aria-activedescendant={open ? `${listId}-${active}` : undefined}
          aria-invalid={diag ? true : undefined}
          aria-describedby={diag ? msgId : undefined}
          autoComplete="off"
          spellCheck={false}
          placeholder={placeholder}
          value={value}
          data-testid={testId}
          onChange={(e) => { onChange(e.target.value); refresh(e.target.value, e.target.selectionStart); sync(); }}
          onKeyDown={onKeyDown}
          onScroll={sync}
          onSelect={sync}
          onBlur={() => setItems([])}
        />
        {open && (
          <ul className="completions" role="listbox" id={listId} aria-label={`completions for ${label}`}>
            {items.map((c, i) => (
              <li
                key={`${c.kind}:${c.label}`}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === active}
                onMouseDown={(e) => { e.preventDefault(); accept(c); }}
              >
                <span>{c.label}</span><small>{c.kind}</small>
              </li>
            ))}
          </ul>
        )}
      </div>
      {diag && (
        <p className="diag" id={msgId} data-testid={testId ? `${testId}-error` : undefined} data-start={diag.start} data-end={diag.end}>
          {diag.start !== undefined && <span className="diag-at">col {diag.start + 1}: </span>}
          {diag.message}
          {diag.suggestion && diag.start !== undefined && (
            <> <button type="button" className="link" onClick={applySuggestion}>use ‘{diag.suggestion}’</button></>
          )}
          {diagnostics!.length > 1 && <span className="muted"> (+{diagnostics!.length - 1} more)</span>}
        </p>
      )}
    </div>
  );
}
