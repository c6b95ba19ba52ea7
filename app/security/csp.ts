// The page's Content-Security-Policy: scripts and workers only from our own
// files, WebAssembly compiled from our own kernels, no plugins, no <base>, no
// framing. Files and links are data; even a name that slips into markup can't
// load a script. Sent as a header by the dev and preview servers
// (vite.config.ts) and as a <meta> in index.html for static hosts.

/**
 * URL datasets are the one thing that reaches other origins: fetching data is
 * the feature, so any https origin may be read (and http on this machine, for
 * a local file server), while scripts stay our own.
 */
const CONNECT = ["'self'", 'https:', 'http://localhost:*', 'http://127.0.0.1:*'];

export interface CspOptions {
  /** Vite's dev server: its HMR socket and the nonce it puts on the scripts and styles it injects */
  devNonce?: string;
  /** for a <meta>, which can't carry frame-ancestors (browsers ignore it there, with a console error) */
  meta?: boolean;
}

export function contentSecurityPolicy(opts: CspOptions = {}): string {
  const nonce = opts.devNonce ? [`'nonce-${opts.devNonce}'`] : [];
  const directives: [string, string[]][] = [
    ['default-src', ["'self'"]],
    // 'wasm-unsafe-eval' lets WebAssembly compile our kernels; it allows no JavaScript eval
    ['script-src', ["'self'", "'wasm-unsafe-eval'", ...nonce]],
    // React's and uPlot's style props go through the CSSOM, which style-src does not govern
    ['style-src', ["'self'", ...nonce]],
    // the favicon is data:, exports are blob: downloads
    ['img-src', ["'self'", 'data:', 'blob:']],
    ['font-src', ["'self'"]],
    ['connect-src', [...CONNECT, ...(opts.devNonce ? ['ws://localhost:*', 'ws://127.0.0.1:*'] : [])]],
    ['worker-src', ["'self'"]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
  ];
  if (!opts.meta) directives.push(['frame-ancestors', ["'none'"]]);
  return directives.map(([k, v]) => `${k} ${v.join(' ')}`).join('; ');
}
