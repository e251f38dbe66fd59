#!/usr/bin/env node
// Run before the end-to-end tests: prints the Chromium in use, or installs Debian's, or fails
// with the exact command to run. Never a silent skip.
import { ensureChromium } from "./chromium.mjs";

try {
  console.log(`e2e browser: ${ensureChromium()}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
