/**
 * Hostile text on request: catalogue labels, units, event texts and event sources lengthened
 * to a given number of characters, so a dashboard's layout can be tested against text it does
 * not control (a 100 000-character unit must not make the page scroll sideways).
 *
 * Each lengthened string keeps its original text at the start (so it can still be told apart)
 * and is padded to exactly the requested length with both kinds of text that break layouts:
 * one unbroken run (no place to wrap: it overflows sideways) and then words separated by
 * spaces (it wraps into a tall block). Values and ids are unchanged.
 *
 * Sizes: a lengthened field adds its length to every metric's entry in the `hello` frame, so
 * keep `length x metrics` under the client's frame limit (4 MiB by default), for example
 * `--hosts 5 --long-labels 100000` (36 metrics: 3.6 MB).
 */
import type { MetricInfo, StreamEvent } from "@pulseboard/protocol";

/** Lengths to pad text fields to; 0 (the default) leaves a field as it is. */
export interface LongTextOptions {
  /** Catalogue labels (host names included). @default 0 */
  labels: number;
  /** Catalogue units. @default 0 */
  units: number;
  /** Event texts and event sources. @default 0 */
  events: number;
}

/** Longest length a field can be padded to. */
export const MAX_LONG_TEXT = 1_000_000;

export const NO_LONG_TEXT: LongTextOptions = { labels: 0, units: 0, events: 0 };

const WORD = "lorem ipsum dolor sit amet ";

/**
 * `text` padded to `length` characters: the text, a space, an unbroken run of about half the
 * room, a space, then words. Text already that long (or `length` 0) is returned as it is.
 *
 * @example lengthen("ms", 24) // "ms wwwwwwwwww lorem ipsu"
 */
export function lengthen(text: string, length: number): string {
  if (length <= text.length) return text;
  const room = length - text.length;
  const run = "w".repeat(Math.max(0, Math.floor(room / 2) - 1));
  const head = `${text} ${run} `.slice(0, length);
  const words = WORD.repeat(Math.ceil((length - head.length) / WORD.length) + 1);
  return head + words.slice(0, length - head.length);
}

/** The catalogue with its labels and units lengthened as `options` say. */
export function lengthenCatalogue(metrics: MetricInfo[], options: LongTextOptions): MetricInfo[] {
  if (options.labels === 0 && options.units === 0) return metrics;
  return metrics.map((m) => ({ ...m, label: lengthen(m.label, options.labels), unit: lengthen(m.unit, options.units) }));
}

/** Events with their text and source lengthened to `length` (0: the same array). */
export function lengthenEvents(events: StreamEvent[], length: number): StreamEvent[] {
  if (length === 0) return events;
  return events.map((e) => ({ ...e, text: lengthen(e.text, length), source: lengthen(e.source, length) }));
}
