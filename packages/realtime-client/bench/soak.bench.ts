/**
 * Soak benchmark: bounded memory whatever the input rate, over real sockets.
 *
 *   npx tsx --conditions=@pulseboard/source --expose-gc bench/soak.bench.ts   (from packages/realtime-client)
 *   SOAK_SECONDS=60 npx tsx --conditions=@pulseboard/source --expose-gc bench/soak.bench.ts
 *
 * The mock server runs with the firehose profile (about 220 000 points/s) and 1000 events/s
 * in a child process on 127.0.0.1 (started through `startMockServer`), so every figure below
 * is the client's alone: the server keeps up to two minutes of frames for replay, which would
 * otherwise show up in this process's heap. One `WebSocketManager` subscribes to everything
 * with small rings (2048 samples per series) and a small event log (500), so both overflow
 * within a second or two and stay full for the rest of the run.
 *
 * Once a second, after a forced full GC: heapUsed, rss, arrayBuffers (the rings' typed arrays
 * live there, outside the JS heap) and the client's counters. Independently of the client, a
 * second listener on the same socket counts the points and events that arrived on the wire.
 *
 * Invariants (exit code 1 when one fails):
 *   - every point is accounted for, at every sample: received = held in rings + overflow drops;
 *   - the store's overflow count equals the sum of the rings' own drop counters;
 *   - no ring holds more than its capacity; the event log holds at most its capacity and
 *     received = held + dropped;
 *   - the wire agrees: points (events) that arrived = points (events) the client accounted for;
 *   - overflow really happened (otherwise nothing was tested);
 *   - memory is flat once the rings are full: heapUsed and arrayBuffers grow < 50% from the
 *     fill point to the end (the figures are printed; GC noise makes a tighter bound flaky).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { getHeapSpaceStatistics } from "node:v8";
import { WebSocket, type RawData } from "ws";
import { WebSocketManager } from "../src/index.js";
import { obtainGc } from "./gc.js";

const SECONDS = Math.max(5, Math.min(600, Math.round(Number(process.env.SOAK_SECONDS ?? 20) || 20)));
/** When the 1000 Hz rings are full (2048 samples at 1000 Hz: ~2 s) and the memory reference is taken. */
const FILL_AT = 3;
const CAPACITY = 2048;
const EVENT_CAPACITY = 500;
const EVENTS_RATE = 1000;
/** Memory growth after the fill point that counts as a failure (GC noise stays far below). */
const MAX_GROWTH = 0.5;
const MiB = 1024 * 1024;

// ---------------------------------------------------------------------------------------
// Child mode: the mock server, in its own process.
// ---------------------------------------------------------------------------------------
async function serve(): Promise<void> {
  const { startMockServer } = await import("@pulseboard/mock-server");
  const server = await startMockServer({ host: "127.0.0.1", port: 0, profile: "firehose", eventsRate: EVENTS_RATE });
  let closing = false;
  const stop = (): void => {
    if (closing) return;
    closing = true;
    void server.close().finally(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.stdin.on("end", stop); // the parent went away
  process.stdin.resume();
  console.log(`READY ${server.wsUrl}`);
}

function startServerProcess(): Promise<{ child: ChildProcess; wsUrl: string }> {
  const child = spawn(process.execPath, ["--conditions=@pulseboard/source", "--import", "tsx", fileURLToPath(import.meta.url), "--serve"], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("mock server did not start within 30 s")), 30_000);
    child.once("exit", (code) => reject(new Error(`mock server exited early (code ${String(code)})`)));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const match = /^READY (ws:\/\/127\.0\.0\.1:\d+\/ws)$/.exec(line);
      if (match === null) return;
      clearTimeout(timer);
      resolve({ child, wsUrl: match[1] });
    });
  });
}

// ---------------------------------------------------------------------------------------
// Measuring
// ---------------------------------------------------------------------------------------
/** A forced full GC: without one, heap samples measure the collector's schedule, not us. */
function requireGc(): { gc: () => void; how: string } {
  const { gc, how } = obtainGc();
  if (gc === null) throw new Error("no way to force a GC: run with node --expose-gc");
  return { gc, how };
}

/** Points and events as they arrived on the socket, counted without the client's code. */
const wire = { points: 0, events: 0, frames: 0, seq: 0 };

function textOf(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString("utf8");
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  return Buffer.from(data).toString("utf8");
}

/** The `ws` class with one more listener per socket: the wire-side count. */
class CountingWebSocket extends WebSocket {
  constructor(address: string | URL, protocols?: string | string[]) {
    super(address, protocols);
    this.on("message", (data: RawData, isBinary: boolean) => {
      if (isBinary) return;
      const frame = JSON.parse(textOf(data)) as { type?: string; seq?: number; series?: Record<string, { t: unknown[] }>; events?: unknown[] };
      if ((frame.type !== "data" && frame.type !== "events") || typeof frame.seq !== "number") return;
      if (frame.seq <= wire.seq) return; // a replay after a reconnect: counted once
      wire.seq = frame.seq;
      wire.frames++;
      if (frame.type === "events") wire.events += frame.events?.length ?? 0;
      else for (const id in frame.series) wire.points += frame.series[id].t.length;
    });
  }
}

interface Sample {
  at: number;
  heap: number;
  rss: number;
  arrayBuffers: number;
  points: number;
  pps: number;
  overflow: number;
  events: number;
  eventsDropped: number;
  seq: number;
  duplicates: number;
  parseErrors: number;
  lagMs: number | null;
  held: number;
  ringDropped: number;
  maxRing: number;
  eventsHeld: number;
  /** Used bytes per V8 heap space (old_space, code_space...). */
  spaces: Map<string, number>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const mib = (bytes: number): string => (bytes / MiB).toFixed(1);
const int = (n: number): string => n.toLocaleString("en");
const pct = (from: number, to: number): string => `${((to - from) / from) >= 0 ? "+" : ""}${(((to - from) / from) * 100).toFixed(1)}%`;

/** Least-squares slope of y over x. */
function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

async function soak(): Promise<boolean> {
  const { gc, how } = requireGc();
  const started = performance.now();
  const { child, wsUrl } = await startServerProcess();
  let childExited = false;
  child.once("exit", () => (childExited = true));
  const watchdog = setTimeout(() => {
    console.error("soak did not finish in time");
    child.kill("SIGTERM");
    process.exit(1);
  }, (SECONDS + 60) * 1000);

  try {
    gc();
    const base = process.memoryUsage();

    const manager = new WebSocketManager({
      url: wsUrl,
      WebSocket: CountingWebSocket,
      metrics: "*",
      bufferCapacity: CAPACITY,
      eventCapacity: EVENT_CAPACITY,
    });
    // A consumer like a dashboard's: read the newest value of each changed series per frame.
    let notifications = 0;
    let sink = 0;
    let eventsDelivered = 0;
    manager.on("data", ({ changed }) => {
      notifications++;
      for (const id of changed) sink += manager.series(id)?.lastValue ?? 0;
    });
    manager.on("events", ({ events }) => (eventsDelivered += events.length));
    const errors: string[] = [];
    manager.on("error", ({ code, message }) => errors.length < 10 && errors.push(`${code}: ${message}`));

    const helloAt = new Promise<number>((resolve) => manager.on("hello", () => resolve(performance.now())));
    manager.connect();
    const t0 = await Promise.race([helloAt, sleep(15_000).then(() => Promise.reject(new Error("no hello from the server within 15 s")))]);

    const catalogue = manager.catalogue();
    const rings = catalogue.map((m) => manager.series(m.id)).filter((r) => r !== undefined);
    const ringBytes = rings.reduce((n, r) => n + r.capacity * 32, 0);
    const dueRate = catalogue.reduce((n, m) => n + m.rateHz, 0);
    console.log(
      `node ${process.version}, gc via ${how}; mock server (firehose, ${EVENTS_RATE} events/s) in a child process at ${wsUrl}\n` +
        `${catalogue.length} series (${int(Math.round(dueRate))} points/s due), ring capacity ${CAPACITY}, event capacity ${EVENT_CAPACITY}, ${SECONDS} s; memory after a forced GC each second\n`,
    );

    const take = (at: number): Sample => {
      gc();
      const spaces = new Map(getHeapSpaceStatistics().map((space) => [space.space_name, space.space_used_size]));
      const m = process.memoryUsage();
      const s = manager.stats();
      let held = 0;
      let ringDropped = 0;
      let maxRing = 0;
      for (const r of rings) {
        held += r.length;
        ringDropped += r.dropped;
        maxRing = Math.max(maxRing, r.length / r.capacity);
      }
      return {
        at,
        heap: m.heapUsed,
        rss: m.rss,
        arrayBuffers: m.arrayBuffers,
        points: s.pointsReceived,
        pps: s.pointsPerSecond,
        overflow: s.pointsDroppedBy.overflow,
        events: s.eventsReceived,
        eventsDropped: s.eventsDropped,
        seq: s.seq,
        duplicates: s.duplicatesDropped,
        parseErrors: s.parseErrorsTotal,
        lagMs: s.lagMs,
        held,
        ringDropped,
        maxRing,
        eventsHeld: manager.events().length,
        spaces,
      };
    };

    const header = ["t s", "heap MiB", "rss MiB", "arrBuf MiB", "points recv", "points/s", "overflow drops", "held", "events", "ev dropped", "seq", "dups", "parse err", "lag ms"];
    const widths = header.map((h) => Math.max(h.length, 9));
    const line = (cells: string[]): string => cells.map((c, i) => c.padStart(widths[i])).join("  ");
    console.log(line(header));
    const samples: Sample[] = [];
    for (let k = 1; k <= SECONDS; k++) {
      await sleep(Math.max(0, t0 + k * 1000 - performance.now()));
      const s = take(k);
      samples.push(s);
      console.log(
        line([
          String(k),
          mib(s.heap),
          mib(s.rss),
          mib(s.arrayBuffers),
          int(s.points),
          int(Math.round(s.pps)),
          int(s.overflow),
          int(s.held),
          int(s.events),
          int(s.eventsDropped),
          int(s.seq),
          int(s.duplicates),
          int(s.parseErrors),
          s.lagMs === null ? "-" : String(Math.round(s.lagMs)),
        ]),
      );
    }

    // Stop the stream first: nothing arrives between the final reads below.
    manager.close();
    const final = take(SECONDS);
    const stats = manager.stats();
    if (sink === 42) console.log(sink);

    // ---------------------------------------------------------------------------------
    // Summary and invariants
    // ---------------------------------------------------------------------------------
    const fill = samples[FILL_AT - 1];
    const end = samples[samples.length - 1];
    const after = samples.slice(FILL_AT - 1);
    const heapSlope = slope(after.map((s) => s.at), after.map((s) => s.heap));
    const heapGrowth = (end.heap - fill.heap) / fill.heap;
    const abGrowth = (end.arrayBuffers - fill.arrayBuffers) / fill.arrayBuffers;
    const elapsed = (performance.now() - t0) / 1000;

    const checks: Array<[string, boolean, string]> = [];
    const accountedAt = samples.filter((s) => s.points === s.held + s.overflow).length;
    checks.push([
      "points: received = held in rings + overflow drops",
      accountedAt === samples.length && final.points === final.held + final.overflow,
      `${int(final.points)} = ${int(final.held)} + ${int(final.overflow)} (held at ${accountedAt}/${samples.length} samples and after close)`,
    ]);
    const ringCountersAt = samples.filter((s) => s.overflow === s.ringDropped).length;
    checks.push([
      "overflow drops = sum of the rings' own drop counters",
      ringCountersAt === samples.length && final.overflow === final.ringDropped,
      `${int(final.overflow)} = ${int(final.ringDropped)} (${ringCountersAt}/${samples.length} samples)`,
    ]);
    const boundedAt = samples.filter((s) => s.maxRing <= 1 && s.eventsHeld <= EVENT_CAPACITY).length;
    checks.push([
      "no ring above its capacity, event log within its capacity",
      boundedAt === samples.length,
      `fullest ring ${(Math.max(...samples.map((s) => s.maxRing)) * 100).toFixed(0)}% of ${CAPACITY}; events held ≤ ${Math.max(...samples.map((s) => s.eventsHeld))} of ${EVENT_CAPACITY}`,
    ]);
    const eventsAt = samples.filter((s) => s.events === s.eventsHeld + s.eventsDropped).length;
    checks.push([
      "events: received = held + dropped",
      eventsAt === samples.length && final.events === final.eventsHeld + final.eventsDropped,
      `${int(final.events)} = ${int(final.eventsHeld)} + ${int(final.eventsDropped)} (${eventsAt}/${samples.length} samples)`,
    ]);
    const by = stats.pointsDroppedBy;
    const accountedLive = final.points - stats.pointsBackfilled - stats.pointsPrefilled + by.nonFinite + by.outOfOrder + by.unknownMetric;
    checks.push([
      "wire: points that arrived = points accounted for",
      wire.points === accountedLive,
      `${int(wire.points)} on the wire (${int(wire.frames)} frames) = ${int(final.points)} received - ${int(stats.pointsBackfilled + stats.pointsPrefilled)} from history + ${int(by.nonFinite + by.outOfOrder + by.unknownMetric)} dropped as invalid`,
    ]);
    checks.push(["wire: events that arrived = events received", wire.events === final.events, `${int(wire.events)} = ${int(final.events)}`]);
    checks.push([
      "overflow exercised (points and events dropped)",
      final.overflow > 0 && final.eventsDropped > 0,
      `${int(final.overflow)} points (${((final.overflow / final.points) * 100).toFixed(1)}% of received), ${int(final.eventsDropped)} events`,
    ]);
    checks.push([
      `heapUsed flat after rings filled (< ${MAX_GROWTH * 100}% growth)`,
      heapGrowth < MAX_GROWTH,
      `${mib(fill.heap)} MiB at ${FILL_AT} s -> ${mib(end.heap)} MiB at ${SECONDS} s: ${(end.heap - fill.heap) / MiB >= 0 ? "+" : ""}${((end.heap - fill.heap) / MiB).toFixed(2)} MiB (${pct(fill.heap, end.heap)}), slope ${(heapSlope / 1024).toFixed(1)} KiB/s`,
    ]);
    checks.push([
      `arrayBuffers flat after rings filled (< ${MAX_GROWTH * 100}% growth)`,
      abGrowth < MAX_GROWTH,
      `${mib(fill.arrayBuffers)} MiB -> ${mib(end.arrayBuffers)} MiB (${pct(fill.arrayBuffers, end.arrayBuffers)})`,
    ]);

    const bySpace = [...end.spaces]
      .map(([name, used]): [string, number] => [name, used - (fill.spaces.get(name) ?? 0)])
      .filter(([, delta]) => Math.abs(delta) >= 1024)
      .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
      .map(([name, delta]) => `${name} ${delta >= 0 ? "+" : ""}${(delta / 1024).toFixed(0)} KiB`);
    const received = end.points;
    console.log(`
summary over ${elapsed.toFixed(1)} s of stream (${((performance.now() - started) / 1000).toFixed(1)} s in all)
  points received        ${int(received)} (${int(Math.round(received / SECONDS))} points/s; ${int(Math.round(dueRate))} due: ${((received / SECONDS / dueRate) * 100).toFixed(1)}%)
  points held in rings   ${int(final.held)} of ${int(rings.length * CAPACITY)} slots (${rings.length} series × ${CAPACITY})
  drops, all counted     overflow ${int(by.overflow)}, non-finite ${int(by.nonFinite)}, out of order ${int(by.outOfOrder)}, unknown metric ${int(by.unknownMetric)}; events ${int(final.eventsDropped)} of ${int(final.events)}; duplicate frames ${int(stats.duplicatesDropped)}; parse errors ${int(stats.parseErrorsTotal)}
  connection             reconnects ${stats.reconnects}, gaps ${stats.gapsReported}, fallbacks ${stats.fallbacks}, frames applied ${int(stats.framesApplied)}, data notifications ${int(notifications)}, events delivered ${int(eventsDelivered)}${errors.length > 0 ? `\n  errors                 ${errors.join("; ")}` : ""}
  ring memory expected   ${mib(ringBytes)} MiB (${rings.length} series × ${CAPACITY} × 32 B: 2 columns × 2 mirrors × 8 B)
  ring memory measured   ${mib(fill.arrayBuffers - base.arrayBuffers)} MiB of arrayBuffers at ${FILL_AT} s over the ${mib(base.arrayBuffers)} MiB before connecting (${mib(end.arrayBuffers - base.arrayBuffers)} MiB at ${SECONDS} s)
  heapUsed               ${mib(base.heapUsed)} MiB before connecting, ${mib(fill.heap)} MiB at ${FILL_AT} s, ${mib(end.heap)} MiB at ${SECONDS} s (${pct(fill.heap, end.heap)}; by V8 space: ${bySpace.join(", ") || "no change"})
  rss                    ${mib(base.rss)} MiB before connecting, ${mib(fill.rss)} MiB at ${FILL_AT} s, ${mib(end.rss)} MiB at ${SECONDS} s (${pct(fill.rss, end.rss)})
`);
    const w = Math.max(...checks.map((c) => c[0].length));
    for (const [name, ok, detail] of checks) console.log(`${ok ? "PASS" : "FAIL"}  ${name.padEnd(w)}  ${detail}`);
    return checks.every((c) => c[1]);
  } finally {
    clearTimeout(watchdog);
    if (!childExited) {
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      await Promise.race([exited, sleep(5000)]);
    }
  }
}

if (process.argv.includes("--serve")) {
  serve().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else {
  soak().then(
    (ok) => {
      if (!ok) process.exitCode = 1;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
