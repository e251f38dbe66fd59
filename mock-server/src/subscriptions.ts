/**
 * Which of the metric ids a client asked for the server has: subscribe and poll requests
 * may name ids the catalogue lacks; those are reported once and ignored, never an error that
 * drops the rest.
 */
import type { Catalogue } from "./catalogue.js";

/** Splits requested ids into catalogue ids and unknown ones (order kept, duplicates removed). */
export function resolveMetrics(catalogue: Catalogue, requested: readonly string[] | "*"): { known: string[] | "*"; unknown: string[] } {
  if (requested === "*") return { known: "*", unknown: [] };
  const known: string[] = [];
  const unknown: string[] = [];
  for (const id of new Set(requested)) (catalogue.has(id) ? known : unknown).push(id);
  return { known, unknown };
}

/** A short, bounded description of unknown ids for an error message. */
export function describeUnknown(unknown: readonly string[]): string {
  const shown = unknown.slice(0, 5).map((id) => JSON.stringify(id.slice(0, 60)));
  const more = unknown.length > 5 ? ` and ${unknown.length - 5} more` : "";
  return `unknown metric id${unknown.length > 1 ? "s" : ""} ${shown.join(", ")}${more}; subscribed to the known ones`;
}
