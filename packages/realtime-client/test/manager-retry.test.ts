/**
 * Announced retries through the public API: every backoff wait is a `retry` event carrying
 * the delay the backoff formula gives for the injected random, and `stats().nextRetryAt`
 * holds its time while, and only while, the wait lasts. A status line can count down from
 * these without knowing how the manager draws its jitter.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { backoffDelay } from "../src/scheduling/backoff.js";
import { TEST_START_TIME as T0 } from "../src/testing/index.js";
import { createKit } from "./helpers/manager-kit.js";

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

const BACKOFF = { minMs: 100, maxMs: 1000, factor: 2 };

/** A random source that returns `draws` in turn (and records how many were taken). */
function sequence(draws: number[]): () => number {
  let i = 0;
  return () => draws[i++ % draws.length];
}

describe("the retry event", () => {
  it("announces each reconnect wait: attempt, the formula's delay for the drawn random, and when", async () => {
    const draws = [0.3, 0.9, 0.5, 0.1, 0.75];
    const kit = createKit({ random: sequence(draws), backoff: BACKOFF, fallback: { enabled: false }, connectTimeoutMs: 60_000 });
    await kit.open();
    expect(kit.seen.retry).toEqual([]); // the first attempt of connect() is not a retry
    for (let attempt = 1; attempt <= draws.length; attempt++) {
      const failedAt = Date.now();
      kit.ws.last().fail();
      await kit.tick();
      const event = kit.seen.retry.at(-1);
      const r = draws[attempt - 1];
      // Caps 100, 200, 400, 800, then maxMs, scaled by the draw.
      expect(event).toEqual({ attempt, delayMs: backoffDelay(attempt - 1, BACKOFF, () => r), at: failedAt + event!.delayMs, transport: "websocket" });
      expect(event!.delayMs).toBeCloseTo(r * Math.min(1000, 100 * 2 ** (attempt - 1)), 9);
      // The next socket is created exactly then.
      const before = kit.ws.sockets.length;
      while (kit.ws.sockets.length === before) await kit.advance(1);
      expect(kit.ws.last().createdAt).toBe(Math.ceil(event!.at));
    }
    expect(kit.seen.retry).toHaveLength(draws.length);
    kit.manager.close();
  });

  it("starts counting again after the stream flowed", async () => {
    const kit = createKit({ random: () => 0.5, backoff: BACKOFF, fallback: { enabled: false } });
    await kit.open();
    kit.ws.last().fail();
    await kit.advance(50);
    kit.ws.last().fail();
    await kit.advance(100);
    await kit.open(); // subscribed: the failure count resets
    kit.ws.last().fail();
    await kit.tick();
    expect(kit.seen.retry.map((e) => [e.attempt, e.delayMs])).toEqual([
      [1, 50],
      [2, 100],
      [1, 50],
    ]);
    kit.manager.close();
  });

  it("is not emitted when the manager gives up instead of waiting", async () => {
    const kit = createKit({ maxRetries: 1, random: () => 0.5, backoff: BACKOFF, fallback: { enabled: false } });
    await kit.open();
    kit.ws.last().fail();
    await kit.advance(50);
    kit.ws.last().fail();
    await kit.tick();
    expect(kit.manager.state).toBe("failed");
    expect(kit.seen.retry.map((e) => e.attempt)).toEqual([1]);
    expect(kit.manager.stats().nextRetryAt).toBeNull();
  });
});

describe("stats().nextRetryAt", () => {
  it("holds the announced time during the wait and is null before and after it", async () => {
    const kit = createKit({ random: () => 0.5, backoff: { minMs: 4000, maxMs: 4000 }, fallback: { enabled: false } });
    expect(kit.manager.stats().nextRetryAt).toBeNull();
    await kit.open();
    expect(kit.manager.stats().nextRetryAt).toBeNull();
    kit.ws.last().fail();
    await kit.tick();
    const at = kit.seen.retry[0].at;
    expect(at).toBe(Date.now() + 2000);
    await kit.advance(1999);
    expect(kit.manager.stats().nextRetryAt).toBe(at);
    expect(kit.ws.sockets).toHaveLength(1);
    await kit.advance(1);
    // The attempt started: nothing is scheduled while it is in progress.
    expect(kit.ws.sockets).toHaveLength(2);
    expect(kit.manager.stats().nextRetryAt).toBeNull();
    kit.manager.close();
  });

  it("is cleared by close() during the wait, and no attempt follows", async () => {
    const kit = createKit({ random: () => 0.5, backoff: { minMs: 4000, maxMs: 4000 }, fallback: { enabled: false } });
    await kit.open();
    kit.ws.last().fail();
    await kit.tick();
    expect(kit.manager.stats().nextRetryAt).not.toBeNull();
    kit.manager.close();
    expect(kit.manager.stats().nextRetryAt).toBeNull();
    await kit.advance(10_000);
    expect(kit.ws.sockets).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it.each(["online", "visible"] as const)("is cleared at once when '%s' cuts the wait short", async (signal) => {
    const kit = createKit({ random: () => 0.99, backoff: { minMs: 60_000, maxMs: 60_000 } });
    await kit.open();
    kit.ws.last().fail();
    await kit.advance(1000);
    expect(kit.manager.stats().nextRetryAt).toBe(kit.seen.retry[0].at);
    kit.environment.emit(signal);
    // Void from the signal on, before the new socket even exists.
    expect(kit.manager.stats().nextRetryAt).toBeNull();
    await kit.tick();
    expect(kit.ws.sockets).toHaveLength(2);
    expect(Date.now()).toBeLessThan(kit.seen.retry[0].at);
    kit.manager.close();
  });
});

describe("while polling", () => {
  it("announces the waits after failed polls, not the WebSocket probes", async () => {
    const draws = [0.2, 0.6, 0.4];
    const kit = createKit({
      random: sequence(draws),
      backoff: BACKOFF,
      fallback: { afterFailures: 1, probeIntervalMs: 500, pollWaitMs: 1000 },
      fetch: () => Promise.reject(new Error("offline")),
    });
    await kit.open();
    kit.ws.last().fail(); // the first failure moves the stream to polling
    await kit.tick();
    expect(kit.manager.transport).toBe("polling");
    // The first poll failed: the stream does not flow. (The lost socket had opened, so the
    // WebSocket is not known to be unreachable yet.)
    expect(kit.manager.state).toBe("reconnecting");
    const first = kit.seen.retry[0];
    expect(first).toEqual({ attempt: 1, delayMs: 0.2 * 100, at: Date.now() + 0.2 * 100, transport: "polling" });
    expect(kit.manager.stats().nextRetryAt).toBe(first.at);
    await kit.advance(20);
    // The next poll failed at once: a new, longer wait.
    expect(kit.seen.retry[1]).toMatchObject({ attempt: 2, delayMs: 0.6 * 200, transport: "polling" });
    expect(kit.manager.stats().nextRetryAt).toBe(kit.seen.retry[1].at);
    // Probe sockets are tried every 500 ms and fail, unannounced: the stream is not down.
    for (let probe = 0; probe < 2; probe++) {
      await kit.advance(600);
      kit.ws.last().fail();
      // A probe refused while the polls fail: no transport gets through.
      expect(kit.manager.state).toBe("unreachable");
    }
    await kit.advance(600);
    expect(kit.ws.sockets).toHaveLength(4);
    expect(kit.seen.retry.every((e) => e.transport === "polling")).toBe(true);
    expect(kit.seen.retry.map((e) => e.attempt)).toEqual(kit.seen.retry.map((_, i) => i + 1));
    kit.manager.close();
    expect(kit.manager.stats().nextRetryAt).toBeNull();
  });
});
