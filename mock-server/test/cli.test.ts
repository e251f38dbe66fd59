// The command line: flag parsing, --help, exit codes, and a real start and SIGTERM shutdown.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { FlagError, parseMockFlags } from "../src/index.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with tsx; `whileRunning` may interact with it before it is stopped. */
function runCli(args: string[], whileRunning?: (stdout: () => string) => Promise<void>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--conditions=@pulseboard/source", "--import", "tsx", "mock-server/src/cli.ts", ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += String(chunk)));
    child.stderr.on("data", (chunk) => (stderr += String(chunk)));
    const killer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    });
    if (whileRunning) {
      whileRunning(() => stdout).then(
        () => child.kill("SIGTERM"),
        (error) => {
          child.kill("SIGKILL");
          reject(error);
        },
      );
    }
  });
}

describe("parseMockFlags", () => {
  it("maps flags to options, durations in seconds to ms, fault flags to a schedule", () => {
    const { options, help } = parseMockFlags(
      "--port 0 --seed 7 --rate 50 --tick=20 --hosts 10000 --events-rate 100 --profile firehose --retention 30 --token t --origin http://a.test --origin http://b.test --faults --refuse-upgrades-for 10 --slow-delay 250 --slow-for 2.5 --drop-every 30",
    );
    expect(help).toBe(false);
    expect(options).toMatchObject({
      port: 0, seed: 7, rateHz: 50, tickMs: 20, hosts: 10_000, eventsRate: 100, profile: "firehose", retentionMs: 30_000,
      token: "t", allowedOrigins: ["http://a.test", "http://b.test"], faults: true,
    });
    expect(options.schedule).toEqual([
      { fault: { kind: "refuse-upgrades", durationMs: 10_000 }, atMs: 0 },
      { fault: { kind: "slow", durationMs: 2500, delayMs: 250 }, atMs: 0 },
      { fault: { kind: "drop" }, everyMs: 30_000 },
    ]);
  });

  it("rejects unknown flags, missing values and out-of-range values with a FlagError", () => {
    for (const argv of ["--nope", "--port", "--port abc", "--rate 5000", "--profile huge", "--faults=yes", "--hosts 1.5"]) {
      expect(() => parseMockFlags(argv), argv).toThrow(FlagError);
    }
  });
});

describe("cli", () => {
  it("--help lists every flag with its default and exits 0", async () => {
    const run = await runCli(["--help"]);
    expect(run.code).toBe(0);
    for (const flag of ["--host", "--port", "--seed", "--rate", "--tick", "--hosts", "--events-rate", "--profile", "--retention", "--token", "--origin", "--faults", "--refuse-upgrades-for", "--stall-for", "--slow-for", "--drop-every", "--restart-every", "--garbage-every"]) {
      expect(run.stdout).toContain(flag);
    }
    expect(run.stdout).toContain("default 8787");
  });

  it("exits 2 with a clear message on a bad flag or value", async () => {
    const [badFlag, badValue] = await Promise.all([runCli(["--bogus"]), runCli(["--port", "seventy"])]);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toMatch(/unknown flag "--bogus"/);
    expect(badValue.code).toBe(2);
    expect(badValue.stderr).toMatch(/--port expects an integer/);
  });

  it("prints its URL, serves, and shuts down cleanly on SIGTERM", async () => {
    let served = false;
    const run = await runCli(["--port", "0", "--quiet"], async (stdout) => {
      const deadline = Date.now() + 10_000;
      const findUrl = () => stdout().match(/http:\/\/127\.0\.0\.1:\d+/);
      while (!findUrl() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const match = findUrl();
      if (!match) throw new Error(`no URL printed: ${stdout()}`);
      const res = await fetch(`${match[0]}/healthz`);
      served = res.status === 200 && ((await res.json()) as { ok: boolean }).ok;
    });
    expect(served).toBe(true);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/SIGTERM: shutting down/);
  });
});
