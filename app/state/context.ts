import { createContext, useContext, useSyncExternalStore } from 'react';
import type { AppState, Session } from './session';
import { useStore } from './store';

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside <SessionContext.Provider>');
  return s;
}

export function useApp<T>(select: (s: AppState) => T): T {
  return useStore(useSession().store, select);
}

const dark = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;
const subscribeTheme = (cb: () => void) => {
  dark?.addEventListener('change', cb);
  return () => dark?.removeEventListener('change', cb);
};

/** The system colour scheme; canvas-drawn plots read their colours again when it changes. */
export function useTheme(): 'light' | 'dark' {
  return useSyncExternalStore(subscribeTheme, () => (dark?.matches ? 'dark' : 'light'));
}
