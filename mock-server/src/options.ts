/**
 * Server options: their defaults, their limits, and one place that validates them.
 */
import type { Profile } from "./catalogue.js";
import type { FaultScheduleEntry } from "./faults.js";
import { FIREHOSE_RATE_HZ } from "./catalogue.js";
import { MAX_EVENTS_RATE } from "./events.js";
import { MAX_LONG_TEXT, NO_LONG_TEXT, type LongTextOptions } from "./long-text.js";

/** Options of {@link createMetricsService} and {@link startMockServer}. */
export interface MockServerOptions {
  /** Interface to listen on (standalone server only). @default "127.0.0.1" */
  host?: string;
  /** Port to listen on; 0 picks a free one (standalone server only). @default 8787 */
  port?: number;
  /** Seed of the generator: same seed, same data. @default 1 */
  seed?: number;
  /** Sample rate of the core metrics in Hz, up to 1000. @default 10 (1000 with the firehose profile) */
  rateHz?: number;
  /** Interval of the stream's tick, which batches samples into frames. @default 50 */
  tickMs?: number;
  /** Number of per-host cpu metrics, at 1 Hz. @default 200 */
  hosts?: number;
  /** Events per second (deploys, alerts, log lines), up to 1000. @default 5 */
  eventsRate?: number;
  /** `firehose` adds 200 channels at 1000 Hz. @default "default" */
  profile?: Profile;
  /** How long frames stay replayable. @default 120000 */
  retentionMs?: number;
  /** Byte cap of one source's retained frames (whichever of time and bytes is hit first). @default 67108864 */
  maxRetainedBytes?: number;
  /** Most sources (tenants) alive at once; more gives `unknown_source`. @default 64 */
  maxSources?: number;
  /** When set, clients must present it (`?token=` or `Authorization: Bearer`). */
  token?: string;
  /** When set, browser requests (with an Origin header) must come from one of these origins. */
  allowedOrigins?: string[];
  /** Enables the `/admin/faults` HTTP endpoint (the programmatic fault API always works). @default false */
  faults?: boolean;
  /** A client whose unsent bytes exceed this is closed with 1013. @default 8388608 */
  maxBufferedBytes?: number;
  /** Faults to inject at given times or periodically (the CLI's fault flags fill this). */
  schedule?: FaultScheduleEntry[];
  /**
   * Pads catalogue labels, units and event texts/sources to these lengths (hostile text for
   * layout tests, see long-text.ts). @default all 0 (unchanged)
   */
  longText?: Partial<LongTextOptions>;
  /** Receives one line per notable event (connections, faults). @default no logging */
  log?: (line: string) => void;
}

/** Options with every default filled in. */
export type ResolvedOptions = Required<Omit<MockServerOptions, "token" | "allowedOrigins" | "longText">> & {
  longText: LongTextOptions;
  token: string | undefined;
  allowedOrigins: string[] | undefined;
};

export const DEFAULTS = {
  host: "127.0.0.1",
  port: 8787,
  seed: 1,
  rateHz: 10,
  tickMs: 50,
  hosts: 200,
  eventsRate: 5,
  profile: "default" as Profile,
  retentionMs: 120_000,
  maxRetainedBytes: 64 * 1024 * 1024,
  maxSources: 64,
  maxBufferedBytes: 8 * 1024 * 1024,
};

/** Hosts the server accepts; the id scheme could number more, the tick budget could not. */
export const MAX_HOSTS_OPTION = 20_000;

function checkNumber(name: string, value: number, min: number, max: number, integer: boolean): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new RangeError(`${name} must be ${integer ? "an integer" : "a number"} from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

/**
 * Fills in defaults and validates. Throws a RangeError whose message names the option and
 * its valid range.
 */
export function resolveOptions(options: MockServerOptions = {}): ResolvedOptions {
  const profile = options.profile ?? DEFAULTS.profile;
  if (profile !== "default" && profile !== "firehose") throw new RangeError(`profile must be "default" or "firehose", got ${String(profile)}`);
  const defaultRate = profile === "firehose" ? FIREHOSE_RATE_HZ : DEFAULTS.rateHz;
  if (options.token !== undefined && (typeof options.token !== "string" || options.token.length === 0)) {
    throw new RangeError("token must be a non-empty string");
  }
  if (options.allowedOrigins !== undefined && !Array.isArray(options.allowedOrigins)) {
    throw new RangeError("allowedOrigins must be an array of origins such as http://127.0.0.1:5173");
  }
  return {
    host: options.host ?? DEFAULTS.host,
    port: checkNumber("port", options.port ?? DEFAULTS.port, 0, 65_535, true),
    seed: checkNumber("seed", options.seed ?? DEFAULTS.seed, 0, Number.MAX_SAFE_INTEGER, true),
    rateHz: checkNumber("rateHz", options.rateHz ?? defaultRate, 0.001, 1000, false),
    tickMs: checkNumber("tickMs", options.tickMs ?? DEFAULTS.tickMs, 5, 1000, true),
    hosts: checkNumber("hosts", options.hosts ?? DEFAULTS.hosts, 0, MAX_HOSTS_OPTION, true),
    eventsRate: checkNumber("eventsRate", options.eventsRate ?? DEFAULTS.eventsRate, 0, MAX_EVENTS_RATE, false),
    profile,
    retentionMs: checkNumber("retentionMs", options.retentionMs ?? DEFAULTS.retentionMs, 1, 3_600_000, true),
    maxRetainedBytes: checkNumber("maxRetainedBytes", options.maxRetainedBytes ?? DEFAULTS.maxRetainedBytes, 1024, 2 ** 31, true),
    maxSources: checkNumber("maxSources", options.maxSources ?? DEFAULTS.maxSources, 1, 10_000, true),
    token: options.token,
    allowedOrigins: options.allowedOrigins?.map((o) => o.replace(/\/+$/, "")),
    faults: options.faults ?? false,
    maxBufferedBytes: checkNumber("maxBufferedBytes", options.maxBufferedBytes ?? DEFAULTS.maxBufferedBytes, 1024, 2 ** 31, true),
    schedule: options.schedule ?? [],
    longText: {
      labels: checkNumber("longText.labels", options.longText?.labels ?? NO_LONG_TEXT.labels, 0, MAX_LONG_TEXT, true),
      units: checkNumber("longText.units", options.longText?.units ?? NO_LONG_TEXT.units, 0, MAX_LONG_TEXT, true),
      events: checkNumber("longText.events", options.longText?.events ?? NO_LONG_TEXT.events, 0, MAX_LONG_TEXT, true),
    },
    log: options.log ?? (() => {}),
  };
}
