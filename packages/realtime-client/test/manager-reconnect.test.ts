/**
 * Reconnect policy through the public API: full-jitter backoff, terminal close codes,
 * maxRetries, the connect timeout and immediate retries on `online` / `visible`.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { TEST_START_TIME as T0 } from "../src/testing/index.js";
import { createKit } from "./helpers/manager-kit.js";

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Fail every attempt at once and return the waits between a failure and the next attempt. */
async function measureWaits(random: () => number, attempts: number): Promise<number[]> {
  const kit = createKit({ random, backoff: { minMs: 100, maxMs: 1000, factor: 2 }, fallback: { enabled: false }, connectTimeoutMs: 60_000 });
  await kit.open();
  const waits: number[] = [];
  for (let i = 0; i < attempts; i++) {
    const failedAt = Date.now();
    kit.ws.last().fail();
    const before = kit.ws.sockets.length;
    while (kit.ws.sockets.length === before) await kit.advance(1);
    waits.push(kit.ws.last().createdAt - failedAt);
  }
  kit.manager.close();
  return waits;
}

describe("backoff", () => {
  it("waits random() * min(maxMs, minMs * factor^attempt) before each retry", async () => {
    // Caps 100, 200, 400, 800, then maxMs (1000), scaled by the draw.
    expect(await measureWaits(() => 0.75, 6)).toEqual([75, 150, 300, 600, 750, 750]);
    // Full jitter: anywhere in [0, cap]. A draw of 0 retries at once.
    expect(await measureWaits(() => 0, 3)).toEqual([0, 0, 0]);
    expect(await measureWaits(() => 0.5, 4)).toEqual([50, 100, 200, 400]);
  });

  it("starts over after a successful connection", async () => {
    const kit = createKit({ random: () => 0.75, backoff: { minMs: 100, maxMs: 1000 }, fallback: { enabled: false } });
    await kit.open();
    kit.ws.last().fail();
    await kit.advance(100);
    kit.ws.last().fail();
    await kit.advance(200);
    await kit.open(); // subscribed again: the failure count resets
    const failedAt = Date.now();
    kit.ws.last().fail();
    await kit.advance(100);
    expect(kit.ws.last().createdAt - failedAt).toBe(75);
    kit.manager.close();
  });
});

describe("terminal close codes", () => {
  it.each([
    [4401, "unauthorized"],
    [4403, "forbidden"],
    [1008, "policy_violation"],
  ])("close code %i ends in failed (%s) without retrying", async (code, errorCode) => {
    const kit = createKit();
    const socket = await kit.open();
    socket.serverClose(code, "not for you");
    expect(kit.manager.state).toBe("failed");
    expect(kit.seen.state.at(-1)).toMatchObject({ from: "open", to: "failed", reason: expect.stringContaining(`code ${code}, not for you`) });
    expect(kit.seen.error.at(-1)).toMatchObject({ code: errorCode, fatal: true });
    await kit.advance(60_000);
    expect(kit.ws.sockets).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("maxRetries", () => {
  it("gives up after maxRetries consecutive failures", async () => {
    const kit = createKit({ maxRetries: 2, random: () => 0, fallback: { enabled: false } });
    kit.manager.connect();
    for (let i = 0; i < 3; i++) {
      await kit.advance(1);
      kit.ws.last().fail();
    }
    await kit.advance(60_000);
    expect(kit.ws.sockets).toHaveLength(3); // the first attempt and two retries
    // Refused attempts without a fallback: every transport fails, until maxRetries.
    expect(kit.seen.state.map((s) => s.to)).toEqual(["connecting", "unreachable", "failed"]);
    expect(kit.seen.error.at(-1)).toMatchObject({ code: "max_retries", fatal: true });
    expect(kit.seen.error.at(-1)?.message).toMatch(/gave up after 3 consecutive failures/);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("maxRetries 0 fails on the first failure", async () => {
    const kit = createKit({ maxRetries: 0 });
    kit.manager.connect();
    await kit.tick();
    kit.ws.last().fail();
    expect(kit.manager.state).toBe("failed");
  });
});

describe("connect timeout", () => {
  it("aborts a handshake that hangs after connectTimeoutMs and retries", async () => {
    const kit = createKit({ connectTimeoutMs: 500, random: () => 0 });
    kit.manager.connect();
    await kit.tick();
    const socket = kit.ws.last();
    await kit.advance(499);
    expect(socket.readyState).toBe(0);
    expect(kit.manager.state).toBe("connecting");
    await kit.advance(1);
    expect(socket.closedByClient).not.toBeNull();
    expect(kit.seen.error.at(-1)).toMatchObject({ code: "connect_timeout", fatal: false, message: "no handshake within 500 ms" });
    expect(kit.manager.state).toBe("reconnecting");
    await kit.advance(1);
    expect(kit.ws.sockets).toHaveLength(2);
    kit.manager.close();
  });
});

describe("online and visible", () => {
  it.each(["online", "visible"] as const)("'%s' cuts the backoff wait short", async (signal) => {
    const kit = createKit({ random: () => 0.99, backoff: { minMs: 60_000, maxMs: 60_000 } });
    await kit.open();
    kit.ws.last().fail();
    await kit.advance(1000);
    expect(kit.ws.sockets).toHaveLength(1); // waiting about 59 s
    kit.environment.emit(signal);
    await kit.tick();
    expect(kit.ws.sockets).toHaveLength(2);
    // A signal while connected does nothing.
    await kit.open();
    kit.environment.emit(signal);
    await kit.tick();
    expect(kit.ws.sockets).toHaveLength(2);
    kit.manager.close();
  });

  it("'visible' while open checks the heartbeat deadline at once (timers may have slept)", async () => {
    const kit = createKit({ random: () => 0 });
    const socket = await kit.open();
    vi.setSystemTime(Date.now() + 60_000); // the machine slept: the clock jumped, no timer ran
    kit.environment.emit("visible");
    expect(kit.seen.error.at(-1)).toMatchObject({ code: "heartbeat_timeout" });
    expect(socket.closedByClient?.code).toBe(4000);
    await kit.tick();
    expect(kit.ws.sockets).toHaveLength(2);
    kit.manager.close();
  });
});
