import { describe, expect, it } from "vitest";
import { IngestBudget, checkBodySize, limitHit, parseJsonIngest } from "../src/index.js";

const NOW = 1_700_000_000_000;

describe("JSON ingest body", () => {
  it("accepts series, events and metric declarations", () => {
    const r = parseJsonIngest(
      JSON.stringify({
        source: "shop",
        series: { "cpu.usage": { t: [NOW, NOW + 100], v: [29.02, 30] }, "queue.depth": { t: [], v: [] } },
        events: [{ t: NOW, level: "error", kind: "alert", source: "alertmanager", text: "High latency" }, { text: "plain" }],
        metrics: [{ id: "cpu.usage", label: "CPU usage", unit: "%", kind: "gauge", group: "system" }],
      }),
      { now: NOW },
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.source).toBe("shop");
    expect(r.samples).toBe(2);
    expect(r.batch.series.get("cpu.usage")).toEqual({ t: [NOW, NOW + 100], v: [29.02, 30] });
    expect(r.batch.events).toEqual([
      { t: NOW, level: "error", kind: "alert", source: "alertmanager", text: "High latency" },
      { t: NOW, level: "info", kind: "log", source: "shop", text: "plain" },
    ]);
    expect(r.batch.metrics.get("cpu.usage")).toEqual({ id: "cpu.usage", defaults: {}, set: { label: "CPU usage", unit: "%", kind: "gauge", group: "system" } });
  });

  it("takes the source from the URL when the body has none", () => {
    const r = parseJsonIngest({ series: { a: { t: [NOW], v: [1] } } }, { now: NOW, source: "from-url" });
    expect(r.ok && r.source).toBe("from-url");
  });

  it("rejects the whole body with every problem and its JSON path", () => {
    const r = parseJsonIngest(
      JSON.stringify({
        source: "bad name",
        serie: {},
        series: {
          "ok.one": { t: [NOW], v: [1] },
          "has,comma": { t: [1], v: [1] },
          "len.mismatch": { t: [1, 2], v: [1] },
          "not.numbers": { t: [NOW, "x"], v: [null, 1] },
          "not.columns": [1, 2],
        },
        events: [{ level: "loud", text: 5 }],
        metrics: [{ id: "a", kind: "speed" }, "nope"],
      }),
      { now: NOW },
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.path)).toEqual([
      "serie",
      "source",
      'series["has,comma"]',
      'series["len.mismatch"]',
      'series["not.numbers"].v[0]',
      'series["not.numbers"].t[1]',
      'series["not.columns"]',
      "events[0].text",
      "events[0].level",
      "metrics[0].kind",
      "metrics[1]",
    ]);
    expect(r.errors[3].message).toBe("t has 2 times but v has 1 values");
    expect(r.errors[4].message).toBe("must be a finite number (not null, NaN or Infinity)");
  });

  it("says when the body is not JSON or not an object", () => {
    const notJson = parseJsonIngest("{oops", { now: NOW, source: "s" });
    expect(!notJson.ok && notJson.errors[0].message).toMatch(/^the body is not valid JSON: /);
    const array = parseJsonIngest("[1]", { now: NOW, source: "s" });
    expect(!array.ok && array.errors[0].message).toBe("the body must be a JSON object with a series object");
    const nothing = parseJsonIngest("{}", { now: NOW, source: "s" });
    expect(!nothing.ok && nothing.errors.map((e) => e.path)).toEqual(["series"]);
  });

  it("returns the request limit that stopped it", () => {
    const big = parseJsonIngest(JSON.stringify({ source: "s", series: {} }), { now: NOW, limits: { maxBodyBytes: 10 } });
    expect(!big.ok && big.limit).toMatchObject({ limit: "maxBodyBytes", status: 413 });
    const series = parseJsonIngest({ source: "s", series: { a: { t: [], v: [] }, b: { t: [], v: [] } } }, { now: NOW, limits: { maxSeriesPerRequest: 1 } });
    expect(!series.ok && series.limit).toMatchObject({ limit: "maxSeriesPerRequest", max: 1, actual: 2 });
    const samples = parseJsonIngest({ source: "s", series: { a: { t: [1, 2, 3], v: [1, 2, 3] } } }, { now: NOW, limits: { maxSamplesPerRequest: 2 } });
    expect(!samples.ok && samples.limit).toMatchObject({ limit: "maxSamplesPerRequest", status: 413 });
    const events = parseJsonIngest({ source: "s", events: [{ text: "a" }, { text: "b" }] }, { now: NOW, limits: { maxEventsPerRequest: 1 } });
    expect(!events.ok && events.limit).toMatchObject({ limit: "maxEventsPerRequest", status: 413 });
    // Validation stops listing at maxErrors.
    const many = parseJsonIngest({ source: "s", series: { a: { t: Array(50).fill("x"), v: Array(50).fill(1) } } }, { now: NOW });
    expect(!many.ok && many.errors.length).toBe(20);
  });
});

describe("limits as values", () => {
  it("limitHit gives each limit its HTTP status and a sentence", () => {
    expect(limitHit("maxBodyBytes", 10, 20)).toEqual({ limit: "maxBodyBytes", max: 10, actual: 20, status: 413, message: "the body is larger than the limit of 10 bytes (20); send smaller batches" });
    expect(limitHit("maxSeriesPerSource", 2, 3).status).toBe(422);
    expect(limitHit("ingestRate", 100, 5, 250)).toMatchObject({ status: 429, retryAfterMs: 250 });
    expect(checkBodySize(5, { maxBodyBytes: 10 })).toBeUndefined();
    expect(checkBodySize(11, { maxBodyBytes: 10 })?.status).toBe(413);
  });

  it("the ingest budget is a token bucket on the caller's clock: 429 with Retry-After, 413 past the burst", () => {
    const budget = new IngestBudget(1000, 2000);
    expect(budget.take(1500, 0)).toBeUndefined();
    expect(budget.take(1000, 0)).toMatchObject({ limit: "ingestRate", status: 429, retryAfterMs: 500 });
    expect(budget.take(1000, 499)).toMatchObject({ status: 429, retryAfterMs: 1 });
    expect(budget.take(1000, 500)).toBeUndefined();
    expect(budget.take(2001, 10_000)).toMatchObject({ limit: "maxSamplesPerRequest", status: 413 });
    // A clock that goes backwards gives no tokens.
    expect(budget.take(2000, 10_000)).toBeUndefined();
    expect(budget.take(1, 9_000)?.status).toBe(429);
  });
});
