/**
 * `stats().pointsPerSecond` is the stream's live rate. A page that opens with
 * `startFrom: "retained"` receives two minutes of the server's backlog in its first second,
 * and a resume after an outage replays what it missed: neither is traffic, and a header that
 * shows "points/s" must not read 20 000 where the stream carries 400. Replayed points are
 * counted apart, as `pointsReplayed`; `pointsLive` + `pointsReplayed` is what the frames carried.
 *
 * The socket is the testing kit's fake; time is vitest's fake timers (the default clock
 * reads the globals), so the rates are exact.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { DataFrame, MetricInfo, PollResponse } from "@pulseboard/protocol";
import { handshake } from "../src/testing/index.js";
import type { WebSocketManagerOptions } from "../src/client/types.js";
import { createKit } from "./helpers/manager-kit.js";
import { scriptedFetch } from "./helpers/scripted-fetch.js";

const T0 = 1_700_000_000_000;
const CATALOGUE: MetricInfo[] = [{ id: "cpu.usage", label: "CPU", unit: "%", kind: "gauge", rateHz: 100 }];
/** Ten samples per frame, one frame per 100 ms: 100 points/s live. */
const POINTS_PER_FRAME = 10;

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

function data(seq: number): DataFrame {
  const t: number[] = [];
  const v: number[] = [];
  for (let i = 0; i < POINTS_PER_FRAME; i++) {
    t.push(T0 - 1_000_000 + seq * 100 + i * 10);
    v.push(i);
  }
  return { type: "data", seq, series: { "cpu.usage": { t, v } } };
}

/** The testing kit's manager with big rings (nothing overflows) and no history requests. */
function kitWith(options: Partial<WebSocketManagerOptions>) {
  return createKit({ history: { backfill: false }, random: () => 0.5, backoff: { minMs: 200, maxMs: 200 }, heartbeat: { intervalMs: 1000, timeoutMs: 60_000 }, bufferCapacity: 100_000, ...options });
}

const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);

describe("stats().pointsPerSecond counts the live stream only", () => {
  it("does not count the retained backlog replayed on first contact", async () => {
    const { manager: m, ws } = kitWith({ startFrom: "retained", fallback: { enabled: false } });
    m.connect();
    await advance(0);
    const socket = ws.last();
    // The server holds 1200 frames (two minutes at 10 frames/s) and replays them at once.
    handshake(socket, { hello: { seq: 1200, oldestSeq: 1, metrics: CATALOGUE } });
    for (let seq = 1; seq <= 1200; seq++) socket.receive(data(seq));
    expect(m.stats().framesApplied).toBe(1200);
    expect(m.stats().pointsPerSecond).toBe(0);
    expect(m.stats().pointsReplayed).toBe(1200 * POINTS_PER_FRAME);
    expect(m.stats().pointsLive).toBe(0);

    // Then the live stream: one frame per 100 ms for 5 s.
    for (let seq = 1201; seq <= 1250; seq++) {
      await advance(100);
      socket.receive(data(seq));
    }
    const stats = m.stats();
    expect(stats.pointsLive).toBe(50 * POINTS_PER_FRAME);
    // 100 points/s, within the meter's 1 s bucket granularity.
    expect(stats.pointsPerSecond).toBeGreaterThan(80);
    expect(stats.pointsPerSecond).toBeLessThan(120);
    expect(stats.pointsReceived).toBe(stats.pointsLive + stats.pointsReplayed);
    m.close();
  });

  it("does not count what a resume replays after a reconnect", async () => {
    const { manager: m, ws } = kitWith({ fallback: { enabled: false } });
    m.connect();
    await advance(0);
    handshake(ws.last(), { hello: { seq: 0, metrics: CATALOGUE } });
    for (let seq = 1; seq <= 10; seq++) {
      await advance(100);
      ws.last().receive(data(seq));
    }
    expect(m.stats().pointsLive).toBe(10 * POINTS_PER_FRAME);

    // The connection drops; 20 s later the client is back and the server replays 200 frames.
    ws.last().serverClose(1006, "gone");
    await advance(20_000);
    const socket = ws.last();
    const subscribe = handshake(socket, { hello: { seq: 210, oldestSeq: 1, metrics: CATALOGUE } });
    expect(subscribe.since).toBe(10);
    for (let seq = 11; seq <= 210; seq++) socket.receive(data(seq));
    const stats = m.stats();
    expect(stats.seq).toBe(210);
    // The window holds no live frame from the last 5 s: the replay of 2000 points is not a rate.
    expect(stats.pointsPerSecond).toBe(0);
    expect(stats.pointsReplayed).toBe(200 * POINTS_PER_FRAME);
    expect(stats.pointsLive).toBe(10 * POINTS_PER_FRAME);
    m.close();
  });

  it("does not count the backlog of a poll loop's first reply, nor of replies cut short by max", async () => {
    const { fetch, polls } = scriptedFetch(CATALOGUE);
    const { manager: m, ws } = kitWith({ fetch, startFrom: "retained", fallback: { enabled: true, afterFailures: 1, probeIntervalMs: 600_000 } });
    m.connect();
    await advance(0);
    ws.last().serverClose(1006, "refused");
    await advance(0);
    await advance(1000);
    expect(m.transport).toBe("polling");
    const reply = (seq: number, from: number, to: number, more: boolean): PollResponse => {
      const frames: DataFrame[] = [];
      for (let s = from; s <= to; s++) frames.push(data(s));
      return { type: "poll", source: "default", epoch: "e1", serverTime: Date.now(), seq, oldestSeq: 1, frames, more };
    };
    // Backlog in two replies (the first cut short by max), then live replies.
    polls.shift()!(reply(300, 1, 200, true));
    await advance(0);
    polls.shift()!(reply(300, 201, 300, false));
    await advance(0);
    expect(m.stats().seq).toBe(300);
    expect(m.stats().pointsPerSecond).toBe(0);
    expect(m.stats().pointsReplayed).toBe(300 * POINTS_PER_FRAME);
    for (let seq = 301; seq <= 320; seq++) {
      await advance(100);
      polls.shift()!(reply(seq, seq, seq, false));
      await advance(0);
    }
    const stats = m.stats();
    expect(stats.pointsLive).toBe(20 * POINTS_PER_FRAME);
    // 100 points/s, within the meter's 1 s bucket granularity.
    expect(stats.pointsPerSecond).toBeGreaterThan(80);
    expect(stats.pointsPerSecond).toBeLessThan(120);
    m.close();
  });
});
