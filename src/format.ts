/**
 * Number and time formatting for the dashboard: compact, fixed-width friendly, never
 * throwing on the NaN that an empty ring produces.
 *
 * Everything here is pure and allocation-light: formatters run every time a live value is
 * shown, so they avoid `Intl.NumberFormat` construction per call.
 *
 * @module
 */

/** Shown for values that do not exist yet (empty ring, no RTT sample). */
export const NO_VALUE = "–";

const UNITS = ["", "K", "M", "B", "T"] as const;

/**
 * Compact number: 1234 -> "1.2K", 3 400 000 -> "3.4M", 999 -> "999", 12.345 -> "12.3".
 *
 * Rounding never shows "1000K": a value that rounds up to the next unit is expressed in it.
 *
 * @param value - any number.
 * @param digits - decimals kept once a suffix is used, and for small non-integers.
 * @default digits 1
 * @returns the text, or {@link NO_VALUE} for NaN and infinities.
 * @example
 * ```ts
 * formatCompact(1_250_000); // "1.3M"
 * formatCompact(-4200);     // "-4.2K"
 * ```
 */
export function formatCompact(value: number, digits = 1): string {
  if (!Number.isFinite(value)) return NO_VALUE;
  const sign = value < 0 ? "-" : "";
  let abs = Math.abs(value);
  if (abs < 1000) {
    const text = Number.isInteger(abs) ? String(abs) : abs.toFixed(digits);
    // 999.96 rounds to "1000.0": show it as the next unit instead.
    if (Number(text) < 1000) return sign + text;
  }
  let unit = 0;
  while (abs >= 999.95 && unit < UNITS.length - 1) {
    abs /= 1000;
    unit++;
  }
  return `${sign}${abs.toFixed(digits)}${UNITS[unit]}`;
}

/** A value split for display: the number, and the unit shown smaller next to it. */
export interface ValueParts {
  value: string;
  unit: string;
}

/**
 * Format a metric value with its unit, the way a monitoring card shows it.
 *
 * @param value - the value.
 * @param unit - the catalogue unit: `%`, `ms`, `USD`, `req/s`, `users`, `jobs`, ...
 * @returns value and unit texts.
 * @example
 * ```ts
 * formatValueParts(42.123, "%");      // { value: "42.1", unit: "%" }
 * formatValueParts(1530, "ms");       // { value: "1.53", unit: "s" }
 * formatValueParts(3_400_000, "USD"); // { value: "$3.4M", unit: "" }
 * ```
 */
export function formatValueParts(value: number, unit: string): ValueParts {
  if (!Number.isFinite(value)) return { value: NO_VALUE, unit };
  switch (unit) {
    case "%":
      return { value: value.toFixed(1), unit: "%" };
    case "ms":
      return value >= 1000 ? { value: (value / 1000).toFixed(2), unit: "s" } : { value: value.toFixed(value < 10 ? 1 : 0), unit: "ms" };
    case "USD":
      return { value: `$${formatCompact(value, value >= 1000 ? 2 : 0)}`, unit: "" };
    default:
      return { value: formatCompact(value), unit };
  }
}

/**
 * {@link formatValueParts} joined into one string.
 * @param value - the value.
 * @param unit - the catalogue unit.
 * @returns for example "42.1 %", "$3.40M", "1.2K req/s".
 */
export function formatValue(value: number, unit: string): string {
  const parts = formatValueParts(value, unit);
  if (parts.unit === "") return parts.value;
  return parts.unit === "%" ? `${parts.value}%` : `${parts.value} ${parts.unit}`;
}

/**
 * A relative change as a signed percentage with a real minus sign.
 *
 * @param ratio - (current - previous) / |previous|.
 * @returns "+3.2%", "−1.0%", "0.0%", or {@link NO_VALUE}.
 * @example
 * ```ts
 * formatChange(0.0321);  // "+3.2%"
 * formatChange(-0.5);    // "−50.0%"
 * ```
 */
export function formatChange(ratio: number): string {
  if (!Number.isFinite(ratio)) return NO_VALUE;
  const pct = ratio * 100;
  const text = Math.abs(pct) >= 1000 ? formatCompact(Math.abs(pct), 0) : Math.abs(pct).toFixed(1);
  if (text === "0.0") return "0.0%";
  return `${pct > 0 ? "+" : "\u2212"}${text}%`;
}

/**
 * A rate in events per second.
 * @param perSecond - the rate.
 * @returns for example "1.2K/s".
 */
export function formatRate(perSecond: number): string {
  return `${formatCompact(perSecond)}/s`;
}

/**
 * A byte count in binary units.
 * @param bytes - the count.
 * @returns for example "512 B", "12.3 MB".
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return NO_VALUE;
  const units = ["B", "KB", "MB", "GB", "TB"];
  let n = bytes;
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${n.toFixed(1)} ${units[i]}`;
}

/**
 * A short duration for status lines.
 * @param ms - milliseconds.
 * @returns "850 ms", "3 s", "2 min 05 s", or {@link NO_VALUE} for a negative or non-finite value.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return NO_VALUE;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/**
 * Local wall-clock time of an epoch timestamp, with milliseconds (log lines).
 * @param t - epoch milliseconds.
 * @returns "14:03:07.042" in the browser's time zone.
 */
export function formatClock(t: number): string {
  if (!Number.isFinite(t)) return NO_VALUE;
  const d = new Date(t);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, "0")}`;
}
