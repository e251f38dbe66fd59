// The per-source stream, driven by hand with chosen clock values (no timers): windows,
// catch-up after a late tick, seq numbering, retention and cursor resolution.
import { describe, expect, it } from "vitest";
import type { DataFrame, StreamFrame } from "@pulseboard/protocol";
import { Catalogue, defaultCatalogue } from "../src/catalogue.js";
import { generateValue, sampleTimes } from "../src/generator.js";
import { MAX_WINDOWS_PER_ADVANCE, SourceStream, type StreamOptions } from "../src/stream.js";

const T0 = Date.UTC(2025, 5, 1, 12, 0, 0);

function makeStream(overrides: Partial<StreamOptions> = {}): { stream: SourceStream; clock: { now: number }; log: string[] } {
  const clock = { now: T0 };
  const log: string[] = [];
  const stream = new SourceStream({
    source: "default",
    seed: 1,
    catalogue: new Catalogue(defaultCatalogue({ rateHz: 10, hosts: 2 })),
    tickMs: 50,
    retentionMs: 10_000,
    maxRetainedFrames: 100_000,
    maxRetainedBytes: 64 * 1024 * 1024,
    eventsRate: 5,
    maxCatchUpMs: 10_000,
    clock: () => clock.now,
    log: (line) => log.push(line),
    ...overrides,
  });
  return { stream, clock, log };
}

function framesOf(stream: SourceStream): StreamFrame[] {
  const frames: StreamFrame[] = [];
  for (let seq = stream.oldestSeq; seq <= stream.seq; seq++) frames.push(stream.frame(seq)!.toObject());
  return frames;
}

function timesOf(frames: StreamFrame[], id: string): number[] {
  return frames.filter((f): f is DataFrame => f.type === "data").flatMap((f) => f.series[id]?.t ?? []);
}

describe("SourceStream", () => {
  it("emits every grid sample exactly once, with generator values, whatever the tick timing", () => {
    const { stream } = makeStream();
    // Regular ticks, a late one (730 ms), a same-millisecond one, and a 1 ms one.
    for (const step of [50, 50, 730, 0, 1, 49, 50, 120, 50]) stream.advance(stream.latestTime + step);
    const frames = framesOf(stream);
    const expected = sampleTimes(100, T0, stream.latestTime);
    expect(timesOf(frames, "cpu.usage")).toEqual(expected);
    expect(timesOf(frames, "host.h-00001.cpu")).toEqual(sampleTimes(1000, T0, stream.latestTime));
    const data = frames.filter((f): f is DataFrame => f.type === "data");
    for (const f of data) {
      const { t, v } = f.series["latency.p95"] ?? { t: [], v: [] };
      t.forEach((time, i) => expect(v[i]).toBe(generateValue(1, "default", "latency.p95", time)));
    }
  });

  it("numbers frames 1, 2, 3 ... and puts events after the data of their window", () => {
    const { stream } = makeStream({ eventsRate: 100 });
    for (let i = 1; i <= 40; i++) stream.advance(T0 + i * 50);
    const frames = framesOf(stream);
    expect(frames.map((f) => f.seq)).toEqual(frames.map((_, i) => i + 1));
    expect(frames.filter((f) => f.type === "events").length).toBe(40);
    // Within one window (same production time) the data frame comes first.
    for (let seq = 2; seq <= stream.seq; seq++) {
      const [a, b] = [stream.frame(seq - 1)!, stream.frame(seq)!];
      if (a.producedAt === b.producedAt) expect([a.type, b.type]).toEqual(["data", "events"]);
    }
  });

  it("cuts a long late window into tick-sized frames, a bounded number per call", () => {
    const { stream } = makeStream();
    const produced = stream.advance(T0 + 5000);
    expect(produced).toBeGreaterThan(0);
    // 40 windows of 50 ms at most: the rest is produced by the following calls.
    expect(stream.latestTime).toBe(T0 + MAX_WINDOWS_PER_ADVANCE * 50);
    while (stream.latestTime < T0 + 5000) stream.advance(T0 + 5000);
    expect(timesOf(framesOf(stream), "cpu.usage")).toEqual(sampleTimes(100, T0, T0 + 5000));
  });

  it("skips what lies beyond maxCatchUpMs after a long pause, and says so in the log", () => {
    const { stream, log } = makeStream({ maxCatchUpMs: 1000, retentionMs: 60_000 });
    stream.advance(T0 + 60_000);
    expect(log.join("\n")).toMatch(/behind/);
    while (stream.latestTime < T0 + 60_000) stream.advance(T0 + 60_000);
    expect(timesOf(framesOf(stream), "cpu.usage")).toEqual(sampleTimes(100, T0 + 59_000, T0 + 60_000));
  });

  it("evicts frames older than the retention window and reports oldestSeq", () => {
    const { stream } = makeStream({ retentionMs: 1000 });
    for (let i = 1; i <= 100; i++) stream.advance(T0 + i * 50);
    expect(stream.seq).toBeGreaterThan(50);
    // Frames produced at or before now - 1000 ms are gone.
    const oldest = stream.frame(stream.oldestSeq)!;
    expect(oldest.producedAt).toBeGreaterThan(T0 + 5000 - 1000);
    expect(stream.frame(stream.oldestSeq - 1)).toBeUndefined();
    expect(stream.frame(stream.seq + 1)).toBeUndefined();
  });

  it("caps retention by bytes and by count too, always keeping the newest frame", () => {
    const byBytes = makeStream({ maxRetainedBytes: 4096 }).stream;
    const byCount = makeStream({ maxRetainedFrames: 5 }).stream;
    for (let i = 1; i <= 100; i++) {
      byBytes.advance(T0 + i * 50);
      byCount.advance(T0 + i * 50);
    }
    expect(byBytes.retained.bytes).toBeLessThanOrEqual(4096 + byBytes.frame(byBytes.seq)!.bytes);
    expect(byBytes.retained.frames).toBeGreaterThanOrEqual(1);
    expect(byCount.retained.frames).toBe(5);
    expect(byCount.oldestSeq).toBe(byCount.seq - 4);
  });

  describe("resolveCursor", () => {
    const { stream } = makeStream({ retentionMs: 1000 });
    for (let i = 1; i <= 100; i++) stream.advance(T0 + i * 50);
    const oldest = stream.oldestSeq;

    it("live only without since", () => {
      expect(stream.resolveCursor(null)).toEqual({ ok: true, nextSeq: stream.seq + 1, since: null });
    });
    it("replays after since when retained", () => {
      expect(stream.resolveCursor(oldest)).toEqual({ ok: true, nextSeq: oldest + 1, since: oldest });
      expect(stream.resolveCursor(oldest - 1, stream.epoch)).toEqual({ ok: true, nextSeq: oldest, since: oldest - 1 });
      expect(stream.resolveCursor(stream.seq)).toEqual({ ok: true, nextSeq: stream.seq + 1, since: stream.seq });
    });
    it("reports exactly the unreplayable range as a retention gap", () => {
      expect(stream.resolveCursor(3)).toEqual({ ok: true, nextSeq: oldest, since: 3, gap: { type: "gap", from: 4, to: oldest - 1, reason: "retention" } });
    });
    it("refuses a since ahead of the stream", () => {
      expect(stream.resolveCursor(stream.seq + 1).ok).toBe(false);
    });
    it("treats another epoch as since 0 with an epoch gap", () => {
      expect(stream.resolveCursor(5, "other-epoch")).toEqual({
        ok: true,
        nextSeq: oldest,
        since: 0,
        gap: { type: "gap", from: 1, to: oldest - 1, reason: "epoch" },
      });
    });
  });

  it("starts a new epoch on restart: seq from 1, nothing retained", () => {
    const { stream } = makeStream();
    for (let i = 1; i <= 10; i++) stream.advance(T0 + i * 50);
    const epoch = stream.epoch;
    stream.restart(T0 + 500);
    expect(stream.epoch).not.toBe(epoch);
    expect(stream.seq).toBe(0);
    expect(stream.oldestSeq).toBe(1);
    stream.advance(T0 + 600);
    expect(framesOf(stream)[0].seq).toBe(1);
    // An old cursor replays the new epoch from seq 1; no gap, as nothing of it is lost.
    expect(stream.resolveCursor(20, epoch)).toEqual({ ok: true, nextSeq: 1, since: 0 });
  });
});
