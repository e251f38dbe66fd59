/** A catalogue of `count` host CPU series, as the mock server names them (`host.h-00001.cpu`, label `h-00001`). */
import type { MetricInfo } from "@pulseboard/realtime-client";

/** Id of host `n` (1-based), zero-padded to `digits`. */
export const hostId = (n: number, digits = 5): string => `host.h-${String(n).padStart(digits, "0")}.cpu`;

/**
 * @param count - hosts.
 * @param digits - width of the zero-padded number.
 * @returns the catalogue entries, 1 Hz gauges in group `hosts`.
 */
export function hostCatalogue(count: number, digits = 5): MetricInfo[] {
  return Array.from({ length: count }, (_, i) => ({
    id: hostId(i + 1, digits),
    label: `h-${String(i + 1).padStart(digits, "0")}`,
    unit: "%",
    kind: "gauge",
    group: "hosts",
    rateHz: 1,
  }));
}
