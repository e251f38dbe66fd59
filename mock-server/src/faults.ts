/**
 * Fault injection: the server as a test instrument.
 *
 * Instant faults act once (`drop`, `restart`, `garbage`, `lose-frames` with a `count`); timed
 * faults (`stall`, `refuse-upgrades`, `slow`, `outage`, `drop-hello`, `lose-frames` with a
 * `durationMs`) stay active for `durationMs`, and injecting one again replaces it. The
 * controller holds the state; the service reads it (`stalled`, `slowDelayMs`, `down`,
 * `losingFrames`, ...) and is told through hooks when something must happen now.
 */
import { GARBAGE_VARIANTS, type GarbageVariant } from "./garbage.js";

export type { GarbageVariant } from "./garbage.js";

/** A fault to inject (the JSON body of `POST /admin/faults`). */
export type FaultSpec =
  /** Terminates every WebSocket abruptly (no close frame; clients see 1006). */
  | { kind: "drop" }
  /** Sockets stay open but nothing is sent and client messages (pings too) are ignored. */
  | { kind: "stall"; durationMs: number }
  /** WebSocket upgrades get HTTP 503; HTTP keeps working (clients should fall back to polling). */
  | { kind: "refuse-upgrades"; durationMs: number }
  /** Sends invalid frames to every WebSocket client; they never consume a seq. */
  | { kind: "garbage"; count?: number; variant?: GarbageVariant }
  /** Delays every WebSocket send and every HTTP reply by `delayMs`. */
  | { kind: "slow"; durationMs: number; delayMs: number }
  /**
   * The server is down for `durationMs`, as if its process were gone: every WebSocket and
   * pending long-poll is cut, and new upgrades and every request but `/admin/*` are reset
   * without an answer (clients see a failed connection or a network error, on every transport).
   * The streams keep producing into retention, so a client back within it resumes without a gap.
   */
  | { kind: "outage"; durationMs: number }
  /** Drops everything and starts a new epoch on every source (seq restarts at 1). */
  | { kind: "restart" }
  /**
   * Loses stream frames (data, events) on their way to WebSocket clients without closing
   * anything, as a proxy or gateway shedding load does: the next `count` frames of every
   * connected client, or every frame sent to any client for `durationMs`. The frames stay in
   * retention, so a client that resubscribes from its cursor gets them replayed.
   */
  | { kind: "lose-frames"; count: number; durationMs?: undefined }
  | { kind: "lose-frames"; durationMs: number; count?: undefined }
  /**
   * Loses the `hello` of every WebSocket that opens while it lasts: the socket stays open and
   * pings are answered, but the handshake never completes.
   */
  | { kind: "drop-hello"; durationMs: number }
  /** Ends every timed fault. */
  | { kind: "clear" };

export type FaultKind = FaultSpec["kind"];
type TimedKind = "stall" | "refuse-upgrades" | "slow" | "outage" | "lose-frames" | "drop-hello";

/** A timed fault in force. */
export interface ActiveFault {
  kind: TimedKind;
  /** Epoch ms when it ends. */
  until: number;
  remainingMs: number;
  /** For `slow`. */
  delayMs?: number;
}

/** A fault injected at `atMs` after start and/or every `everyMs` (first at `atMs ?? everyMs`). */
export interface FaultScheduleEntry {
  fault: FaultSpec;
  atMs?: number;
  everyMs?: number;
}

/** What the service does when a fault strikes. */
export interface FaultHooks {
  drop(): void;
  restart(): void;
  garbage(count: number, variant: GarbageVariant): void;
  /** Every connected WebSocket client loses its next `count` stream frames. */
  loseFrames(count: number): void;
  /** A stall ended: senders should catch up from retention. */
  stallEnded(): void;
  /** An outage began: cut every connection (sockets and pending long-polls). */
  outageStarted(): void;
  log(line: string): void;
}

const MAX_DURATION_MS = 3_600_000;
const MAX_DELAY_MS = 30_000;
const MAX_GARBAGE_COUNT = 1000;
const MAX_LOST_FRAMES = 1_000_000;

/**
 * Validates an untrusted fault spec (an HTTP body). Returns the spec or a message naming
 * the bad field.
 */
export function parseFaultSpec(value: unknown): { ok: true; spec: FaultSpec } | { ok: false; message: string } {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { ok: false, message: "fault must be a JSON object" };
  const v = value as Record<string, unknown>;
  const intIn = (name: string, min: number, max: number): number | string => {
    const x = v[name];
    return typeof x === "number" && Number.isInteger(x) && x >= min && x <= max ? x : `"${name}" must be an integer from ${min} to ${max}`;
  };
  switch (v.kind) {
    case "drop":
    case "restart":
    case "clear":
      return { ok: true, spec: { kind: v.kind } };
    case "stall":
    case "refuse-upgrades":
    case "outage":
    case "drop-hello": {
      const durationMs = intIn("durationMs", 1, MAX_DURATION_MS);
      if (typeof durationMs === "string") return { ok: false, message: durationMs };
      return { ok: true, spec: { kind: v.kind, durationMs } };
    }
    case "slow": {
      const durationMs = intIn("durationMs", 1, MAX_DURATION_MS);
      if (typeof durationMs === "string") return { ok: false, message: durationMs };
      const delayMs = intIn("delayMs", 0, MAX_DELAY_MS);
      if (typeof delayMs === "string") return { ok: false, message: delayMs };
      return { ok: true, spec: { kind: "slow", durationMs, delayMs } };
    }
    case "lose-frames": {
      if ((v.count === undefined) === (v.durationMs === undefined)) return { ok: false, message: '"lose-frames" needs exactly one of "count" and "durationMs"' };
      if (v.count !== undefined) {
        const count = intIn("count", 1, MAX_LOST_FRAMES);
        return typeof count === "string" ? { ok: false, message: count } : { ok: true, spec: { kind: "lose-frames", count } };
      }
      const durationMs = intIn("durationMs", 1, MAX_DURATION_MS);
      return typeof durationMs === "string" ? { ok: false, message: durationMs } : { ok: true, spec: { kind: "lose-frames", durationMs } };
    }
    case "garbage": {
      const count = v.count === undefined ? 1 : intIn("count", 1, MAX_GARBAGE_COUNT);
      if (typeof count === "string") return { ok: false, message: count };
      const variant = v.variant ?? "mixed";
      if (!GARBAGE_VARIANTS.includes(variant as GarbageVariant)) {
        return { ok: false, message: `"variant" must be one of ${GARBAGE_VARIANTS.join(", ")}` };
      }
      return { ok: true, spec: { kind: "garbage", count, variant: variant as GarbageVariant } };
    }
    default:
      return { ok: false, message: '"kind" must be one of drop, stall, refuse-upgrades, garbage, slow, outage, restart, lose-frames, drop-hello, clear' };
  }
}

export class FaultController {
  private readonly timed = new Map<TimedKind, { until: number; delayMs?: number; timer: NodeJS.Timeout }>();
  private readonly scheduleTimers: NodeJS.Timeout[] = [];

  constructor(
    private readonly hooks: FaultHooks,
    private readonly clock: () => number = Date.now,
  ) {}

  /** True while a `stall` is active. */
  get stalled(): boolean {
    return this.timed.has("stall");
  }

  /** True while upgrades are refused. */
  get refusingUpgrades(): boolean {
    return this.timed.has("refuse-upgrades");
  }

  /** True while a timed `lose-frames` is active: every stream frame sent over WebSocket is lost. */
  get losingFrames(): boolean {
    return this.timed.has("lose-frames");
  }

  /** True while `drop-hello` is active: sockets that open now never get their hello. */
  get droppingHello(): boolean {
    return this.timed.has("drop-hello");
  }

  /** True while an `outage` is active: no transport may get an answer. */
  get down(): boolean {
    return this.timed.has("outage");
  }

  /** Delay of the `slow` fault (0 when not active). */
  get slowDelayMs(): number {
    return this.timed.get("slow")?.delayMs ?? 0;
  }

  /**
   * Injects a fault. Throws a RangeError for an invalid spec (same rules as the HTTP API).
   *
   * @example service.faults.inject({ kind: "refuse-upgrades", durationMs: 5000 })
   */
  inject(spec: FaultSpec): void {
    const parsed = parseFaultSpec(spec);
    if (!parsed.ok) throw new RangeError(`invalid fault: ${parsed.message}`);
    const fault = parsed.spec;
    this.hooks.log(`fault: ${JSON.stringify(fault)}`);
    switch (fault.kind) {
      case "drop":
        return this.hooks.drop();
      case "restart":
        return this.hooks.restart();
      case "garbage":
        return this.hooks.garbage(fault.count ?? 1, fault.variant ?? "mixed");
      case "clear":
        return this.clear();
      case "lose-frames":
        return fault.count !== undefined ? this.hooks.loseFrames(fault.count) : this.startTimed("lose-frames", fault.durationMs);
      case "stall":
      case "refuse-upgrades":
      case "drop-hello":
        return this.startTimed(fault.kind, fault.durationMs);
      case "outage":
        this.startTimed("outage", fault.durationMs);
        return this.hooks.outageStarted();
      case "slow":
        return this.startTimed("slow", fault.durationMs, fault.delayMs);
    }
  }

  /** Ends every timed fault now. */
  clear(): void {
    for (const kind of [...this.timed.keys()]) this.end(kind);
  }

  /** The timed faults in force. */
  active(): ActiveFault[] {
    const now = this.clock();
    return [...this.timed].map(([kind, f]) => ({
      kind,
      until: f.until,
      remainingMs: Math.max(0, f.until - now),
      ...(f.delayMs === undefined ? {} : { delayMs: f.delayMs }),
    }));
  }

  /** Arms a schedule of faults (CLI flags such as `--drop-every 30`). */
  schedule(entries: readonly FaultScheduleEntry[]): void {
    for (const entry of entries) {
      const fire = () => {
        try {
          this.inject(entry.fault);
        } catch (error) {
          this.hooks.log(`scheduled fault failed: ${(error as Error).message}`);
        }
      };
      const first = entry.atMs ?? entry.everyMs ?? 0;
      const start = setTimeout(() => {
        fire();
        if (entry.everyMs) {
          const every = setInterval(fire, entry.everyMs);
          every.unref();
          this.scheduleTimers.push(every);
        }
      }, first);
      start.unref();
      this.scheduleTimers.push(start);
    }
  }

  /** Stops timers and ends every fault (server shutdown). */
  dispose(): void {
    for (const timer of this.scheduleTimers) clearTimeout(timer);
    this.scheduleTimers.length = 0;
    for (const f of this.timed.values()) clearTimeout(f.timer);
    this.timed.clear();
  }

  private startTimed(kind: TimedKind, durationMs: number, delayMs?: number): void {
    const previous = this.timed.get(kind);
    if (previous) clearTimeout(previous.timer);
    const timer = setTimeout(() => this.end(kind), durationMs);
    timer.unref();
    this.timed.set(kind, { until: this.clock() + durationMs, delayMs, timer });
  }

  private end(kind: TimedKind): void {
    const fault = this.timed.get(kind);
    if (!fault) return;
    clearTimeout(fault.timer);
    this.timed.delete(kind);
    this.hooks.log(`fault ended: ${kind}`);
    if (kind === "stall") this.hooks.stallEnded();
  }
}
