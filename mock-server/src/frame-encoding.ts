/**
 * Streamed frames, serialized once.
 *
 * A frame is turned into JSON exactly once, when it is produced. Clients that subscribed to
 * everything share that one string. For a client that subscribed to some metrics, the frame
 * is not re-serialized either: while building the JSON we record where each metric's member
 * (`"id":{"t":[...],"v":[...]}`) starts and ends, and a filtered frame is assembled from
 * slices of the original string (V8 slices share the parent's memory). Filtered strings of the
 * newest frames are cached per subscription key, so a thousand clients with the same filter
 * also share one string.
 */
import type { StreamFrame } from "@pulseboard/protocol";

/** What a client receives: all metrics or a set of ids, with or without event contents. */
export interface Subscription {
  /** "*" or the subscribed ids (only ids of the catalogue). */
  readonly metrics: "*" | ReadonlySet<string>;
  /** Whether events frames carry their events (they are delivered either way, for seq). */
  readonly events: boolean;
  /** Identifies equal metric selections: "*" or the sorted ids joined by commas. */
  readonly metricsKey: string;
}

/** Builds a subscription and its cache key. `ids` must already be validated and de-duplicated. */
export function makeSubscription(metrics: "*" | readonly string[], events: boolean): Subscription {
  if (metrics === "*") return { metrics, events, metricsKey: "*" };
  const sorted = [...metrics].sort();
  // A comma cannot be part of a catalogue id, so the joined key is unambiguous.
  return { metrics: new Set(sorted), events, metricsKey: sorted.join(",") };
}

/** The subscription that receives everything. */
export const EVERYTHING: Subscription = makeSubscription("*", true);

/** A produced frame: its seq, its JSON, and what is needed to filter it without parsing. */
export class EncodedFrame {
  /** Encoded payloads per subscription key; only kept while the frame is among the newest. */
  private variants: Map<string, Buffer> | undefined;

  private constructor(
    readonly seq: number,
    readonly type: StreamFrame["type"],
    /** Wall-clock time the frame was produced (epoch ms): retention is measured from it. */
    readonly producedAt: number,
    /** The full frame as JSON: what a "*" subscriber receives. */
    readonly json: string,
    /** Data frames: metric ids of the members, in order. */
    private readonly ids: readonly string[],
    /** Data frames: start and end offsets of each member in `json` (2 entries per id). */
    private readonly offsets: Int32Array | undefined,
    /** Number of samples (data) or events (events) in the frame. */
    readonly count: number,
  ) {}

  /** Approximate memory held, for the retention byte cap. */
  get bytes(): number {
    return this.json.length + 8 * this.ids.length + 64;
  }

  /**
   * Encodes a data frame. `members` are [id, JSON of the t column, values] in frame order;
   * the t column's JSON is passed in because all metrics of one grid share it.
   */
  static data(seq: number, producedAt: number, members: ReadonlyArray<readonly [string, string, readonly number[]]>): EncodedFrame {
    let json = `{"type":"data","seq":${seq},"series":{`;
    const ids: string[] = [];
    const offsets = new Int32Array(members.length * 2);
    let count = 0;
    members.forEach(([id, tJson, values], i) => {
      if (i > 0) json += ",";
      offsets[2 * i] = json.length;
      // Array.prototype.join writes numbers exactly as JSON.stringify does for finite values,
      // and the generator only produces finite values.
      json += `${JSON.stringify(id)}:{"t":[${tJson}],"v":[${values.join(",")}]}`;
      offsets[2 * i + 1] = json.length;
      ids.push(id);
      count += values.length;
    });
    json += "}}";
    return new EncodedFrame(seq, "data", producedAt, json, ids, offsets, count);
  }

  /** Encodes an events frame. */
  static events(seq: number, producedAt: number, events: readonly unknown[]): EncodedFrame {
    const json = `{"type":"events","seq":${seq},"events":${JSON.stringify(events)}}`;
    return new EncodedFrame(seq, "events", producedAt, json, [], undefined, events.length);
  }

  /** Starts caching encoded variants (the stream does this for the frames of its latest tick). */
  enableCache(): void {
    this.variants ??= new Map();
  }

  /** Drops the cached variants. */
  dropCache(): void {
    this.variants = undefined;
  }

  /** The JSON a client with this subscription receives. */
  encodeFor(sub: Subscription): string {
    if (this.type === "events") {
      return sub.events ? this.json : `{"type":"events","seq":${this.seq},"events":[]}`;
    }
    return sub.metrics === "*" ? this.json : this.filterData(sub.metrics);
  }

  /**
   * What to hand to the socket for this subscription. For the newest frames the UTF-8 bytes
   * are cached per subscription key, so a frame is encoded once however many clients share
   * a subscription; older frames (replay) are encoded on demand.
   */
  payloadFor(sub: Subscription): string | Buffer {
    if (!this.variants) return this.encodeFor(sub);
    const key = this.type === "events" ? String(sub.events) : sub.metricsKey;
    let payload = this.variants.get(key);
    if (!payload) {
      payload = Buffer.from(this.encodeFor(sub));
      this.variants.set(key, payload);
    }
    return payload;
  }

  /** Parses the frame back into an object (tests and in-process users). */
  toObject(): StreamFrame {
    return JSON.parse(this.json) as StreamFrame;
  }

  private filterData(wanted: ReadonlySet<string>): string {
    const offsets = this.offsets!;
    let json = `{"type":"data","seq":${this.seq},"series":{`;
    let first = true;
    for (let i = 0; i < this.ids.length; i++) {
      if (!wanted.has(this.ids[i])) continue;
      if (!first) json += ",";
      json += this.json.slice(offsets[2 * i], offsets[2 * i + 1]);
      first = false;
    }
    return json + "}}";
  }
}
