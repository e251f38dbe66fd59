// Finds a Chromium for the end-to-end tests, and installs Debian's when it can.
//
// Order: $CHROMIUM_PATH, the usual system paths, then Playwright's browser cache. Playwright's
// own download (`npx playwright install`) needs hosts outside the npm registry, so on a fresh
// Debian machine the dependable source is the distribution's `chromium` package.
import { existsSync, readdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { aptInstall, canInstallWithApt } from "./apt.mjs";

const SYSTEM_PATHS = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

/** @returns {string | undefined} the path of a Chromium executable, if one is present */
export function findChromium() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH is set to ${fromEnv}, which does not exist`);
    return fromEnv;
  }
  for (const path of SYSTEM_PATHS) if (existsSync(path)) return path;
  const cache = process.env.PLAYWRIGHT_BROWSERS_PATH ?? join(homedir(), ".cache", "ms-playwright");
  if (existsSync(cache)) {
    for (const dir of readdirSync(cache).filter((d) => d.startsWith("chromium")).sort().reverse()) {
      for (const exe of ["chrome-linux/chrome", "chrome-linux64/chrome"]) {
        const path = join(cache, dir, exe);
        if (existsSync(path)) return path;
      }
    }
  }
  return undefined;
}

/** The flags every launch uses: this machine has no network beyond loopback, so Chromium's
 * background services (updates, sync, safe browsing) would only flood it with refused connections. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

const INSTALL_HINT = "apt-get update && apt-get install -y chromium   (or set CHROMIUM_PATH)";

/** Returns a Chromium path, installing Debian's package first when running as root with apt-get. */
export function ensureChromium({ log = console.log } = {}) {
  const found = findChromium();
  if (found) return found;
  if (!canInstallWithApt()) {
    throw new Error(`No Chromium found for the end-to-end tests. Install it with:\n  ${INSTALL_HINT}`);
  }
  log("Chromium not found: installing Debian's chromium package (about half a minute)...");
  aptInstall(["chromium"], INSTALL_HINT);
  const installed = findChromium();
  if (!installed) throw new Error(`chromium installed but not found on the usual paths. Set CHROMIUM_PATH.`);
  return installed;
}
