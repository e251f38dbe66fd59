// The generator is a pure function of (seed, source, metric, t): these tests pin down its
// determinism, its sample grid and the invariants a dashboard may display.
import { describe, expect, it, vi } from "vitest";
import {
  defaultCatalogue,
  eventSlotMs,
  eventsBetween,
  generateValue,
  hostMetricId,
  intervalForRate,
  sampleTimes,
  sourceKey,
} from "../src/index.js";

const T0 = Date.UTC(2025, 5, 1, 12, 0, 0);
const gen = (id: string, t: number, source = "default", seed = 1) => generateValue(seed, source, id, t);

describe("determinism", () => {
  it("gives the same value for the same inputs, in any call order", () => {
    const times = [T0, T0 + 100, T0 + 86_400_000, T0 - 5];
    const first = times.map((t) => gen("cpu.usage", t));
    const again = [...times].reverse().map((t) => gen("cpu.usage", t)).reverse();
    expect(again).toEqual(first);
  });

  it("differs between sources and between seeds", () => {
    const times = Array.from({ length: 50 }, (_, i) => T0 + i * 100);
    const a = times.map((t) => gen("requests.rate", t, "default"));
    const b = times.map((t) => gen("requests.rate", t, "tenant-b"));
    const c = times.map((t) => gen("requests.rate", t, "default", 2));
    expect(b).not.toEqual(a);
    expect(c).not.toEqual(a);
    expect(sourceKey(1, "a")).not.toBe(sourceKey(1, "b"));
  });

  it("never uses Math.random", () => {
    const spy = vi.spyOn(Math, "random");
    for (const m of defaultCatalogue({ hosts: 3, profile: "firehose" })) gen(m.id, T0);
    eventsBetween(sourceKey(1, "default"), 100, T0, T0 + 10_000);
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });

  it("throws a RangeError for an id without a model", () => {
    expect(() => gen("no.such.metric", T0)).toThrow(RangeError);
  });
});

describe("sample grid", () => {
  it("puts samples on multiples of the interval and never skips or repeats across windows", () => {
    for (const rate of [1, 3, 7, 10, 60, 1000]) {
      const interval = intervalForRate(rate);
      const cuts = [T0, T0 + 13, T0 + 50, T0 + 51, T0 + 777, T0 + 2000, T0 + 3001];
      const pieces = cuts.slice(1).flatMap((end, i) => sampleTimes(interval, cuts[i], end));
      expect(pieces).toEqual(sampleTimes(interval, T0, T0 + 3001));
      expect(pieces.every((t) => t % interval === 0)).toBe(true);
    }
  });

  it("rounds rates that do not divide 1000 to a whole-millisecond interval", () => {
    expect(intervalForRate(10)).toBe(100);
    expect(intervalForRate(3)).toBe(333);
    expect(intervalForRate(1000)).toBe(1);
    const cpu = defaultCatalogue({ rateHz: 3 }).find((m) => m.id === "cpu.usage")!;
    expect(cpu.rateHz).toBeCloseTo(1000 / 333, 10);
  });
});

describe("invariants", () => {
  const times = Array.from({ length: 3000 }, (_, i) => T0 + i * 997);

  it("keeps latency p50 <= p95 <= p99", () => {
    for (const t of times) {
      const [p50, p95, p99] = ["latency.p50", "latency.p95", "latency.p99"].map((id) => gen(id, t));
      expect(p50).toBeLessThanOrEqual(p95);
      expect(p95).toBeLessThanOrEqual(p99);
    }
  });

  it("makes the region shares sum to 100", () => {
    const regions = defaultCatalogue().filter((m) => m.group === "region-share");
    expect(regions.length).toBe(5);
    for (const t of times) {
      const shares = regions.map((m) => gen(m.id, t));
      expect(shares.every((s) => s > 0 && s < 100)).toBe(true);
      expect(Math.abs(shares.reduce((a, b) => a + b, 0) - 100)).toBeLessThan(1e-9);
    }
  });

  it("splits requests into the http status classes, and errors are 4xx + 5xx", () => {
    for (const t of times) {
      const classes = ["http.2xx", "http.3xx", "http.4xx", "http.5xx"].map((id) => gen(id, t));
      expect(Math.abs(classes.reduce((a, b) => a + b, 0) - gen("requests.rate", t))).toBeLessThan(0.011);
      expect(Math.abs(classes[2] + classes[3] - gen("errors.rate", t))).toBeLessThan(0.011);
      expect(classes.every((c) => c >= 0)).toBe(true);
    }
  });

  it("never lets the revenue counter decrease, even at 1 ms steps and across midnight", () => {
    const midnight = Date.UTC(2025, 5, 2);
    let previous = gen("revenue.total", midnight - 5000);
    for (let t = midnight - 4999; t <= midnight + 5000; t++) {
      const value = gen("revenue.total", t);
      expect(value).toBeGreaterThanOrEqual(previous);
      previous = value;
    }
    expect(gen("revenue.total", T0 + 3_600_000)).toBeGreaterThan(gen("revenue.total", T0));
  });

  it("keeps the 5-minute peak of active users at or above the current value", () => {
    for (const t of times) expect(gen("users.peak", t)).toBeGreaterThanOrEqual(gen("users.active", t));
  });

  it("produces finite values for every metric, percentages within 0..100", () => {
    const catalogue = defaultCatalogue({ hosts: 50, profile: "firehose" });
    for (const m of catalogue) {
      for (const t of times.slice(0, 200)) {
        const v = gen(m.id, t);
        expect(Number.isFinite(v)).toBe(true);
        if (m.unit === "%") expect(v >= 0 && v <= 100).toBe(true);
      }
    }
  });

  it("shows bursts: incidents raise the error rate well above its median", () => {
    const day = Array.from({ length: 2000 }, (_, i) => gen("errors.rate", T0 + i * 5000)).sort((a, b) => a - b);
    expect(day[day.length - 1]).toBeGreaterThan(3 * day[1000]);
  });
});

describe("catalogue", () => {
  it("has the core metrics of every kind, with the contract's fields", () => {
    const catalogue = defaultCatalogue({ hosts: 0 });
    expect(catalogue.length).toBe(20);
    expect(new Set(catalogue.map((m) => m.kind))).toEqual(new Set(["gauge", "rate", "counter", "latency", "share"]));
    expect(catalogue.filter((m) => m.group === "http-status").map((m) => m.id)).toEqual(["http.2xx", "http.3xx", "http.4xx", "http.5xx"]);
    for (const m of catalogue) {
      expect(Object.keys(m).sort()).toEqual(["group", "id", "kind", "label", "rateHz", "unit"]);
      expect(m.rateHz).toBe(10);
    }
  });

  it("numbers 10 000 hosts as host.h-00001.cpu .. host.h-10000.cpu at 1 Hz", () => {
    const hosts = defaultCatalogue({ hosts: 10_000 }).filter((m) => m.group === "hosts");
    expect(hosts.length).toBe(10_000);
    expect(hosts[0].id).toBe("host.h-00001.cpu");
    expect(hosts[9999].id).toBe(hostMetricId(10_000));
    expect(new Set(hosts.map((h) => h.id)).size).toBe(10_000);
    expect(hosts.every((h) => h.rateHz === 1 && h.kind === "gauge")).toBe(true);
  });

  it("adds 200 channels at 1000 Hz in the firehose profile", () => {
    const fire = defaultCatalogue({ profile: "firehose" }).filter((m) => m.group === "firehose");
    expect(fire.length).toBe(200);
    expect(fire.every((m) => m.rateHz === 1000)).toBe(true);
  });
});

describe("events", () => {
  const key = sourceKey(1, "default");

  it("is deterministic and splits into windows without loss or duplicates", () => {
    const whole = eventsBetween(key, 50, T0, T0 + 10_000);
    const halves = [...eventsBetween(key, 50, T0, T0 + 4321), ...eventsBetween(key, 50, T0 + 4321, T0 + 10_000)];
    expect(halves).toEqual(whole);
    expect(eventsBetween(key, 50, T0, T0 + 10_000)).toEqual(whole);
  });

  it("produces eventsRate per second with unique increasing ids and the StreamEvent shape", () => {
    const events = eventsBetween(key, 20, T0, T0 + 10_000);
    expect(Math.abs(events.length - 200)).toBeLessThanOrEqual(1);
    expect(events.every((e, i) => i === 0 || (e.id > events[i - 1].id && e.t >= events[i - 1].t))).toBe(true);
    for (const e of events) {
      expect(Object.keys(e).sort()).toEqual(["id", "kind", "level", "source", "t", "text"]);
      expect(["debug", "info", "warn", "error"]).toContain(e.level);
      expect(["deploy", "alert", "log"]).toContain(e.kind);
      expect(e.t > T0 && e.t <= T0 + 10_000).toBe(true);
    }
    expect(eventSlotMs(1000)).toBe(1);
  });

  it("includes every kind and, now and then, markup-like text that must render as text", () => {
    const events = eventsBetween(key, 100, T0, T0 + 60_000);
    expect(new Set(events.map((e) => e.kind))).toEqual(new Set(["deploy", "alert", "log"]));
    expect(events.some((e) => e.text.includes("<b>") || e.text.includes("<script>"))).toBe(true);
    expect(events.some((e) => e.text.includes("&"))).toBe(true);
  });
});
