import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from './csp';

const directives = (csp: string) => new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k!, v]));

describe('Content-Security-Policy', () => {
  it('index.html carries the same policy as the servers, minus what a <meta> cannot hold', () => {
    const html = readFileSync(new URL('../../index.html', import.meta.url), 'utf8');
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1];
    expect(meta).toBe(contentSecurityPolicy({ meta: true }));
    expect(contentSecurityPolicy()).toBe(`${meta}; frame-ancestors 'none'`);
  });

  it('scripts only from our own origin; WebAssembly, but no JavaScript eval', () => {
    const p = directives(contentSecurityPolicy());
    expect(p.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    for (const k of ['default-src', 'script-src', 'style-src', 'worker-src', 'connect-src']) {
      expect(p.get(k)!.filter((v) => /^'unsafe-|^\*$|^data:$|^blob:$/.test(v)), k).toEqual([]);
    }
    expect(p.get('object-src')).toEqual(["'none'"]);
    expect(p.get('base-uri')).toEqual(["'none'"]);
    expect(p.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('the dev policy adds only the injected tags\' nonce and the HMR socket', () => {
    const dev = directives(contentSecurityPolicy({ devNonce: 'n' }));
    expect(dev.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'", "'nonce-n'"]);
    expect(dev.get('connect-src')!.filter((v) => v.startsWith('ws:'))).toHaveLength(2);
  });
});
