// Finds a redis-server for the Redis engine's tests and benchmarks, and installs Debian's when
// it can.
//
// Order: $REDIS_SERVER_PATH, then redis-server on PATH, then the usual system paths. The tests
// start their own redis-server on a free loopback port in a temporary directory (never 6379,
// never a service of the machine), so only the executable is needed.
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { aptInstall, canInstallWithApt } from "./apt.mjs";

const SYSTEM_PATHS = ["/usr/bin/redis-server", "/usr/local/bin/redis-server", "/usr/sbin/redis-server"];

/** @returns {string | undefined} the path of a redis-server executable, if one is present */
export function findRedisServer() {
  const fromEnv = process.env.REDIS_SERVER_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`REDIS_SERVER_PATH is set to ${fromEnv}, which does not exist`);
    return fromEnv;
  }
  const onPath = spawnSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" });
  if (onPath.status === 0 && onPath.stdout.trim() !== "") return onPath.stdout.trim();
  for (const path of SYSTEM_PATHS) if (existsSync(path)) return path;
  return undefined;
}

export const REDIS_INSTALL_HINT =
  "apt-get update && apt-get install -y --no-install-recommends redis-server   (or set REDIS_SERVER_PATH)";

/** Returns a redis-server path, installing Debian's package first when running as root with apt-get. */
export function ensureRedisServer({ log = console.log } = {}) {
  const found = findRedisServer();
  if (found) return found;
  if (!canInstallWithApt()) {
    throw new Error(`No redis-server found for the Redis engine's tests. Install it with:\n  ${REDIS_INSTALL_HINT}`);
  }
  log("redis-server not found: installing Debian's redis-server package (about a quarter of a minute)...");
  aptInstall(["--no-install-recommends", "redis-server"], REDIS_INSTALL_HINT);
  const installed = findRedisServer();
  if (!installed) throw new Error("redis-server installed but not found on PATH or the usual paths. Set REDIS_SERVER_PATH.");
  return installed;
}
