/**
 * The heartbeat: pings, a wall-clock deadline that survives throttled timers, RTT and clock
 * offset; then, against the real mock server, a stalled socket detected and replaced.
 */
import { WebSocket } from "ws";
import { afterEach, describe, expect, it } from "vitest";
import { startMockServer, type RunningMockServer } from "@pulseboard/mock-server";
import { Heartbeat } from "../src/transports/heartbeat.js";
import { WebSocketManager } from "../src/client/manager.js";
import type { PingMessage } from "@pulseboard/protocol";
import { createManualClock } from "../src/testing/index.js";

function setup(intervalMs = 5000, timeoutMs = 12_000) {
  const clock = createManualClock(1_000_000);
  const pings: PingMessage[] = [];
  const timeouts: { at: number; silentMs: number }[] = [];
  const heartbeat = new Heartbeat({
    intervalMs,
    timeoutMs,
    clock,
    sendPing: (ping) => pings.push(ping),
    onTimeout: (silentMs) => timeouts.push({ at: clock.now(), silentMs }),
  });
  return { clock, pings, timeouts, heartbeat };
}

describe("Heartbeat", () => {
  it("pings at once, then every intervalMs", () => {
    const { clock, pings, heartbeat } = setup();
    heartbeat.start();
    expect(pings).toEqual([{ type: "ping", id: 1, clientTime: 1_000_000 }]);
    clock.advance(4999);
    expect(pings).toHaveLength(1);
    for (let i = 0; i < 4; i++) {
      clock.advance(1000);
      heartbeat.noteMessage();
      clock.advance(2000);
      heartbeat.noteMessage();
      clock.advance(2000);
    }
    expect(pings.map((p) => p.clientTime - 1_000_000)).toEqual([0, 5000, 10_000, 15_000, 20_000]);
    heartbeat.stop();
    expect(clock.pending).toBe(0);
  });

  it("declares the socket dead at timeoutMs of silence, not at the next ping", () => {
    const { clock, timeouts, heartbeat } = setup(5000, 12_000);
    heartbeat.start();
    clock.advance(3000);
    heartbeat.noteMessage(); // silence starts here
    clock.advance(11_999);
    expect(timeouts).toHaveLength(0);
    clock.advance(1);
    expect(timeouts).toEqual([{ at: 1_015_000, silentMs: 12_000 }]);
    expect(heartbeat.active).toBe(false);
    expect(clock.pending).toBe(0);
  });

  it("uses elapsed wall time, so throttled timers (background tabs) still detect a stall at the first tick", () => {
    const { clock, timeouts, heartbeat } = setup(5000, 12_000);
    clock.throttleTo = 60_000; // timers run at most once a minute
    heartbeat.start();
    clock.advance(60_000);
    // One late tick suffices: 60 s of silence > 12 s. A watchdog counting missed pings would
    // need three ticks, three minutes here.
    expect(timeouts).toHaveLength(1);
    expect(timeouts[0].silentMs).toBeGreaterThanOrEqual(12_000);
  });

  it("check() applies the deadline at once, for timers frozen while the machine slept", () => {
    const { clock, timeouts, heartbeat } = setup(5000, 12_000);
    clock.throttleTo = 600_000; // nothing fires within the next 10 minutes
    heartbeat.start();
    clock.advance(30_000);
    expect(timeouts).toHaveLength(0);
    heartbeat.check();
    expect(timeouts).toEqual([{ at: 1_030_000, silentMs: 30_000 }]);
  });

  it("does not fire while messages keep arriving, however late the ticks", () => {
    const { clock, timeouts, heartbeat } = setup(5000, 12_000);
    clock.throttleTo = 1000;
    heartbeat.start();
    for (let i = 0; i < 100; i++) {
      clock.advance(500);
      heartbeat.noteMessage();
    }
    expect(timeouts).toHaveLength(0);
    heartbeat.stop();
  });

  it("measures RTT and the NTP-style clock offset, preferring the fastest exchange", () => {
    const { clock, pings, heartbeat } = setup(1000, 5000);
    heartbeat.start();
    const ping = pings[0];
    clock.advance(40); // 40 ms round trip; the server clock is 5 s ahead
    const sample = heartbeat.handlePong({ type: "pong", id: ping.id, clientTime: ping.clientTime, serverTime: ping.clientTime + 20 + 5000 });
    expect(sample).toEqual({ rttMs: 40, clockOffsetMs: 5000 });
    clock.advance(960);
    const slow = pings[1];
    clock.advance(400); // a slow, asymmetric exchange: its offset estimate is worse
    const second = heartbeat.handlePong({ type: "pong", id: slow.id, clientTime: slow.clientTime, serverTime: slow.clientTime + 5000 + 350 });
    expect(second).toEqual({ rttMs: 400, clockOffsetMs: 5000 });
  });

  it("ignores pongs of an earlier run and impossible ones", () => {
    const { clock, pings, heartbeat } = setup(1000, 5000);
    heartbeat.start();
    const old = pings[0];
    heartbeat.stop();
    heartbeat.start();
    clock.advance(10);
    expect(heartbeat.handlePong({ type: "pong", id: old.id, clientTime: old.clientTime, serverTime: 0 })).toBeNull();
    expect(heartbeat.handlePong({ type: "pong", id: 999, clientTime: 0, serverTime: 0 })).toBeNull();
    const current = pings[1];
    expect(heartbeat.handlePong({ type: "pong", id: current.id, clientTime: clock.now() + 50, serverTime: 0 })).toBeNull();
    heartbeat.stop();
  });
});

describe("stalled server (real mock server)", () => {
  let server: RunningMockServer | undefined;
  let manager: WebSocketManager | undefined;
  afterEach(async () => {
    manager?.close();
    await server?.close();
  });

  it("detects a half-open socket within timeoutMs and replaces it", async () => {
    server = await startMockServer({ port: 0, tickMs: 20, hosts: 4, eventsRate: 0 });
    const m = new WebSocketManager({
      url: server.wsUrl,
      WebSocket,
      heartbeat: { intervalMs: 100, timeoutMs: 400 },
      backoff: { minMs: 20, maxMs: 100 },
      fallback: { afterFailures: 100 },
      startFrom: "retained",
    });
    manager = m;
    const errors: { code: string; at: number }[] = [];
    m.on("error", (e) => errors.push({ code: e.code, at: Date.now() }));
    const opened = new Promise<void>((resolve) => m.on("state", (s) => { if (s.to === "open") resolve(); }));
    m.connect();
    await opened;
    const seqBefore = m.stats().seq;
    const stalledAt = Date.now();
    server.service.faults.inject({ kind: "stall", durationMs: 700 });
    const backOpen = new Promise<void>((resolve) => m.on("state", (s) => { if (s.to === "open") resolve(); }));
    await backOpen;
    const detected = errors.find((e) => e.code === "heartbeat_timeout");
    expect(detected).toBeDefined();
    const detectMs = (detected?.at ?? 0) - stalledAt;
    // Silence starts at the last frame before the stall (at most one tick earlier).
    expect(detectMs).toBeGreaterThanOrEqual(400 - 40);
    expect(detectMs).toBeLessThan(400 + 150);
    // The stream goes on without a hole: the cursor moves past where it stalled.
    await new Promise((r) => setTimeout(r, 300));
    const stats = m.stats();
    expect(stats.seq).toBeGreaterThan(seqBefore);
    expect(stats.gapsReported).toBe(0);
    expect(stats.framesApplied).toBe(stats.seq); // every seq 1..N applied exactly once
    console.info(`stall detected after ${detectMs} ms (timeoutMs 400)`);
  });
});
