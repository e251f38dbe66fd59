/**
 * Command-line flags -> {@link MockServerOptions}. Used by the CLI and by anything that
 * starts the service from a flag string (the dashboard's dev server reads
 * `PULSEBOARD_MOCK_FLAGS`), so both accept exactly the same flags.
 */
import type { FaultScheduleEntry } from "./faults.js";
import { GARBAGE_VARIANTS, type GarbageVariant } from "./garbage.js";
import { MAX_LONG_TEXT } from "./long-text.js";
import { DEFAULTS, resolveOptions, type MockServerOptions } from "./options.js";

/** A flag or value the CLI cannot accept; the CLI prints the message and exits with 2. */
export class FlagError extends Error {}

interface FlagSpec {
  /** Value placeholder in the help, or undefined for a switch. */
  value?: string;
  help: string;
  apply(options: MockServerOptions, value: string, schedule: FaultScheduleEntry[], state: { slowDelayMs: number; garbageVariant: GarbageVariant }): void;
}

const number = (flag: string, raw: string, min: number, max: number, integer = true): number => {
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new FlagError(`${flag} expects ${integer ? "an integer" : "a number"} from ${min} to ${max}, got "${raw}"`);
  }
  return value;
};
const seconds = (flag: string, raw: string) => Math.round(number(flag, raw, 0.001, 86_400, false) * 1000);
const MIB = 1024 * 1024;

/** Every flag, in help order. */
const FLAGS: Record<string, FlagSpec> = {
  "--host": { value: "HOST", help: `interface to listen on (default ${DEFAULTS.host})`, apply: (o, v) => void (o.host = v) },
  "--port": { value: "N", help: `port, 0 for any free one (default ${DEFAULTS.port})`, apply: (o, v) => void (o.port = number("--port", v, 0, 65_535)) },
  "--seed": { value: "N", help: `generator seed: same seed, same data (default ${DEFAULTS.seed})`, apply: (o, v) => void (o.seed = number("--seed", v, 0, Number.MAX_SAFE_INTEGER)) },
  "--rate": { value: "HZ", help: `sample rate of the core metrics, up to 1000 (default ${DEFAULTS.rateHz}; 1000 with --profile firehose)`, apply: (o, v) => void (o.rateHz = number("--rate", v, 0.001, 1000, false)) },
  "--tick": { value: "MS", help: `frame interval in milliseconds, 5-1000 (default ${DEFAULTS.tickMs})`, apply: (o, v) => void (o.tickMs = number("--tick", v, 5, 1000)) },
  "--hosts": { value: "N", help: `per-host cpu metrics at 1 Hz, up to 20000 (default ${DEFAULTS.hosts})`, apply: (o, v) => void (o.hosts = number("--hosts", v, 0, 20_000)) },
  "--events-rate": { value: "N", help: `events per second, up to 1000 (default ${DEFAULTS.eventsRate})`, apply: (o, v) => void (o.eventsRate = number("--events-rate", v, 0, 1000, false)) },
  "--profile": {
    value: "NAME",
    help: "default | firehose (adds 200 channels at 1000 Hz) (default default)",
    apply: (o, v) => {
      if (v !== "default" && v !== "firehose") throw new FlagError(`--profile expects default or firehose, got "${v}"`);
      o.profile = v;
    },
  },
  "--retention": { value: "S", help: `seconds of frames kept for resume (default ${DEFAULTS.retentionMs / 1000})`, apply: (o, v) => void (o.retentionMs = seconds("--retention", v)) },
  "--retention-mb": { value: "N", help: `byte cap of one source's retained frames, MiB (default ${DEFAULTS.maxRetainedBytes / MIB})`, apply: (o, v) => void (o.maxRetainedBytes = Math.round(number("--retention-mb", v, 0.001, 2048, false) * MIB)) },
  "--max-sources": { value: "N", help: `most sources (tenants) at once (default ${DEFAULTS.maxSources})`, apply: (o, v) => void (o.maxSources = number("--max-sources", v, 1, 10_000)) },
  "--max-buffered-mb": { value: "N", help: `per-client send buffer cap before closing with 1013, MiB (default ${DEFAULTS.maxBufferedBytes / MIB})`, apply: (o, v) => void (o.maxBufferedBytes = Math.round(number("--max-buffered-mb", v, 0.001, 2048, false) * MIB)) },
  "--token": {
    value: "T",
    help: "require this token (?token= or Authorization: Bearer) (default none)",
    apply: (o, v) => {
      if (v === "") throw new FlagError("--token expects a non-empty token");
      o.token = v;
    },
  },
  "--origin": { value: "URL", help: "allow browser requests from this origin; repeatable (default any)", apply: (o, v) => void (o.allowedOrigins = [...(o.allowedOrigins ?? []), v]) },
  "--faults": { help: "enable the /admin/faults HTTP endpoint (default off)", apply: (o) => void (o.faults = true) },
  "--refuse-upgrades-for": { value: "S", help: "refuse WebSocket upgrades (HTTP 503) for the first S seconds", apply: (_o, v, s) => void s.push({ fault: { kind: "refuse-upgrades", durationMs: seconds("--refuse-upgrades-for", v) }, atMs: 0 }) },
  "--stall-for": { value: "S", help: "stall every WebSocket (send nothing) for the first S seconds", apply: (_o, v, s) => void s.push({ fault: { kind: "stall", durationMs: seconds("--stall-for", v) }, atMs: 0 }) },
  "--slow-delay": { value: "MS", help: "delay used by --slow-for (default 500)", apply: (_o, v, _s, st) => void (st.slowDelayMs = number("--slow-delay", v, 0, 30_000)) },
  "--slow-for": { value: "S", help: "delay every send and reply by --slow-delay for the first S seconds", apply: (_o, v, s, st) => void s.push({ fault: { kind: "slow", durationMs: seconds("--slow-for", v), delayMs: st.slowDelayMs }, atMs: 0 }) },
  "--drop-every": { value: "S", help: "terminate every WebSocket every S seconds", apply: (_o, v, s) => void s.push({ fault: { kind: "drop" }, everyMs: seconds("--drop-every", v) }) },
  "--restart-every": { value: "S", help: "restart (new epoch, seq from 1) every S seconds", apply: (_o, v, s) => void s.push({ fault: { kind: "restart" }, everyMs: seconds("--restart-every", v) }) },
  "--garbage-variant": {
    value: "V",
    help: `variant for --garbage-every: ${GARBAGE_VARIANTS.join(" | ")} (default mixed)`,
    apply: (_o, v, _s, st) => {
      if (!GARBAGE_VARIANTS.includes(v as GarbageVariant)) throw new FlagError(`--garbage-variant expects one of ${GARBAGE_VARIANTS.join(", ")}, got "${v}"`);
      st.garbageVariant = v as GarbageVariant;
    },
  },
  "--garbage-every": { value: "S", help: "send one garbage frame to every WebSocket every S seconds", apply: (_o, v, s, st) => void s.push({ fault: { kind: "garbage", count: 1, variant: st.garbageVariant }, everyMs: seconds("--garbage-every", v) }) },
  "--long-labels": { value: "N", help: "pad every metric label (host names too) to N characters, for layout tests (default 0: off)", apply: (o, v) => void (o.longText = { ...o.longText, labels: number("--long-labels", v, 0, MAX_LONG_TEXT) }) },
  "--long-units": { value: "N", help: "pad every metric unit to N characters (default 0: off)", apply: (o, v) => void (o.longText = { ...o.longText, units: number("--long-units", v, 0, MAX_LONG_TEXT) }) },
  "--long-event-text": { value: "N", help: "pad every event's text and source to N characters (default 0: off)", apply: (o, v) => void (o.longText = { ...o.longText, events: number("--long-event-text", v, 0, MAX_LONG_TEXT) }) },
  "--quiet": { help: "log only the startup line and errors", apply: () => {} },
  "--help": { help: "show this help and exit", apply: () => {} },
};

/** The result of parsing flags. */
export interface ParsedFlags {
  options: MockServerOptions;
  help: boolean;
  quiet: boolean;
}

/**
 * Parses CLI flags (`--port 8787`, `--port=8787`; `-h` is `--help`). A string is split on
 * whitespace (no quoting). Flags that take effect in order (`--slow-delay` before
 * `--slow-for`, `--garbage-variant` before `--garbage-every`) must come first.
 *
 * @throws FlagError with a message naming the flag, for unknown flags and bad values
 * @example parseMockFlags("--rate 100 --hosts 1000").options // { rateHz: 100, hosts: 1000 }
 */
export function parseMockFlags(argv: readonly string[] | string): ParsedFlags {
  const args = typeof argv === "string" ? argv.split(/\s+/).filter(Boolean) : [...argv];
  const options: MockServerOptions = {};
  const schedule: FaultScheduleEntry[] = [];
  const state = { slowDelayMs: 500, garbageVariant: "mixed" as GarbageVariant };
  let help = false;
  let quiet = false;
  for (let i = 0; i < args.length; i++) {
    let arg = args[i];
    if (arg === "-h") arg = "--help";
    const eq = arg.indexOf("=");
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const spec = FLAGS[name];
    if (!spec) throw new FlagError(`unknown flag "${name}" (see --help)`);
    let value = "";
    if (spec.value) {
      if (eq > 0) value = arg.slice(eq + 1);
      else if (i + 1 < args.length && !args[i + 1].startsWith("--")) value = args[++i];
      else throw new FlagError(`${name} expects a value ${spec.value}`);
    } else if (eq > 0) {
      throw new FlagError(`${name} takes no value`);
    }
    if (name === "--help") help = true;
    if (name === "--quiet") quiet = true;
    spec.apply(options, value, schedule, state);
  }
  if (schedule.length > 0) options.schedule = schedule;
  // Cross-option checks (for example --rate against its range) give the same messages.
  try {
    resolveOptions(options);
  } catch (error) {
    throw new FlagError((error as Error).message);
  }
  return { options, help, quiet };
}

/** The `--help` text: every flag with its default. */
export function helpText(): string {
  const lines = ["Usage: npm run mock -- [flags]", "", "Pulseboard mock metrics server: deterministic metrics over WebSocket (/ws) and HTTP (/api/*).", "", "Flags:"];
  for (const [name, spec] of Object.entries(FLAGS)) {
    const left = spec.value ? `${name} ${spec.value}` : name;
    lines.push(`  ${left.padEnd(26)} ${spec.help}`);
  }
  lines.push("", "Durations in seconds (S) accept decimals. See docs/protocol.md for the protocol.");
  return lines.join("\n");
}
