import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const script = join(dirname(fileURLToPath(import.meta.url)), "../../../scripts/ensure-redis.mjs");

describe("scripts/ensure-redis.mjs", () => {
  it("prints the redis-server it found", () => {
    const run = spawnSync(process.execPath, [script], { encoding: "utf8" });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^redis-server: \/.*redis-server\n$/);
  });

  it("fails loudly, never skips, when the configured redis-server does not exist", () => {
    const run = spawnSync(process.execPath, [script], { encoding: "utf8", env: { ...process.env, REDIS_SERVER_PATH: "/nonexistent/redis-server" } });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("REDIS_SERVER_PATH is set to /nonexistent/redis-server, which does not exist");
  });
});
