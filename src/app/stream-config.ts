/**
 * How the dashboard configures the client: where the stream is, where it starts, how much
 * history it loads first, and how much of it each series keeps.
 *
 * @module
 */
import type { MetricInfo } from "@pulseboard/realtime-client";
import type { RealtimeOptions } from "../realtime/index.ts";

/** Seconds of each core series kept in memory: the chart window plus room to hover and pause. */
export const KEEP_SECONDS = 75;

/**
 * Ring capacity per metric, so memory stays bounded whatever the rate: core metrics keep
 * KEEP_SECONDS (at 1000 Hz, 75 000 samples = 2.4 MB each), per-host series a minute (10 000
 * hosts x 64 samples = 20 MB), uncharted families a second, never more than 2^17 samples.
 *
 * @param info - catalogue entry.
 * @returns samples to keep.
 */
export function capacityFor(info: MetricInfo): number {
  if (info.group === "hosts") return 64;
  // The firehose profile's 200 channels at 1000 Hz are not charted: 75 s of each would be 480 MB.
  if (info.group === "firehose") return 1024;
  return Math.min(2 ** 17, Math.max(256, Math.ceil(info.rateHz * KEEP_SECONDS)));
}

/**
 * Client options for a page served with the stream on its own origin (`npm start`).
 * @param where - the page's location.
 * @param source - the source (tenant) to watch.
 * @returns options for createRealtime.
 */
export function dashboardClientOptions(where: Pick<Location, "protocol" | "host">, source: string): RealtimeOptions {
  return {
    url: `${where.protocol === "https:" ? "wss" : "ws"}://${where.host}/ws`,
    source,
    // Charts start with whatever the server still retains instead of empty...
    startFrom: "retained",
    // ...and with history behind that, as much as the rings keep: the server recomputes any
    // past window, even after a restart emptied its retention. The client clips each series'
    // window to its ring's room, so the 64-sample host rings take a minute, not 75 s.
    history: { prefillMs: KEEP_SECONDS * 1000 },
    capacityFor,
    eventCapacity: 5000,
  };
}
