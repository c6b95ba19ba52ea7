/** Serves `dir` on 127.0.0.1:`port` (0: any free port), with or without COOP/COEP. */
export function serveStatic(options?: { dir?: string; port?: number; isolation?: boolean }): Promise<{ url: string; close(): Promise<void> }>;
