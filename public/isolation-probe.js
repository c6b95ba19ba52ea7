// A module worker that reports whether it is cross-origin isolated and, unless it
// is itself nested, starts one nested module worker and reports for it too (the
// engine runs in a worker that starts the kernel workers). Used by e2e/isolation.spec.ts.
const report = () => ({
  isolated: self.crossOriginIsolated === true,
  sharedArrayBuffer: typeof SharedArrayBuffer === 'function',
});

if (self.name === 'nested') {
  self.postMessage(report());
} else {
  const nested = new Worker(new URL('./isolation-probe.js', import.meta.url), { type: 'module', name: 'nested' });
  nested.onmessage = (e) => {
    self.postMessage({ ...report(), nested: e.data });
    nested.terminate();
  };
  nested.onerror = () => self.postMessage({ ...report(), nested: null });
}
