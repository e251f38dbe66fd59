// Shared set-up for the end-to-end tests: the real dashboard served by Vite's dev server (with
// the mock metrics server attached, exactly as `npm start` runs it) on an ephemeral port of
// 127.0.0.1, and Debian's Chromium driven by playwright-core.
import { fileURLToPath } from "node:url";
import type { AddressInfo } from "node:net";
import { createServer, type ViteDevServer } from "vite";
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
