/**
 * StallDetector: a flowing stream (open or polling) that has been silent for longer than
 * `max(3 × tickMs, 2 s)` is stalled; silence counts from the last message but never from
 * before the current state began; outside the flowing states there is no silence to count.
 * Time is vitest's fake timers, which the client's default clock and the detector's follow.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createTestManager, type TestManager } from "../src/testing/index.js";
import { liveIndicator, StallDetector, stallThresholdMs, STALL_FLOOR_MS, STALL_TICKS } from "../src/view/stall-detector.js";

let kit: TestManager;
let detector: StallDetector;
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  detector?.dispose();
  kit?.manager.close();
  vi.useRealTimers();
});

const setup = (tickMs?: number) => {
  kit = createTestManager({ settle: () => vi.advanceTimersByTimeAsync(0), script: tickMs === undefined ? {} : { tickMs } });
  detector = new StallDetector(kit.manager);
};

describe("stallThresholdMs", () => {
  it("is three missed ticks, never under the 2 s floor", () => {
    expect(STALL_TICKS).toBe(3);
    expect(STALL_FLOOR_MS).toBe(2000);
    expect(stallThresholdMs(undefined)).toBe(2000);
    expect(stallThresholdMs(50)).toBe(2000);
    expect(stallThresholdMs(1000)).toBe(3000);
  });
});

describe("StallDetector", () => {
  it("counts the silence of an open stream and calls it stalled past the threshold", async () => {
    setup();
    expect(detector.read()).toEqual({ silentMs: null, thresholdMs: 2000, stalled: false });
    await kit.open();
    expect(detector.read().silentMs).toBe(0);
    await vi.advanceTimersByTimeAsync(1500);
    expect(detector.read()).toEqual({ silentMs: 1500, thresholdMs: 2000, stalled: false });
    kit.data({ "cpu.usage": [1] }); // a message: the silence starts again
    expect(detector.read().silentMs).toBe(0);
    await vi.advanceTimersByTimeAsync(2000);
    expect(detector.read().stalled).toBe(false); // exactly the threshold is not over it
    await vi.advanceTimersByTimeAsync(1);
    expect(detector.read()).toEqual({ silentMs: 2001, thresholdMs: 2000, stalled: true });
  });

  it("takes the threshold from the server's tick in its hello", async () => {
    setup(1000);
    await kit.open();
    expect(detector.read().thresholdMs).toBe(3000);
    await vi.advanceTimersByTimeAsync(2500);
    expect(detector.read().stalled).toBe(false);
    await vi.advanceTimersByTimeAsync(501);
    expect(detector.read().stalled).toBe(true);
  });

  it("has no silence outside the flowing states, and counts a new state from its start", async () => {
    setup();
    await kit.open();
    await vi.advanceTimersByTimeAsync(5000);
    expect(detector.read().stalled).toBe(true);
    kit.socket().fail();
    expect(kit.manager.state).not.toBe("open");
    expect(detector.read()).toEqual({ silentMs: null, thresholdMs: 2000, stalled: false });
    await vi.advanceTimersByTimeAsync(10_000); // the backoff wait, then a new socket
    await kit.open();
    // The last message is 15 s old, but the new connection began just now.
    expect(detector.read()).toEqual({ silentMs: 0, thresholdMs: 2000, stalled: false });
  });

  it("measures from the new state even for a listener that hears of it first", async () => {
    kit = createTestManager({ settle: () => vi.advanceTimersByTimeAsync(0) });
    const seen: (number | null)[] = [];
    // Registered before the detector exists, so it runs before the detector's own listener.
    kit.manager.on("state", ({ to }) => {
      if (to === "open") seen.push(detector.read().silentMs);
    });
    detector = new StallDetector(kit.manager);
    await vi.advanceTimersByTimeAsync(60_000); // the detector was created long before the connection
    await kit.open();
    expect(seen).toEqual([0]);
  });

  it("stops listening when disposed", async () => {
    setup(1000);
    detector.dispose();
    await kit.open();
    expect(detector.read().thresholdMs).toBe(2000); // the hello's tick was not heard
  });
});

describe("liveIndicator", () => {
  it("says paused over everything, then stalled, then live or offline by state", () => {
    expect(liveIndicator("open", true, true)).toBe("paused");
    expect(liveIndicator("closed", false, true)).toBe("paused");
    expect(liveIndicator("open", true)).toBe("stalled");
    expect(liveIndicator("open", false)).toBe("live");
    expect(liveIndicator("polling", false)).toBe("live");
    for (const state of ["idle", "connecting", "reconnecting", "unreachable", "closed", "failed"] as const) expect(liveIndicator(state, false)).toBe("offline");
  });
});
