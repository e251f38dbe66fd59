import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  encodeClientMessage,
  parseServerFrame,
  validateHistoryBatchResponse,
  validateHistoryResponse,
  validateMetricCatalogue,
  validatePollResponse,
  validateSnapshotResponse,
  validateStreamFrame,
  type FrameErrorCode,
  type MetricInfo,
} from "../src/index.js";

const metric: MetricInfo = { id: "cpu", label: "CPU", unit: "%", kind: "gauge", rateHz: 20 };
const hello = {
  type: "hello",
  protocol: 1,
  source: "demo",
  epoch: "e1",
  serverTime: 1_700_000_000_000,
  seq: 0,
  oldestSeq: 0,
  retentionMs: 120_000,
  tickMs: 50,
  metrics: [metric],
};
const data = { type: "data", seq: 7, series: { cpu: { t: [1000, 1050], v: [1.5, 2.5] } } };
const events = {
  type: "events",
  seq: 8,
  events: [{ id: 1, t: 1000, level: "warn", kind: "alert", source: "api", text: "latency high" }],
};

const codeOf = (value: unknown): FrameErrorCode | "ok" => {
  const r = parseServerFrame(JSON.stringify(value));
  return r.ok ? "ok" : r.code;
};

describe("parseServerFrame", () => {
  it("accepts every frame type of protocol v1 and returns the parsed object", () => {
    const valid = [
      hello,
      data,
      events,
      { type: "gap", from: 3, to: 9, reason: "retention" },
      { type: "subscribed", metrics: "*", since: null, seq: 12 },
      { type: "subscribed", metrics: ["cpu"], since: 4, seq: 12 },
      { type: "pong", id: 1, clientTime: 10, serverTime: 12 },
      { type: "error", code: "rate_limited", message: "slow down" },
    ];
    for (const frame of valid) {
      const r = parseServerFrame(JSON.stringify(frame));
      expect(r, JSON.stringify(frame)).toMatchObject({ ok: true, frame });
    }
  });

  it("reports `bytes` so transports can count traffic", () => {
    const text = JSON.stringify(data);
    expect(parseServerFrame(text).bytes).toBe(text.length);
  });

  it("gives each malformed input its code", () => {
    const cases: Array<[string, unknown, FrameErrorCode]> = [
      ["an array", [1, 2], "bad_shape"],
      ["null", null, "bad_shape"],
      ["a number", 42, "bad_shape"],
      ["no type", { seq: 1 }, "bad_shape"],
      ["unknown type", { type: "telemetry", seq: 1 }, "unknown_type"],
      ["data without series", { type: "data", seq: 1 }, "bad_shape"],
      ["series is an array", { type: "data", seq: 1, series: [] }, "bad_shape"],
      ["columns missing v", { type: "data", seq: 1, series: { cpu: { t: [1] } } }, "bad_shape"],
      ["unequal t and v", { type: "data", seq: 1, series: { cpu: { t: [1, 2], v: [1] } } }, "bad_shape"],
      ["t holds a string", { type: "data", seq: 1, series: { cpu: { t: ["1"], v: [1] } } }, "bad_value"],
      ["t holds null", { type: "data", seq: 1, series: { cpu: { t: [null], v: [1] } } }, "bad_value"],
      ["seq is a string", { ...data, seq: "7" }, "bad_shape"],
      ["seq not an integer", { ...data, seq: 7.5 }, "bad_value"],
      ["seq zero", { ...data, seq: 0 }, "bad_value"],
      ["seq beyond safe integers", { ...data, seq: 2 ** 53 }, "bad_value"],
      ["event with unknown level", { ...events, events: [{ ...events.events[0], level: "fatal" }] }, "bad_value"],
      ["event text not a string", { ...events, events: [{ ...events.events[0], text: 5 }] }, "bad_shape"],
      ["hello metric with unknown kind", { ...hello, metrics: [{ ...metric, kind: "histogram" }] }, "bad_value"],
      ["hello without epoch", { ...hello, epoch: undefined }, "bad_shape"],
      ["gap from > to", { type: "gap", from: 9, to: 3, reason: "retention" }, "bad_value"],
      ["error with unknown code", { type: "error", code: "oops", message: "x" }, "bad_value"],
    ];
    for (const [name, value, code] of cases) expect(codeOf(value), name).toBe(code);
  });

  it("rejects invalid JSON as bad_json with a sentence", () => {
    const r = parseServerFrame('{"type":"data","seq":1,');
    expect(r).toMatchObject({ ok: false, code: "bad_json" });
    expect(!r.ok && r.message).toMatch(/not valid JSON/);
  });

  it("rejects oversized frames before parsing them, measuring UTF-8 bytes", () => {
    expect(parseServerFrame("x".repeat(101), { maxBytes: 100 })).toMatchObject({ ok: false, code: "too_large" });
    // 40 code units but 120 UTF-8 bytes: 3 bytes per character.
    const wide = JSON.stringify({ type: "error", code: "internal", message: "€".repeat(36) });
    expect(parseServerFrame(wide, { maxBytes: 100 })).toMatchObject({ ok: false, code: "too_large" });
    expect(parseServerFrame(wide, { maxBytes: 200 }).ok).toBe(true);
    expect(parseServerFrame(JSON.stringify(data)).ok).toBe(true); // 4 MiB default
  });

  it("accepts non-finite values inside v: the store drops them point by point", () => {
    const text = '{"type":"data","seq":3,"series":{"cpu":{"t":[1,2,3,4],"v":[1,null,"NaN",4]}}}';
    const r = parseServerFrame(text);
    expect(r.ok).toBe(true);
    expect(r.ok && r.frame.type === "data" && r.frame.series.cpu.v).toEqual([1, null, "NaN", 4]);
  });

  it("returns hostile strings unchanged, as strings", () => {
    const label = '<img src=x onerror="alert(1)">';
    const r = parseServerFrame(JSON.stringify({ ...hello, metrics: [{ ...metric, label }] }));
    expect(r.ok && r.frame.type === "hello" && r.frame.metrics[0].label).toBe(label);
    const e = parseServerFrame(JSON.stringify({ ...events, events: [{ ...events.events[0], text: "${process.exit()}" }] }));
    expect(e.ok && e.frame.type === "events" && e.frame.events[0].text).toBe("${process.exit()}");
  });

  it("keeps the seq of a rejected stream frame so the caller can account for it", () => {
    const r = parseServerFrame(JSON.stringify({ type: "data", seq: 9, series: { cpu: { t: [1], v: [] } } }));
    expect(r).toMatchObject({ ok: false, code: "bad_shape", seq: 9 });
  });

  it("does not fall for prototype keys in series", () => {
    const r = parseServerFrame('{"type":"data","seq":1,"series":{"__proto__":{"t":[1],"v":[2]}}}');
    expect(r.ok).toBe(true);
    expect(({} as Record<string, unknown>).t).toBeUndefined();
  });

  it("never throws, whatever the text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 200 }), (text) => {
        const r = parseServerFrame(text);
        expect(typeof r.ok).toBe("boolean");
      }),
      { numRuns: 500 },
    );
  });

  it("never throws on arbitrary JSON, including frame-like objects", () => {
    const frameLike = fc.record(
      {
        type: fc.constantFrom("data", "events", "hello", "gap", "subscribed", "pong", "error", "other"),
        seq: fc.oneof(fc.integer(), fc.double(), fc.string()),
        series: fc.dictionary(fc.string(), fc.record({ t: fc.array(fc.jsonValue()), v: fc.array(fc.jsonValue()) }, { requiredKeys: [] })),
        events: fc.array(fc.jsonValue()),
        metrics: fc.oneof(fc.array(fc.jsonValue()), fc.jsonValue()),
        from: fc.jsonValue(),
        to: fc.jsonValue(),
      },
      { requiredKeys: ["type"] },
    );
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), frameLike), (value) => {
        const r = parseServerFrame(JSON.stringify(value) ?? "null");
        if (!r.ok) expect(r.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });
});

describe("HTTP reply validation", () => {
  const poll = { type: "poll", source: "demo", epoch: "e1", serverTime: 1, seq: 8, oldestSeq: 1, frames: [data, events], more: false };

  it("accepts a poll reply and checks every frame inside it", () => {
    expect(validatePollResponse(poll).ok).toBe(true);
    expect(validatePollResponse({ ...poll, gap: { type: "gap", from: 1, to: 2, reason: "retention" } }).ok).toBe(true);
    const bad = validatePollResponse({ ...poll, frames: [data, { ...events, seq: -1 }] });
    expect(bad).toMatchObject({ ok: false, code: "bad_value" });
    expect(!bad.ok && bad.message).toMatch(/frames\[1\]/);
    expect(validatePollResponse({ ...poll, frames: [{ type: "hello" }] })).toMatchObject({ ok: false, code: "unknown_type" });
    expect(validatePollResponse({ ...poll, more: "no" })).toMatchObject({ ok: false, code: "bad_shape" });
  });

  it("accepts a history reply with nulls in v and rejects unequal columns", () => {
    const history = { source: "demo", metric: "cpu", from: 0, to: 10, step: 5, t: [0, 5, 10], v: [1, null, 3] };
    expect(validateHistoryResponse(history).ok).toBe(true);
    expect(validateHistoryResponse({ ...history, v: [1] })).toMatchObject({ ok: false, code: "bad_shape" });
  });

  describe("batched history replies", () => {
    const batch = {
      source: "demo",
      from: 0,
      to: 10,
      series: { cpu: { step: 5, t: [0, 5, 10], v: [1, null, 3] }, "host.a": { step: 10, t: [0, 10], v: [7, 8] } },
      unknownMetrics: ["gone"],
    };
    const withSeries = (columns: unknown) => ({ ...batch, series: { ...batch.series, cpu: columns } });
    const cases: [what: string, value: unknown, code: FrameErrorCode, where: RegExp][] = [
      ["not an object", [batch], "bad_shape", /JSON object/],
      ["no source", { ...batch, source: undefined }, "bad_shape", /history\.source/],
      ["from after to", { ...batch, from: 11 }, "bad_value", /from must be <=/],
      ["infinite to", { ...batch, to: Infinity }, "bad_value", /history\.to/],
      ["series not an object", { ...batch, series: [] }, "bad_shape", /history\.series must/],
      ["unequal columns", withSeries({ step: 5, t: [0, 5], v: [1] }), "bad_shape", /series\["cpu"\]/],
      ["a time that is not finite", withSeries({ step: 5, t: [0, null], v: [1, 2] }), "bad_value", /series\["cpu"\]\.t\[1\]/],
      ["no step", withSeries({ t: [], v: [] }), "bad_shape", /series\["cpu"\]\.step/],
      ["a zero step", withSeries({ step: 0, t: [], v: [] }), "bad_value", /series\["cpu"\]\.step must be positive/],
      ["unknownMetrics not strings", { ...batch, unknownMetrics: ["a", 3] }, "bad_shape", /unknownMetrics\[1\]/],
      ["unknownMetrics not an array", { ...batch, unknownMetrics: "gone" }, "bad_shape", /unknownMetrics must/],
    ];

    it("accepts a reply with nulls in v, returning the parsed object itself", () => {
      const result = validateHistoryBatchResponse(batch);
      expect(result).toEqual({ ok: true, value: batch });
      expect(result.ok && result.value).toBe(batch);
      expect(validateHistoryBatchResponse({ source: "demo", from: 5, to: 5, series: {} }).ok).toBe(true);
    });

    it.each(cases)("rejects %s", (_what, value, code, where) => {
      const result = validateHistoryBatchResponse(value);
      expect(result).toMatchObject({ ok: false, code });
      expect(!result.ok && result.message).toMatch(where);
    });

    it("never throws, whatever the value", () => {
      const batchLike = fc.record({
        source: fc.jsonValue(),
        from: fc.jsonValue(),
        to: fc.jsonValue(),
        series: fc.oneof(fc.jsonValue(), fc.dictionary(fc.string(), fc.record({ step: fc.jsonValue(), t: fc.jsonValue(), v: fc.jsonValue() }))),
        unknownMetrics: fc.jsonValue(),
      });
      fc.assert(
        fc.property(fc.oneof(fc.jsonValue(), batchLike), (value) => {
          const r = validateHistoryBatchResponse(value);
          if (!r.ok) expect(r.message.length).toBeGreaterThan(0);
        }),
        { numRuns: 500 },
      );
    });
  });

  it("validates snapshots, catalogues and stand-alone stream frames", () => {
    const snapshot = { source: "demo", epoch: "e1", serverTime: 1, seq: 3, metrics: [metric], latest: { cpu: { t: 1, v: 2 } } };
    expect(validateSnapshotResponse(snapshot).ok).toBe(true);
    expect(validateSnapshotResponse({ ...snapshot, latest: { cpu: { t: "1", v: 2 } } }).ok).toBe(false);
    expect(validateMetricCatalogue([metric]).ok).toBe(true);
    expect(validateMetricCatalogue([{ ...metric, rateHz: -1 }])).toMatchObject({ ok: false, code: "bad_value" });
    expect(validateStreamFrame(data).ok).toBe(true);
    expect(validateStreamFrame(hello)).toMatchObject({ ok: false, code: "unknown_type" });
  });
});

describe("encodeClientMessage", () => {
  it("encodes messages as JSON and leaves out undefined fields", () => {
    expect(JSON.parse(encodeClientMessage({ type: "subscribe", metrics: "*", since: undefined }))).toEqual({ type: "subscribe", metrics: "*" });
    expect(encodeClientMessage({ type: "ping", id: 3, clientTime: 5 })).toBe('{"type":"ping","id":3,"clientTime":5}');
  });
});
