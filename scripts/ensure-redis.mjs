#!/usr/bin/env node
// Run before the tests: prints the redis-server in use, or installs Debian's, or fails with the
// exact command to run. The Redis engine's tests never skip silently.
import { ensureRedisServer } from "./redis.mjs";

try {
  console.log(`redis-server: ${ensureRedisServer()}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
