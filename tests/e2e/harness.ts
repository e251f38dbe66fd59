// Shared set-up for the end-to-end tests: the real dashboard served by Vite's dev server (with
// the mock metrics server attached, exactly as `npm start` runs it) or by Vite's preview server
// from a production build (as `npm run build && npm run preview` do) on an ephemeral port of
// 127.0.0.1, and Debian's Chromium driven by playwright-core.
import { fileURLToPath } from "node:url";
import type { AddressInfo } from "node:net";
import { build, createServer, preview, type PreviewServer, type ViteDevServer } from "vite";
import { chromium, type Browser } from "playwright-core";
import type { FaultSpec } from "@pulseboard/mock-server";
import { CHROMIUM_ARGS, findChromium } from "../../scripts/chromium.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));

export interface Dashboard {
  url: string;
  server: ViteDevServer;
  close(): Promise<void>;
}

/** The latest dashboard being created (see startDashboard). */
let starting: Promise<unknown> = Promise.resolve();

/**
 * Starts the dashboard. `mockFlags` are the mock server's CLI flags (see `npm run mock -- --help`),
 * passed the same way a user would with PULSEBOARD_MOCK_FLAGS. Several dashboards may run at
 * once (one per fault scenario): they are created one after another, because the mock server
 * reads PULSEBOARD_MOCK_FLAGS while Vite creates the server.
 */
export function startDashboard(mockFlags = ""): Promise<Dashboard> {
  const started = starting.then(() => createDashboard(mockFlags));
  starting = started.catch(() => undefined);
  return started;
}

async function createDashboard(mockFlags: string): Promise<Dashboard> {
  process.env.PULSEBOARD_MOCK_FLAGS = mockFlags;
  const server = await createServer({
    root,
    configFile: `${root}/vite.config.ts`,
    mode: "development",
    logLevel: "warn",
    server: { host: "127.0.0.1", port: 0, strictPort: false, hmr: false },
  });
  await server.listen();
  const { port } = server.httpServer!.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, server, close: () => server.close() };
}

export interface PreviewDashboard {
  url: string;
  server: PreviewServer;
  close(): Promise<void>;
}

/**
 * Runs `fn` with process.env.NODE_ENV set to "production", as the `vite build` and `vite preview`
 * commands run when it is unset. Vitest sets it to "test", and Vite derives
 * `import.meta.env.DEV`/`PROD` (and the `development|production` export condition) from
 * NODE_ENV, not from the mode: a build under "test" would be a development build.
 */
async function withProductionNodeEnv<T>(fn: () => Promise<T>): Promise<T> {
  const saved = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = saved;
  }
}

/**
 * Builds the dashboard for production into `outDir`, as `vite build` does in `npm run build`
 * (the dashboard bundles the client from its TypeScript source, so the client's own tsc build,
 * the script's first step, is not needed here). `outDir` should be a temporary directory: the
 * repository's dist/ is left alone.
 */
export async function buildDashboard(outDir: string): Promise<void> {
  await withProductionNodeEnv(() =>
    build({
      root,
      configFile: `${root}/vite.config.ts`,
      mode: "production",
      logLevel: "warn",
      build: { outDir, emptyOutDir: true },
    }),
  );
}

/**
 * Serves a production build from `outDir` (see {@link buildDashboard}) with Vite's preview
 * server and the mock metrics server attached, as `npm run preview` does. `mockFlags` as in
 * {@link startDashboard}; created in turn with the dev dashboards, for the same reason.
 */
export function startPreview(outDir: string, mockFlags = ""): Promise<PreviewDashboard> {
  const started = starting.then(() => createPreview(outDir, mockFlags));
  starting = started.catch(() => undefined);
  return started;
}

async function createPreview(outDir: string, mockFlags: string): Promise<PreviewDashboard> {
  process.env.PULSEBOARD_MOCK_FLAGS = mockFlags;
  const server = await withProductionNodeEnv(() =>
    preview({
      root,
      configFile: `${root}/vite.config.ts`,
      mode: "production",
      logLevel: "warn",
      build: { outDir },
      preview: { host: "127.0.0.1", port: 0, strictPort: false, open: false },
    }),
  );
  const { port } = server.httpServer.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, server, close: () => server.close() };
}

/**
 * Injects a fault into the dashboard's mock server (`POST /admin/faults`, see docs/protocol.md).
 * @throws if the server refuses the spec.
 */
export async function injectFault(dashboard: Dashboard, spec: FaultSpec): Promise<void> {
  const response = await fetch(`${dashboard.url}admin/faults`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(spec),
  });
  if (!response.ok) throw new Error(`POST /admin/faults ${JSON.stringify(spec)}: HTTP ${response.status} ${await response.text()}`);
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) {
    throw new Error("No Chromium found. Run `node scripts/ensure-chromium.mjs` (npm test does) or set CHROMIUM_PATH.");
  }
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
}
