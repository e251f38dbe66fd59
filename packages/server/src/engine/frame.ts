/**
 * Streamed frames, serialized once.
 *
 * An engine stores a frame as its *body*: the part that does not depend on its seq (the
 * `series` object of a data frame; the events without their ids, one per line, for an events
 * frame). The JSON a viewer receives is the body with its seq put in front, built once per
 * frame per process and shared by every feed listener, every replay that finds it, and every
 * viewer with the same selection. The Redis engine stores the same body in the stream entry,
 * so frames are byte-identical whichever engine (or gateway) produced them.
 *
 * Event ids are derived from the seq (`seq * EVENT_ID_STRIDE + index`): unique and
 * increasing within an epoch without a second counter, which is what lets several gateways
 * append to one Redis source with a single atomic script.
 */
import type { EventInput } from "../ingest/batch.js";
import type { StreamFrame } from "../wire.js";

/** Event ids are `seq * EVENT_ID_STRIDE + index`; a frame holds fewer events than this. */
export const EVENT_ID_STRIDE = 1_000_000;

/** Bytes counted per frame on top of its body, for the retention byte cap. */
export const FRAME_OVERHEAD_BYTES = 64;

/** What a viewer receives: all metrics or a set of ids, with or without event contents. */
export interface Selection {
  readonly metrics: "*" | ReadonlySet<string>;
  readonly events: boolean;
}

export class EncodedFrame {
  /** Member boundaries of a data frame's body, found on first filtered use. */
  private members: { ids: string[]; offsets: number[] } | undefined;
  private readonly header: string;

  private constructor(
    readonly seq: number,
    readonly type: StreamFrame["type"],
    /** The seq-independent part (see the module comment). */
    readonly body: string,
    /** When the frame was appended (epoch ms, the engine's clock): retention is measured from it. */
    readonly appendedAt: number,
    /** Size counted against the retention byte cap: body UTF-8 bytes + {@link FRAME_OVERHEAD_BYTES}. */
    readonly bytes: number,
    /** The full frame, as a "*" viewer receives it. */
    readonly json: string,
  ) {
    this.header = type === "data" ? `{"type":"data","seq":${seq},"series":` : "";
  }

  /** Rebuilds a frame from its stored parts. */
  static fromBody(seq: number, type: StreamFrame["type"], body: string, appendedAt: number, bytes: number): EncodedFrame {
    const json = type === "data" ? `{"type":"data","seq":${seq},"series":${body}}` : eventsJson(seq, body);
    return new EncodedFrame(seq, type, body, appendedAt, bytes, json);
  }

  /** The JSON a viewer with this selection receives (filtered from slices, never re-serialized). */
  encodeFor(selection: Selection): string {
    if (this.type === "events") return selection.events ? this.json : `{"type":"events","seq":${this.seq},"events":[]}`;
    if (selection.metrics === "*") return this.json;
    this.members ??= memberOffsets(this.body);
    const { ids, offsets } = this.members;
    let out = this.header + "{";
    let first = true;
    for (let i = 0; i < ids.length; i++) {
      if (!selection.metrics.has(ids[i])) continue;
      if (!first) out += ",";
      out += this.body.slice(offsets[2 * i], offsets[2 * i + 1]);
      first = false;
    }
    return out + "}}";
  }

  /** The frame as an object (tests and in-process users). */
  toObject(): StreamFrame {
    return JSON.parse(this.json) as StreamFrame;
  }
}

function eventsJson(seq: number, body: string): string {
  if (body === "") return `{"type":"events","seq":${seq},"events":[]}`;
  const parts = body.split("\n");
  let out = `{"type":"events","seq":${seq},"events":[`;
  const base = seq * EVENT_ID_STRIDE;
  for (let i = 0; i < parts.length; i++) {
    if (i > 0) out += ",";
    out += `{"id":${base + i},${parts[i]}`;
  }
  return out + "]}";
}

/**
 * Where each `"id":{"t":[…],"v":[…]}` member of a data body starts and ends. The body was
 * written by {@link encodeDataBody}: ids are JSON strings, columns hold only numbers, so a
 * member ends at the first `}` after its key.
 */
function memberOffsets(body: string): { ids: string[]; offsets: number[] } {
  const ids: string[] = [];
  const offsets: number[] = [];
  let i = 1; // after "{"
  while (i < body.length && body.charCodeAt(i) === 34 /* " */) {
    const start = i;
    i++;
    while (i < body.length) {
      const c = body.charCodeAt(i);
      if (c === 92 /* \ */) i += 2;
      else if (c === 34) break;
      else i++;
    }
    ids.push(JSON.parse(body.slice(start, i + 1)) as string);
    const end = body.indexOf("}", i) + 1;
    offsets.push(start, end);
    i = end + 1; // skip the comma (or land on the closing brace)
  }
  return { ids, offsets };
}

/** The body of a data frame: `{"id":{"t":[…],"v":[…]},…}` (times already sorted per series). */
export function encodeDataBody(series: ReadonlyArray<readonly [string, { t: readonly number[]; v: readonly number[] }]>): string {
  let out = "{";
  for (let i = 0; i < series.length; i++) {
    const [id, cols] = series[i];
    if (i > 0) out += ",";
    // join() writes finite numbers exactly as JSON.stringify does; values were validated finite.
    out += `${JSON.stringify(id)}:{"t":[${cols.t.join(",")}],"v":[${cols.v.join(",")}]}`;
  }
  return out + "}";
}

/**
 * The body of an events frame: each event's JSON without its opening brace (its id goes
 * there), one per line. JSON.stringify never writes a raw newline, so lines cannot be confused.
 */
export function encodeEventsBody(events: readonly EventInput[]): string {
  let out = "";
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (i > 0) out += "\n";
    out += JSON.stringify({ t: e.t, level: e.level, kind: e.kind, source: e.source, text: e.text }).slice(1);
  }
  return out;
}
