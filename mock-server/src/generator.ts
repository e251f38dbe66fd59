/**
 * The deterministic generator: value = f(seed, source, metricId, t).
 *
 * Each metric id maps to a value function of time. Nothing depends on when or how often it is
 * called, or on the metric's sample rate: the stream, `/api/history`, `/api/snapshot` and any
 * test recompute the same number for the same (seed, source, metric, t). Sample times lie on an
 * integer-millisecond grid (see {@link sampleTimes}).
 *
 * Invariants the tests rely on (and a dashboard may show):
 * - `latency.p50 <= latency.p95 <= latency.p99` at every t;
 * - the `region-share` members sum to 100 (to float rounding) at every t;
 * - `requests.rate` = sum of the four `http.*` classes and `errors.rate` = `http.4xx` +
 *   `http.5xx` (both to 0.01, as each value is rounded to cents);
 * - `revenue.total` never decreases: it is the closed-form integral of a positive rate.
 */
import { combine, combineIndex, hashString, mix32, unit } from "./hash.js";
import {
  DAY_MS,
  clamp,
  dailyCycle,
  incidentLevel,
  round1,
  round2,
  sawtooth,
  smoothNoise,
  spikeFactor,
  wave,
  whiteNoise,
} from "./shapes.js";

/** A metric's value as a function of epoch milliseconds. */
export type ValueFunction = (t: number) => number;

/** Per-host cpu ids: `host.h-00001.cpu` (1-based, five digits). */
export const HOST_METRIC_PATTERN = /^host\.h-(\d{5})\.cpu$/;
/** Firehose channel ids: `fire.000` .. `fire.999`. */
export const FIRE_METRIC_PATTERN = /^fire\.(\d{3})$/;

/** Regions of the `region-share` group with their UTC offset (hours) and typical weight. */
export const REGIONS = [
  { id: "region.na", label: "North America", utcOffset: -5, weight: 0.34 },
  { id: "region.eu", label: "Europe", utcOffset: 1, weight: 0.3 },
  { id: "region.apac", label: "Asia-Pacific", utcOffset: 8, weight: 0.24 },
  { id: "region.latam", label: "Latin America", utcOffset: -3, weight: 0.08 },
  { id: "region.africa", label: "Africa", utcOffset: 2, weight: 0.04 },
] as const;

/** Revenue counts from this instant (2024-01-01T00:00:00Z), so totals are stable numbers. */
export const REVENUE_EPOCH_MS = Date.UTC(2024, 0, 1);

/**
 * The 32-bit key of one source's data: the seed and the source name hashed together. Two
 * sources with different names get unrelated data; the same name always the same data.
 */
export function sourceKey(seed: number, source: string): number {
  return combine(mix32(seed >>> 0), hashString(source));
}

/**
 * Grid interval in whole milliseconds for a sample rate. Rates that do not divide 1000 are
 * rounded to the nearest integer interval (3 Hz -> 333 ms, i.e. an effective 3.003 Hz); the
 * catalogue advertises the effective rate `1000 / intervalMs`. Rates above 1000 Hz are capped.
 */
export function intervalForRate(rateHz: number): number {
  return Math.max(1, Math.round(1000 / rateHz));
}

/**
 * Grid times in (fromExclusive, toInclusive]: every multiple of `intervalMs` in that range.
 * Windows of consecutive ticks therefore never skip or repeat a sample.
 */
export function sampleTimes(intervalMs: number, fromExclusive: number, toInclusive: number): number[] {
  const times: number[] = [];
  const first = (Math.floor(fromExclusive / intervalMs) + 1) * intervalMs;
  for (let t = first; t <= toInclusive; t += intervalMs) times.push(t);
  return times;
}

/**
 * All value functions of one source. Functions are built on first use and cached, so the
 * per-sample cost is a few hashes and sines.
 */
export class SourceGenerator {
  readonly key: number;
  private readonly functions = new Map<string, ValueFunction>();
  private readonly core: Map<string, ValueFunction>;

  constructor(
    readonly seed: number,
    readonly source: string,
  ) {
    this.key = sourceKey(seed, source);
    this.core = coreModels(this.key);
  }

  /** The value function of a metric id, or undefined for an id no model knows. */
  valueFunction(metricId: string): ValueFunction | undefined {
    let fn = this.functions.get(metricId) ?? this.core.get(metricId);
    if (fn) return fn;
    fn = familyModel(this.key, metricId);
    if (fn) this.functions.set(metricId, fn);
    return fn;
  }

  /** The value of a metric at t. Throws a RangeError for an unknown id. */
  value(metricId: string, t: number): number {
    const fn = this.valueFunction(metricId);
    if (!fn) throw new RangeError(`No generator for metric id "${metricId}"`);
    return fn(t);
  }
}

let lastGenerator: SourceGenerator | undefined;

/**
 * Recomputes one value, exactly as the server streamed it.
 *
 * @param seed the server's `--seed` (default 1)
 * @param source the source (tenant) name, for example "default"
 * @param metricId a catalogue id such as "cpu.usage" or "host.h-00042.cpu"
 * @param t epoch milliseconds, normally a grid time (a multiple of the metric's interval)
 * @returns the value; throws RangeError for an id without a model
 * @example generateValue(1, "default", "latency.p99", 1_700_000_000_000)
 */
export function generateValue(seed: number, source: string, metricId: string, t: number): number {
  if (!lastGenerator || lastGenerator.seed !== seed || lastGenerator.source !== source) {
    lastGenerator = new SourceGenerator(seed, source);
  }
  return lastGenerator.value(metricId, t);
}

/** Models of the fixed (core) catalogue metrics of one source. */
function coreModels(src: number): Map<string, ValueFunction> {
  const key = (id: string) => combine(src, hashString(id));
  // A per-source scale, so tenants differ in size and not only in noise.
  const scale = 0.6 + 0.8 * unit(combine(src, 0x5ca1e));
  const incident = (t: number) => incidentLevel(src, t);

  const kCpu = key("cpu.usage");
  const cpu = (t: number) => {
    const x = 32 + 14 * dailyCycle(t, 15) + 6 * wave(t, 90_000) + 9 * smoothNoise(kCpu, t, 15_000);
    const spiked = (x + 45 * incident(t) + 2 * whiteNoise(kCpu, t)) * spikeFactor(kCpu, t, 0.002, 1.8);
    return round2(clamp(spiked, 0, 100));
  };

  const kMem = key("memory.usage");
  const memory = (t: number) => {
    const x = 58 + 6 * dailyCycle(t, 16) + 12 * sawtooth(t, 300_000) + 1.5 * smoothNoise(kMem, t, 20_000);
    return round2(clamp(x + 0.3 * whiteNoise(kMem, t), 0, 100));
  };

  const kUsers = key("users.active");
  const activeUsers = (t: number) => {
    const x = scale * 1500 * (1 + 0.55 * dailyCycle(t, 14)) * (1 + 0.08 * smoothNoise(kUsers, t, 30_000));
    return Math.max(0, Math.round(x + 20 * whiteNoise(kUsers, t)));
  };
  // Peak of the last five minutes: the current value and the values at the ten preceding
  // 30-second marks. A pure function of t (no state), and never below `users.active`.
  const peakUsers = (t: number) => {
    let peak = activeUsers(t);
    const mark = Math.floor(t / 30_000) * 30_000;
    for (let j = 0; j < 10; j++) peak = Math.max(peak, activeUsers(mark - j * 30_000));
    return peak;
  };

  // Requests per second, before the split into status classes.
  const kReq = key("requests.rate");
  const requestsRaw = (t: number) => {
    const base = scale * 850 * (1 + 0.45 * dailyCycle(t, 14)) * (1 + 0.12 * smoothNoise(kReq, t, 20_000));
    const x = base * (1 + 0.05 * wave(t, 60_000)) + 1400 * scale * incident(t) + 25 * whiteNoise(kReq, t);
    return Math.max(0, x);
  };
  const kStatus = key("http-status");
  // Status classes are computed together so that they add up to requests.rate.
  const statusClasses = (t: number): [number, number, number, number] => {
    const total = requestsRaw(t);
    const drift = smoothNoise(kStatus, t, 25_000);
    const f5 = 0.004 + 0.06 * incident(t) + 0.003 * Math.max(0, drift);
    const f4 = 0.03 + 0.01 * drift;
    const f3 = 0.06 + 0.01 * smoothNoise(combine(kStatus, 3), t, 40_000);
    const f2 = 1 - f5 - f4 - f3;
    return [round2(total * f2), round2(total * f3), round2(total * f4), round2(total * f5)];
  };

  // Revenue: the integral of r(t) = A + B*sin(2*pi*t/DAY + phi) dollars per second, with
  // A > B so the rate is always positive and the total strictly increasing.
  const revenueRate = 40 * scale;
  const revenueSwing = 25 * scale;
  const revenuePhase = 2 * Math.PI * unit(key("revenue.total"));
  const angle = (t: number) => (2 * Math.PI * (t % DAY_MS)) / DAY_MS + revenuePhase;
  const swingArea = (revenueSwing * DAY_MS) / (2 * Math.PI * 1000);
  const revenueAtEpoch = Math.cos(angle(REVENUE_EPOCH_MS));
  const revenue = (t: number) => {
    const seconds = (t - REVENUE_EPOCH_MS) / 1000;
    return round2(revenueRate * seconds + swingArea * (revenueAtEpoch - Math.cos(angle(t))));
  };

  // Latency percentiles: p95 and p99 are p50 times factors >= 1, so the order always holds.
  const kLat = key("latency");
  const kTail = combine(kLat, 95);
  const kTailDrift = combine(kLat, 99);
  const p50Raw = (t: number) => {
    const x = 38 * (1 + 0.25 * smoothNoise(kLat, t, 10_000)) + 6 * wave(t, 60_000, 1) + 140 * incident(t);
    return Math.max(5, x + 3 * whiteNoise(kLat, t));
  };
  const p95Raw = (t: number) => p50Raw(t) * (2.1 + 0.5 * unit(combineIndex(kTail, t)) + 0.8 * incident(t));
  const p99Raw = (t: number) =>
    p95Raw(t) * (1.4 + 0.6 * smoothNoise(kTailDrift, t, 5_000) ** 2) * spikeFactor(kLat, t, 0.004, 2.5);

  const kQueue = key("queue.depth");
  const queue = (t: number) => {
    const level = incident(t);
    const x = 40 + 30 * smoothNoise(kQueue, t, 20_000) + 400 * level * level + 8 * whiteNoise(kQueue, t);
    return Math.max(0, Math.round(x));
  };

  // Region shares: each region's activity follows its local day; shares are normalized to
  // 100, rounded to 0.01, and the last member takes the remainder so the rounded values sum
  // to exactly 100.00 in decimal.
  const kRegion = key("region-share");
  const regionShares = (t: number): number[] => {
    const weights = REGIONS.map(
      (r, i) => r.weight * (1 + 0.6 * dailyCycle(t, 14 - r.utcOffset)) * (1 + 0.05 * smoothNoise(combine(kRegion, i), t, 30_000)),
    );
    const sum = weights.reduce((a, b) => a + b, 0);
    const shares = weights.map((w) => round2((100 * w) / sum));
    const others = shares.slice(0, -1).reduce((a, b) => a + b, 0);
    shares[shares.length - 1] = round2(100 - others);
    return shares;
  };

  const models = new Map<string, ValueFunction>([
    ["cpu.usage", cpu],
    ["memory.usage", memory],
    ["users.active", activeUsers],
    ["users.peak", peakUsers],
    ["requests.rate", (t) => round2(statusClasses(t).reduce((a, b) => a + b, 0))],
    ["errors.rate", (t) => { const s = statusClasses(t); return round2(s[2] + s[3]); }],
    ["revenue.total", revenue],
    ["latency.p50", (t) => round2(p50Raw(t))],
    ["latency.p95", (t) => round2(p95Raw(t))],
    ["latency.p99", (t) => round2(p99Raw(t))],
    ["queue.depth", queue],
    ["http.2xx", (t) => statusClasses(t)[0]],
    ["http.3xx", (t) => statusClasses(t)[1]],
    ["http.4xx", (t) => statusClasses(t)[2]],
    ["http.5xx", (t) => statusClasses(t)[3]],
  ]);
  REGIONS.forEach((r, i) => models.set(r.id, (t) => regionShares(t)[i]));
  return models;
}

/** Models of the metric families: per-host cpu and firehose channels. */
function familyModel(src: number, metricId: string): ValueFunction | undefined {
  const host = HOST_METRIC_PATTERN.exec(metricId);
  if (host) {
    const k = combine(src, hashString(metricId));
    const base = 15 + 55 * unit(k);
    // About a third of the hosts feel incidents fully; the rest barely.
    const exposure = unit(combine(k, 7)) < 0.3 ? 30 : 6;
    return (t) => {
      const x = base + 10 * dailyCycle(t, 15) + 8 * smoothNoise(k, t, 20_000) + exposure * incidentLevel(src, t);
      return round1(clamp(x + 4 * whiteNoise(k, t), 0, 100));
    };
  }
  const fire = FIRE_METRIC_PATTERN.exec(metricId);
  if (fire) {
    const k = combine(src, hashString(metricId));
    const period = 2_000 + Math.floor(18_000 * unit(k));
    const phase = 2 * Math.PI * unit(combine(k, 1));
    return (t) => round2(50 + 30 * wave(t, period, phase) + 10 * smoothNoise(k, t, 1_000) + 3 * whiteNoise(k, t));
  }
  return undefined;
}
