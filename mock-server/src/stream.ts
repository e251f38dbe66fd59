/**
 * One source's ordered stream: the tick that produces frames, their seq numbers, and the
 * retention window that makes resume possible.
 *
 * Every `tickMs` the stream takes the wall-clock window (last tick, now] and emits one data
 * frame with every grid sample that fell in it (if any), then one events frame (if any
 * events fell in it). Each frame gets seq = previous + 1, starting at 1 in each epoch.
 *
 * Late timers: windows are computed from the clock, not counted in ticks, so a late tick
 * simply covers a longer window; grid samples are never skipped or repeated. A window longer
 * than two ticks is cut into tick-sized frames, at most {@link MAX_WINDOWS_PER_ADVANCE} per
 * call (the next tick continues), so catching up after a pause cannot block the process. If
 * the process was stopped for longer than `maxCatchUpMs` (a suspended laptop), the samples
 * before that are not streamed (history still has them); seq stays contiguous regardless.
 *
 * Retention keeps frames for `retentionMs`, and never more than `maxRetainedFrames` frames or
 * `maxRetainedBytes` bytes of JSON (the firehose produces about 5 MB/s), whichever is reached
 * first. `oldestSeq` tells clients what is still replayable.
 */
import type { GapFrame } from "@pulseboard/protocol";
import type { Catalogue } from "./catalogue.js";
import { eventsBetween } from "./events.js";
import { EncodedFrame } from "./frame-encoding.js";
import { lengthenEvents } from "./long-text.js";
import { SourceGenerator, sampleTimes, type ValueFunction } from "./generator.js";

/** Most tick-sized windows produced by one call of {@link SourceStream.advance}. */
export const MAX_WINDOWS_PER_ADVANCE = 40;

export interface StreamOptions {
  source: string;
  seed: number;
  catalogue: Catalogue;
  tickMs: number;
  retentionMs: number;
  maxRetainedFrames: number;
  maxRetainedBytes: number;
  eventsRate: number;
  /** Pad event texts and sources to this length (0: off; see long-text.ts). @default 0 */
  longEventText?: number;
  /** Longest backlog the stream catches up on after a stall of the process. */
  maxCatchUpMs: number;
  clock: () => number;
  log: (line: string) => void;
}

/** Where a resuming client continues, or why it cannot. */
export type CursorPlan =
  | {
      ok: true;
      /** Seq of the first frame to send. */
      nextSeq: number;
      /** The since the server applied, in the current epoch (null: live only). */
      since: number | null;
      /** Sent before the frames when some of them cannot be replayed. */
      gap?: GapFrame;
    }
  | { ok: false; message: string };

let epochCounter = 0;

export class SourceStream {
  readonly name: string;
  readonly generator: SourceGenerator;
  /** Identifies this life of the stream; changes on restart. */
  epoch = "";
  /** Seq of the newest frame (0 before the first). */
  seq = 0;
  /** Samples with t <= lastT have been emitted. */
  private lastT: number;
  private frames: EncodedFrame[] = [];
  /** Index of the oldest retained frame in `frames` (the array is compacted now and then). */
  private head = 0;
  private retainedBytes = 0;
  /** Frames produced by the latest advance, which cache their filtered variants. */
  private hot: EncodedFrame[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<() => void>();
  /** Value functions aligned with `catalogue.grids`. */
  private readonly valueFunctions: ValueFunction[][];

  /** Counters for stats(). */
  framesProduced = 0;
  samplesProduced = 0;
  eventsProduced = 0;

  constructor(private readonly options: StreamOptions) {
    this.name = options.source;
    this.generator = new SourceGenerator(options.seed, options.source);
    this.valueFunctions = options.catalogue.grids.map((grid) =>
      grid.ids.map((id) => {
        const fn = this.generator.valueFunction(id);
        if (!fn) throw new Error(`catalogue metric "${id}" has no generator model`);
        return fn;
      }),
    );
    this.lastT = options.clock();
    this.newEpoch(this.lastT);
  }

  /** Starts the tick timer. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.advance(this.options.clock()), this.options.tickMs);
    this.timer.unref();
  }

  /** Stops the tick timer (frames are retained). */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Oldest seq still replayable; `seq + 1` when nothing is retained. */
  get oldestSeq(): number {
    return this.head < this.frames.length ? this.frames[this.head].seq : this.seq + 1;
  }

  /** Time (epoch ms) up to which samples have been emitted. */
  get latestTime(): number {
    return this.lastT;
  }

  /** Number of retained frames and their approximate bytes. */
  get retained(): { frames: number; bytes: number } {
    return { frames: this.frames.length - this.head, bytes: this.retainedBytes };
  }

  /** The retained frame with this seq, or undefined if it is not (or no longer) retained. */
  frame(seq: number): EncodedFrame | undefined {
    if (seq < this.oldestSeq || seq > this.seq) return undefined;
    return this.frames[this.head + (seq - this.oldestSeq)];
  }

  /** Calls `listener` after each advance that produced frames. Returns the unsubscribe. */
  onFrames(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Produces the frames for (last tick, now] and notifies listeners. Called by the timer;
   * tests call it directly with a chosen `now`. Returns the number of frames produced.
   */
  advance(now: number): number {
    for (const frame of this.hot) frame.dropCache();
    this.hot = [];
    const { tickMs, maxCatchUpMs } = this.options;
    if (now - this.lastT > maxCatchUpMs) {
      this.options.log(`source ${this.name}: ${now - this.lastT} ms behind, skipping to the last ${maxCatchUpMs} ms`);
      this.lastT = now - maxCatchUpMs;
    }
    const before = this.seq;
    for (let windows = 0; this.lastT < now && windows < MAX_WINDOWS_PER_ADVANCE; windows++) {
      const end = now - this.lastT <= 2 * tickMs ? now : this.lastT + tickMs;
      this.produce(this.lastT, end);
      this.lastT = end;
    }
    this.evict(now);
    if (this.seq !== before) for (const listener of [...this.listeners]) listener();
    return this.seq - before;
  }

  /** Starts a new epoch: seq restarts at 1, retention is emptied, data continues from now. */
  restart(now = this.options.clock()): void {
    this.frames = [];
    this.head = 0;
    this.retainedBytes = 0;
    this.hot = [];
    this.seq = 0;
    this.lastT = now;
    this.newEpoch(now);
  }

  /**
   * Resolves a client's cursor. Rules (docs/protocol.md, "Resume"):
   * - since null/undefined: live only, starting after the current seq;
   * - epoch given and not the current one: the client's frames are from another life of the
   *   stream; treat it as since = 0 in this epoch, with a gap of reason "epoch" for the seqs of
   *   this epoch that are no longer retained (none when it is retained from seq 1);
   * - since > seq: bad_since;
   * - since older than what is retained: gap {since+1 .. oldestSeq-1, "retention"}.
   */
  resolveCursor(since: number | null | undefined, epoch?: string): CursorPlan {
    if (since === null || since === undefined) return { ok: true, nextSeq: this.seq + 1, since: null };
    const oldest = this.oldestSeq;
    if (epoch !== undefined && epoch !== this.epoch) {
      // The epoch change itself is visible to the client (hello, poll replies, since 0 in
      // `subscribed`); a gap is only sent for frames of this epoch that are already evicted,
      // because a gap always names a real, non-empty range of seqs.
      if (oldest === 1) return { ok: true, nextSeq: 1, since: 0 };
      return { ok: true, nextSeq: oldest, since: 0, gap: { type: "gap", from: 1, to: oldest - 1, reason: "epoch" } };
    }
    if (since > this.seq) {
      return { ok: false, message: `since ${since} is ahead of the newest seq ${this.seq} of epoch ${this.epoch}` };
    }
    if (since < oldest - 1) {
      return { ok: true, nextSeq: oldest, since, gap: { type: "gap", from: since + 1, to: oldest - 1, reason: "retention" } };
    }
    return { ok: true, nextSeq: since + 1, since };
  }

  private newEpoch(now: number): void {
    epochCounter += 1;
    this.epoch = `${this.name}-${now.toString(36)}-${epochCounter}`;
  }

  /** Builds the frames for one window (a, b]. */
  private produce(a: number, b: number): void {
    const { catalogue } = this.options;
    const members: Array<readonly [string, string, number[]]> = [];
    catalogue.grids.forEach((grid, g) => {
      const times = sampleTimes(grid.intervalMs, a, b);
      if (times.length === 0) return;
      const tJson = times.join(",");
      const fns = this.valueFunctions[g];
      for (let i = 0; i < grid.ids.length; i++) {
        const fn = fns[i];
        const values = new Array<number>(times.length);
        for (let j = 0; j < times.length; j++) values[j] = fn(times[j]);
        members.push([grid.ids[i], tJson, values]);
        this.samplesProduced += times.length;
      }
    });
    if (members.length > 0) this.append(EncodedFrame.data(this.seq + 1, b, members));
    const events = lengthenEvents(eventsBetween(this.generator.key, this.options.eventsRate, a, b), this.options.longEventText ?? 0);
    if (events.length > 0) {
      this.append(EncodedFrame.events(this.seq + 1, b, events));
      this.eventsProduced += events.length;
    }
  }

  private append(frame: EncodedFrame): void {
    this.seq = frame.seq;
    frame.enableCache();
    this.hot.push(frame);
    this.frames.push(frame);
    this.retainedBytes += frame.bytes;
    this.framesProduced += 1;
  }

  /** Drops frames older than the retention window or beyond the count and byte caps. */
  private evict(now: number): void {
    const { retentionMs, maxRetainedFrames, maxRetainedBytes } = this.options;
    const cutoff = now - retentionMs;
    while (this.head < this.frames.length) {
      const oldest = this.frames[this.head];
      const count = this.frames.length - this.head;
      const tooOld = oldest.producedAt <= cutoff;
      // The caps always leave the newest frame, so a live client can always be served.
      const overCap = count > 1 && (count > maxRetainedFrames || this.retainedBytes > maxRetainedBytes);
      if (!tooOld && !overCap) break;
      this.retainedBytes -= oldest.bytes;
      this.head += 1;
    }
    // Compact now and then instead of shifting the array on every eviction.
    if (this.head > 1024 && this.head * 2 > this.frames.length) {
      this.frames = this.frames.slice(this.head);
      this.head = 0;
    }
  }
}
