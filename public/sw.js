// Cross-origin isolation on static hosts that can't send COOP/COEP (GitHub Pages
// and the like): this service worker adds the headers to the site's own
// responses, after one reload (app/boot/isolation.ts). The idea is
// coi-serviceworker's (see: https://github.com/gzuidhof/coi-serviceworker);
// unlike it, requests to other origins (URL datasets) are left alone, so they
// stay ordinary CORS requests with their Range headers, and the page's own
// registration code decides when to reload.
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (new URL(request.url).origin !== self.location.origin) return;
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  event.respondWith(fetch(request).then((response) => {
    // opaque and redirect answers can't carry new headers, and need none
    if (response.status === 0 || response.type === 'opaqueredirect') return response;
    const headers = new Headers(response.headers);
    headers.set('Cross-Origin-Opener-Policy', 'same-origin');
    headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
    headers.set('Cross-Origin-Resource-Policy', 'same-origin');
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }));
});
