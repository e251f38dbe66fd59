/**
 * The published build: `tsc -p tsconfig.build.json` emits dist/, and plain Node (no tsx, no
 * `source` condition) imports the package and its testing kit by name from it, exactly as an
 * embedder would. The wire format is not part of it: dist/ imports `@pulseboard/protocol` by
 * name (built first, as `npm run build` does), and holds none of its code.
 */
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const run = promisify(execFile);
const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = join(packageDir, "..", "..");

it("builds with tsc and imports from dist/ in plain Node", { timeout: 90_000 }, async () => {
  const tsc = join(repoRoot, "node_modules", "typescript", "bin", "tsc");
  await run(process.execPath, [tsc, "-p", join(repoRoot, "packages", "protocol", "tsconfig.build.json")], { cwd: repoRoot });
  await run(process.execPath, [tsc, "-p", join(packageDir, "tsconfig.build.json")], { cwd: repoRoot });
  expect(existsSync(join(packageDir, "dist", "index.js"))).toBe(true);
  expect(existsSync(join(packageDir, "dist", "index.d.ts"))).toBe(true);
  const index = readFileSync(join(packageDir, "dist", "index.js"), "utf8");
  expect(index).toMatch(/from "@pulseboard\/protocol"/);
  expect(readdirSync(join(packageDir, "dist"), { recursive: true }).filter((file) => /server-frames|replies|checks/.test(String(file)))).toEqual([]);

  // Plain node resolves the package's `default` export condition: dist/index.js. Constructing
  // and starting a manager proves the runtime imports (partysocket's ESM
  // default export among them) work outside any bundler.
  const script = `
    import { WebSocket } from "ws";
    const client = await import("@pulseboard/realtime-client");
    const ring = new client.RingBuffer(4);
    ring.push(1, 10);
    const manager = new client.WebSocketManager({ url: "ws://127.0.0.1:9/ws", WebSocket, maxRetries: 0 });
    const failed = new Promise((resolve) => manager.on("state", (s) => { if (s.to === "failed") resolve(s.reason); }));
    manager.connect();
    const reason = await failed;
    console.log(JSON.stringify({
      manager: typeof client.WebSocketManager,
      ring: Array.from(ring.values()),
      version: client.PROTOCOL_VERSION,
      resolved: import.meta.resolve("@pulseboard/realtime-client"),
      reason,
    }));
  `;
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], { cwd: repoRoot, timeout: 30_000 });
  const result = JSON.parse(stdout.trim()) as { manager: string; ring: number[]; version: number; resolved: string; reason: string };
  expect(result.manager).toBe("function");
  expect(result.ring).toEqual([10]);
  expect(result.version).toBe(1);
  expect(result.resolved).toMatch(/packages\/realtime-client\/dist\/index\.js$/);
  expect(result.reason).toMatch(/gave up after 1 consecutive failures/);

  // The testing kit is its own entry: built next to the main one, never imported by it, and
  // usable from plain Node to drive a manager through a fake socket.
  expect(existsSync(join(packageDir, "dist", "testing", "index.js"))).toBe(true);
  expect(existsSync(join(packageDir, "dist", "testing", "index.d.ts"))).toBe(true);
  expect(readFileSync(join(packageDir, "dist", "index.js"), "utf8")).not.toMatch(/["']\.\/testing\//);
  const kitScript = `
    const { WebSocketManager, noopEnvironment } = await import("@pulseboard/realtime-client");
    const kit = await import("@pulseboard/realtime-client/testing");
    const ws = kit.createFakeWebSocket();
    const frames = kit.createManualFrameScheduler();
    const manager = new WebSocketManager({ url: "ws://127.0.0.1:9/ws", WebSocket: ws.WebSocket, frameScheduler: frames, environment: noopEnvironment });
    manager.connect();
    const socket = await ws.waitForSocket();
    kit.handshake(socket);
    socket.receive(kit.dataFrame(1, { "cpu.usage": 42 }));
    frames.runFrame();
    console.log(JSON.stringify({
      state: manager.state,
      value: manager.series("cpu.usage")?.lastValue,
      resolved: import.meta.resolve("@pulseboard/realtime-client/testing"),
    }));
    manager.close();
  `;
  const kitRun = await run(process.execPath, ["--input-type=module", "-e", kitScript], { cwd: repoRoot, timeout: 30_000 });
  expect(JSON.parse(kitRun.stdout.trim())).toEqual({
    state: "open",
    value: 42,
    resolved: expect.stringMatching(/packages\/realtime-client\/dist\/testing\/index\.js$/),
  });
});
