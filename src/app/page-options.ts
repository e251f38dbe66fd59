/**
 * What the page's address asks for: `?source=NAME` watches another source (tenant), `?hud`
 * opens the performance HUD at start.
 *
 * @module
 */

/** The source watched when the address names none (or an empty one, `?source=`). */
export const DEFAULT_SOURCE = "default";

/** Options read from the page's address. */
export interface PageOptions {
  source: string;
  hud: boolean;
}

/**
 * @param search - `location.search`, e.g. "?source=eu&hud".
 * @returns the options; an empty or blank `source` is the default source.
 * @example
 * ```ts
 * pageOptions("?source=");   // { source: "default", hud: false }
 * pageOptions("?source=eu&hud"); // { source: "eu", hud: true }
 * ```
 */
export function pageOptions(search: string): PageOptions {
  const params = new URLSearchParams(search);
  const source = params.get("source") ?? "";
  return { source: source.trim() === "" ? DEFAULT_SOURCE : source, hud: params.has("hud") };
}
