/**
 * The metric catalogue: which metrics exist, with their label, unit, kind, group and rate.
 *
 * The catalogue depends on the server's options (rate, number of hosts, profile) but a
 * metric's values never do: they come from the generator by id alone.
 */
import type { MetricInfo, MetricKind } from "@pulseboard/protocol";
import { REGIONS, intervalForRate } from "./generator.js";

/** Workload profiles: `firehose` adds 200 channels at 1000 Hz (200 000 points/s). */
export type Profile = "default" | "firehose";

export interface CatalogueOptions {
  /** Sample rate of the core metrics, in Hz. @default 10 */
  rateHz: number;
  /** Number of per-host cpu metrics (`host.h-00001.cpu` ...), at 1 Hz. @default 200 */
  hosts: number;
  /** @default "default" */
  profile: Profile;
}

/** Most hosts the id scheme `host.h-NNNNN.cpu` can number. */
export const MAX_HOSTS = 99_999;
/** Firehose channels (`fire.000` .. `fire.199`) and their rate. */
export const FIREHOSE_CHANNELS = 200;
export const FIREHOSE_RATE_HZ = 1000;
/** Rate of the per-host family. */
export const HOST_RATE_HZ = 1;

type CoreEntry = [id: string, label: string, unit: string, kind: MetricKind, group?: string];

/** The fixed metrics every source has, in catalogue (and frame) order. */
const CORE: CoreEntry[] = [
  ["cpu.usage", "CPU usage", "%", "gauge", "system"],
  ["memory.usage", "Memory usage", "%", "gauge", "system"],
  ["users.active", "Active users", "users", "gauge", "users"],
  ["users.peak", "Active users, 5 min peak", "users", "gauge", "users"],
  ["requests.rate", "Requests", "req/s", "rate", "traffic"],
  ["errors.rate", "Errors (4xx + 5xx)", "req/s", "rate", "traffic"],
  ["revenue.total", "Revenue since 2024-01-01", "USD", "counter", "business"],
  ["latency.p50", "Latency p50", "ms", "latency", "latency"],
  ["latency.p95", "Latency p95", "ms", "latency", "latency"],
  ["latency.p99", "Latency p99", "ms", "latency", "latency"],
  ["queue.depth", "Job queue depth", "jobs", "gauge", "system"],
  ...REGIONS.map((r): CoreEntry => [r.id, `Traffic share: ${r.label}`, "%", "share", "region-share"]),
  ["http.2xx", "HTTP 2xx", "req/s", "rate", "http-status"],
  ["http.3xx", "HTTP 3xx", "req/s", "rate", "http-status"],
  ["http.4xx", "HTTP 4xx", "req/s", "rate", "http-status"],
  ["http.5xx", "HTTP 5xx", "req/s", "rate", "http-status"],
];

/** The id of host number `n` (1-based): `host.h-00001.cpu`. */
export function hostMetricId(n: number): string {
  return `host.h-${String(n).padStart(5, "0")}.cpu`;
}

/** The id of firehose channel `n` (0-based): `fire.000`. */
export function fireMetricId(n: number): string {
  return `fire.${String(n).padStart(3, "0")}`;
}

/** The advertised rate of a grid: 1000 / interval (3 Hz is advertised as 3.003 Hz). */
function effectiveRate(rateHz: number): number {
  return 1000 / intervalForRate(rateHz);
}

/**
 * The catalogue for the given options, in the order frames list their series.
 *
 * @example defaultCatalogue({ hosts: 0 }).map((m) => m.id) // ["cpu.usage", "memory.usage", ...]
 */
export function defaultCatalogue(options: Partial<CatalogueOptions> = {}): MetricInfo[] {
  const rateHz = effectiveRate(options.rateHz ?? 10);
  const hosts = options.hosts ?? 200;
  const metrics: MetricInfo[] = CORE.map(([id, label, unit, kind, group]) => ({ id, label, unit, kind, group, rateHz }));
  for (let n = 1; n <= hosts; n++) {
    metrics.push({ id: hostMetricId(n), label: `CPU h-${String(n).padStart(5, "0")}`, unit: "%", kind: "gauge", group: "hosts", rateHz: HOST_RATE_HZ });
  }
  if (options.profile === "firehose") {
    for (let n = 0; n < FIREHOSE_CHANNELS; n++) {
      metrics.push({ id: fireMetricId(n), label: `Firehose channel ${n}`, unit: "", kind: "gauge", group: "firehose", rateHz: FIREHOSE_RATE_HZ });
    }
  }
  return metrics;
}

/** Metrics that share one sample grid: their sample times are computed once per tick. */
export interface GridGroup {
  intervalMs: number;
  ids: string[];
}

/** The catalogue with the indexes the server needs. */
export class Catalogue {
  readonly metrics: MetricInfo[];
  readonly byId: ReadonlyMap<string, MetricInfo>;
  /** Grids in ascending interval order; ids inside keep catalogue order. */
  readonly grids: GridGroup[];

  constructor(metrics: MetricInfo[]) {
    this.metrics = metrics;
    this.byId = new Map(metrics.map((m) => [m.id, m]));
    const grids = new Map<number, string[]>();
    for (const m of metrics) {
      const interval = intervalForRate(m.rateHz);
      let ids = grids.get(interval);
      if (!ids) grids.set(interval, (ids = []));
      ids.push(m.id);
    }
    this.grids = [...grids].sort((a, b) => a[0] - b[0]).map(([intervalMs, ids]) => ({ intervalMs, ids }));
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** Grid interval of a metric in ms (undefined for an unknown id). */
  intervalOf(id: string): number | undefined {
    const m = this.byId.get(id);
    return m ? intervalForRate(m.rateHz) : undefined;
  }
}
