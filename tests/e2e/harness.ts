// Shared set-up for the end-to-end tests: the real dashboard served by Vite's dev server (with
// the mock metrics server attached, exactly as `npm start` runs it) on an ephemeral port of
// 127.0.0.1, and Debian's Chromium driven by playwright-core.
import { fileURLToPath } from "node:url";
import type { AddressInfo } from "node:net";
import { createServer, type ViteDevServer } from "vite";
import { chromium, type Browser } from "playwright-core";
import { CHROMIUM_ARGS, findChromium } from "../../scripts/chromium.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));

export interface Dashboard {
  url: string;
  server: ViteDevServer;
  close(): Promise<void>;
}

/**
 * Starts the dashboard. `mockFlags` are the mock server's CLI flags (see `npm run mock -- --help`),
 * passed the same way a user would with PULSEBOARD_MOCK_FLAGS.
 */
export async function startDashboard(mockFlags = ""): Promise<Dashboard> {
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

export async function launchChromium(): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) {
    throw new Error("No Chromium found. Run `node scripts/ensure-chromium.mjs` (npm test does) or set CHROMIUM_PATH.");
  }
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
}
