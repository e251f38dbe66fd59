// Installs Debian packages when this process may (root, with apt-get), for the scripts that
// make sure a test dependency is on the machine (ensure-chromium.mjs, ensure-redis.mjs).
import { spawnSync } from "node:child_process";

/** True when running as root on a machine with apt-get. */
export function canInstallWithApt() {
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  return isRoot && spawnSync("sh", ["-c", "command -v apt-get"], { stdio: "ignore" }).status === 0;
}

/**
 * `apt-get update` then `apt-get install -y <args>`, output shown; throws with `hint` (the
 * command a person should run) when either fails.
 */
export function aptInstall(installArgs, hint) {
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [["update", "-qq"], ["install", "-y", "-qq", ...installArgs]]) {
    const run = spawnSync("apt-get", args, { stdio: "inherit", env });
    if (run.status !== 0) throw new Error(`apt-get ${args.join(" ")} failed (exit ${run.status}). Run:\n  ${hint}`);
  }
}
