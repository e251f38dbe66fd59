/**
 * How the dashboard configures the client: where the stream is, where it starts, how much
 * history it loads first, and how much of it each series keeps.
 *
 * @module
 */
import type { MetricInfo, WebSocketManagerOptions } from "@pulseboard/realtime-client";

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
 * @returns options for the client (`new WebSocketManager(...)`, or createRealtime).
 */
export function dashboardClientOptions(where: Pick<Location, "protocol" | "host">, source: string): WebSocketManagerOptions {
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
    // Someone is watching: a frozen chart labelled "Live" is noticed within seconds, so the
    // client's defaults (a 12 s heartbeat timeout, a WebSocket probe every 15 s while polling)
    // are too patient here. The status line already says "Stalled" after about 2 s of silence
    // (liveness.ts); these decide how soon the client acts on it.
    // - A ping every 2 s (under 100 bytes each way) and a dead socket replaced after 6 s of
    //   silence: three intervals, so a lost pong, a long GC pause or a busy server does not
    //   cost a reconnect, while a half-open socket recovers in 6 s instead of 12 s. Any
    //   message counts as a sign of life, so a background tab whose timers are throttled
    //   (pings sent late) does not trip it while data flows.
    heartbeat: { intervalMs: 2000, timeoutMs: 6000 },
    // While polling, try WebSocket again every 5 s: one upgrade request (a refused one is a
    // quick 503) buys the return to push within about 5 s of the cause clearing, not 15 s.
    fallback: { probeIntervalMs: 5000 },
  };
}
