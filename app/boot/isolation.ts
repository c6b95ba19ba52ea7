// Before the engine starts: make the page cross-origin isolated where the host
// didn't. A service worker (public/sw.js) adds COOP/COEP, which takes a reload;
// the app must not start before it (it would start twice, the first time without
// shared memory). A hard reload (Shift) bypasses the service worker, so the page
// comes back not isolated with a worker registered: that is one more reload. If
// a reload still leaves the page not isolated, the worker can't help here and
// the engine runs in its one-worker fallback (the banner says so).

/**
 * localStorage, not sessionStorage: a COOP page lives in another browsing-context
 * group than the page before it, and Chromium gives each group its own session storage.
 */
const KEY = 'sift:isolation-reload';
/** a page that comes back this soon after reloading for isolation, still not isolated, was not helped by the worker */
const RELOAD_WINDOW_MS = 15_000;
/** after a reload that did not help, how long the fallback is used without trying again */
const GIVE_UP_MS = 3_600_000;
const READY_TIMEOUT_MS = 5_000;

export type Boot = 'start' | 'reloading';

interface Mark { at: number; failed?: true }

export async function ensureIsolation(): Promise<Boot> {
  const store = markStore();
  if (globalThis.crossOriginIsolated) { store.set(undefined); return 'start'; }
  const sw = navigator.serviceWorker;
  if (!store.ok || !sw || !isSecureContext) return 'start';
  const mark = store.get();
  const now = Date.now();
  if (mark?.failed && now - mark.at < GIVE_UP_MS) return 'start';
  if (mark && !mark.failed && now - mark.at < RELOAD_WINDOW_MS) { store.set({ at: now, failed: true }); return 'start'; }
  try {
    await sw.register(new URL('sw.js', location.href));
    // A reload goes through the worker as soon as it is active (no need to wait for it to claim this page).
    const active = await Promise.race([sw.ready.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), READY_TIMEOUT_MS))]);
    if (!active) return 'start';
  } catch {
    return 'start'; // service workers refused (private mode, policy, a test that blocks them): the fallback runs
  }
  store.set({ at: Date.now() });
  // location.reload keeps the URL as it is, #a= share link included.
  location.reload();
  return 'reloading';
}

/** The mark, where storage is allowed; without storage no reload is tried, since nothing could stop a reload loop. */
function markStore(): { ok: boolean; get(): Mark | undefined; set(m: Mark | undefined): void } {
  try {
    const s = window.localStorage;
    return {
      ok: true,
      get: () => {
        try { return JSON.parse(s.getItem(KEY) ?? 'null') as Mark ?? undefined; } catch { return undefined; }
      },
      set: (m) => (m ? s.setItem(KEY, JSON.stringify(m)) : s.removeItem(KEY)),
    };
  } catch {
    return { ok: false, get: () => undefined, set: () => {} };
  }
}
