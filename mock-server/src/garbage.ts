/**
 * Invalid frames for the `garbage` fault: what a client must survive without throwing.
 *
 * None of them consumes a seq. Those that carry one carry `lastSeq`, the seq of a frame the
 * client already received (0 before any): a client that validates rejects them, and a client
 * that does not at least sees a duplicate, never a frame that would stand in for the real
 * next one.
 */

export type GarbageVariant = "json" | "shape" | "nan" | "huge" | "mixed";
export const GARBAGE_VARIANTS: readonly GarbageVariant[] = ["json", "shape", "nan", "huge", "mixed"];

/** Size of the `huge` frame: above any sane client frame limit, below the server's buffer cap. */
export const HUGE_FRAME_BYTES = 6 * 1024 * 1024;

let padding: string | undefined;

/** Not JSON at all, or JSON cut short. */
function invalidJson(i: number, lastSeq: number): string {
  const texts = [`{"type":"data","seq":${lastSeq},"series":{`, "not json at all", '{"type":"events",]', "\u0000\u0001\u0002", "{'type':'data'}"];
  return texts[i % texts.length];
}

/** Valid JSON of the wrong shape. */
function wrongShape(i: number, lastSeq: number, now: number): string {
  const texts = [
    `{"type":"data","seq":"${lastSeq}","series":[]}`,
    `{"type":"mystery","seq":${lastSeq}}`,
    "[1,2,3]",
    `{"type":"data","seq":${lastSeq},"series":{"cpu.usage":{"t":[${now - 2},${now - 1},${now}],"v":[1]}}}`,
    `{"type":"events","seq":${lastSeq},"events":[{"id":"x","level":"loud"}]}`,
    "null",
    '"hello"',
    `{"seq":${lastSeq}}`,
    `{"type":"gap","from":"a","to":null,"reason":"boredom"}`,
  ];
  return texts[i % texts.length];
}

/** A data frame whose values are not numbers: null, "NaN" strings, and 1e999 (Infinity). */
function nanValues(lastSeq: number, now: number): string {
  const t = now - (now % 100);
  return `{"type":"data","seq":${lastSeq},"series":{"cpu.usage":{"t":[${t - 300},${t - 200},${t - 100},${t}],"v":[null,"NaN",1e999,-1e999]}}}`;
}

/** A well-formed events frame several MiB long. The padding is built once and shared. */
function huge(lastSeq: number, now: number): string {
  padding ??= "x".repeat(HUGE_FRAME_BYTES);
  return `{"type":"events","seq":${lastSeq},"events":[{"id":0,"t":${now},"level":"info","kind":"log","source":"garbage","text":"${padding}"}]}`;
}

/**
 * The i-th garbage message of a variant.
 *
 * @param i index in the burst (variants cycle through their kinds; `mixed` cycles variants)
 * @param lastSeq seq of the last real frame the receiving client got
 */
export function garbageMessage(variant: GarbageVariant, i: number, lastSeq: number, now: number): string {
  switch (variant) {
    case "json":
      return invalidJson(i, lastSeq);
    case "shape":
      return wrongShape(i, lastSeq, now);
    case "nan":
      return nanValues(lastSeq, now);
    case "huge":
      return huge(lastSeq, now);
    case "mixed": {
      // Mostly cheap kinds; one huge frame per sixteen.
      const kinds: GarbageVariant[] = ["json", "shape", "nan", "json", "shape", "nan", "json", "shape"];
      const kind = i % 16 === 15 ? "huge" : kinds[i % kinds.length];
      return garbageMessage(kind, Math.floor(i / kinds.length), lastSeq, now);
    }
  }
}
