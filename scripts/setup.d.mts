// Types for scripts/setup.mjs, so TypeScript configs (playwright.config.ts, bench) can import it.
export function run(cmd: string, args: string[], options?: { cwd?: string; env?: NodeJS.ProcessEnv }): Promise<void>;
export function dependenciesFresh(): boolean;
export function closeOnSignals(server: { close(): Promise<void> }): void;
export function ensureDependencies(): Promise<boolean>;
export function ensureKernels(): Promise<boolean>;
export function ensureNodeBundles(): Promise<boolean>;
/** $SIFT_CHROMIUM, /usr/bin/chromium, or a chromium on PATH; undefined when none exists. */
export function chromiumPath(): string | undefined;
export function ensureChromium(): Promise<string>;
export function setup(options?: { browser?: boolean }): Promise<{ chromium?: string }>;
