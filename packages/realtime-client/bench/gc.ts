/**
 * A way to force a full garbage collection in the benchmarks, with or without `--expose-gc`:
 * memory figures are only comparable when taken right after a collection.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** `gc` and how it was obtained, or null when the runtime offers no way at all. */
export function obtainGc(): { gc: (() => void) | null; how: string } {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === "function") return { gc: exposed, how: "--expose-gc" };
  try {
    // Without the flag: enable it at run time and fetch gc from a fresh context.
    setFlagsFromString("--expose-gc");
    const late = runInNewContext("gc") as (() => void) | undefined;
    if (typeof late === "function") return { gc: late, how: "v8.setFlagsFromString" };
  } catch {
    // fall through: the caller decides whether it can do without
  }
  return { gc: null, how: "unavailable" };
}
