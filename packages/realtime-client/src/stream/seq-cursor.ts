/**
 * The seq cursor: the one place that decides whether a streamed frame is applied, which is
 * what guarantees "no gaps, no duplicates" across reconnects and transport switches.
 *
 * Every `data` and `events` frame carries `seq`, +1 per frame within an `epoch`. The cursor
 * remembers the last seq applied. Offered frames are:
 *
 * ```
 * cursor = 7
 *   seq <= 7          duplicate  -> counted, dropped (a replay overlapping what we hold)
 *   seq == 8          accept     -> applied, then any held 9, 10, ... follow it in order
 *   8 < seq <= 7+max  ahead      -> held until the hole before it is filled or skipped
 *   seq > 7+max       overflow   -> refused and counted; it is still on the server
 * ```
 *
 * The pending window is bounded (`maxPending`). When a frame lands beyond it, the NEWEST
 * frames are the ones refused, not the oldest held ones: held frames sit right after the
 * hole and become applicable the moment it is filled, while frames beyond the window can be
 * replayed by the server later (resubscribe with `since = cursor.seq`). Dropping the oldest
 * instead would turn one hole into two.
 *
 * The cursor is transport-agnostic: WebSocket and polling feed the same instance, which is
 * what makes a make-before-break switch between them safe.
 *
 * @module
 */
import type { StreamFrame } from "@pulseboard/protocol";

/** How the cursor classifies a frame. See {@link SeqCursor.classify}. */
export type CursorDecision = "accept" | "duplicate" | "ahead";

/** Options of {@link SeqCursor}. */
export interface SeqCursorOptions {
  /**
   * How many seqs ahead of the cursor may be held while waiting for a hole to fill.
   * @default 1024
   */
  maxPending?: number;
}

/** Result of {@link SeqCursor.setEpoch}. */
export type EpochChange =
  | { reset: false }
  | {
      reset: true;
      /** The epoch the cursor was in. */
      previousEpoch: string;
      /** Last seq applied in the previous epoch. */
      previousSeq: number;
      /**
       * First seq of the previous epoch that was never applied (`previousSeq + 1`). Everything
       * the old epoch produced from there on can never be replayed.
       */
      lostFrom: number;
      /**
       * Highest seq of the previous epoch this cursor heard of (a held frame, now discarded),
       * or `previousSeq` when none. A lower bound only: the old epoch may have produced more
       * frames after it, so the end of the loss is unknown (the manager's `gap` event says
       * `to: null`).
       */
      lostTo: number;
      /** Frames that were held ahead of a hole and are discarded with the old epoch. */
      discarded: number;
    };

/**
 * Orders, dedupes and holds seq-numbered frames.
 *
 * @typeParam F - the frame type; anything with a numeric `seq`.
 * @example
 * ```ts
 * const cursor = new SeqCursor();
 * cursor.setEpoch(hello.epoch);
 * for (const frame of cursor.offer(incoming)) apply(frame);  // 0, 1 or many frames, in order
 * // later, on a gap notice:
 * for (const frame of cursor.skip(gap.from, gap.to)) apply(frame);
 * ```
 */
export class SeqCursor<F extends { seq: number } = StreamFrame> {
  private currentEpoch: string | null = null;
  private lastSeq = 0;
  private readonly maxPending: number;
  /** Frame with seq s waits in slot s % maxPending; the window (lastSeq, lastSeq + maxPending] keeps slots unique. */
  private readonly slots: (F | undefined)[];
  private held = 0;
  private duplicateCount = 0;
  private overflowCount = 0;
  private invalidCount = 0;
  private skippedCount = 0;

  /**
   * @param options - see {@link SeqCursorOptions}.
   * @throws RangeError when `maxPending` is not an integer >= 1.
   */
  constructor(options: SeqCursorOptions = {}) {
    const max = options.maxPending ?? 1024;
    if (!Number.isInteger(max) || max < 1 || max > 1_048_576) {
      throw new RangeError(`SeqCursor maxPending must be an integer in [1, 1048576], got ${String(max)}`);
    }
    this.maxPending = max;
    this.slots = new Array<F | undefined>(max).fill(undefined);
  }

  /** The epoch the cursor belongs to, or null before the first hello / poll reply. */
  get epoch(): string | null {
    return this.currentEpoch;
  }

  /** Last seq applied, 0 if none (so `since = cursor.seq` resumes right after it). */
  get seq(): number {
    return this.lastSeq;
  }

  /** Frames offered again (seq already applied or already held). */
  get duplicates(): number {
    return this.duplicateCount;
  }

  /** Frames refused because they were more than `maxPending` ahead of the cursor. */
  get overflowed(): number {
    return this.overflowCount;
  }

  /** Frames whose seq was not a positive safe integer (they cannot be ordered). */
  get invalid(): number {
    return this.invalidCount;
  }

  /** Seqs given up by {@link SeqCursor.skip} that were never received. */
  get skipped(): number {
    return this.skippedCount;
  }

  /** Number of frames held ahead of a hole. */
  get pendingCount(): number {
    return this.held;
  }

  /**
   * A (re)connection saw this epoch (hello or poll reply). The same epoch changes nothing. A
   * different one means the server's stream restarted: the old epoch's unreceived frames are
   * gone for good (the caller reports a gap), held frames are discarded, and the cursor
   * starts over at 0. The first epoch ever seen is adopted without a reset.
   *
   * @param epoch - the server's epoch identifier.
   * @returns whether the cursor was reset, and what was lost.
   */
  setEpoch(epoch: string): EpochChange {
    const previous = this.currentEpoch;
    this.currentEpoch = epoch;
    if (previous === null || previous === epoch) return { reset: false };
    const previousSeq = this.lastSeq;
    let lostTo = previousSeq;
    const discarded = this.held;
    if (discarded > 0) {
      for (const frame of this.slots) if (frame !== undefined && frame.seq > lostTo) lostTo = frame.seq;
      this.slots.fill(undefined);
      this.held = 0;
    }
    this.lastSeq = 0;
    return { reset: true, previousEpoch: previous, previousSeq, lostFrom: previousSeq + 1, lostTo, discarded };
  }

  /**
   * How {@link SeqCursor.offer} would treat a seq, without changing anything.
   * @param seq - a frame's seq.
   * @returns `accept` (next in line), `duplicate` (already applied or held) or `ahead`.
   */
  classify(seq: number): CursorDecision {
    if (seq <= this.lastSeq) return "duplicate";
    if (seq === this.lastSeq + 1) return "accept";
    return this.slots[seq % this.maxPending]?.seq === seq ? "duplicate" : "ahead";
  }

  /**
   * Offer a frame from any transport.
   *
   * @param frame - a frame with a seq.
   * @returns the frames that are now ready to apply, in seq order: none (duplicate, or held
   *   ahead of a hole), the frame itself, or the frame followed by held frames it unblocked.
   *   A new array each call (one allocation per frame, none per point).
   */
  offer(frame: F): F[] {
    const seq = frame.seq;
    if (!Number.isSafeInteger(seq) || seq < 1) {
      this.invalidCount++;
      return [];
    }
    if (seq <= this.lastSeq) {
      this.duplicateCount++;
      return [];
    }
    if (seq === this.lastSeq + 1) {
      this.lastSeq = seq;
      const ready = [frame];
      if (this.held > 0) this.drain(ready);
      return ready;
    }
    if (seq > this.lastSeq + this.maxPending) {
      this.overflowCount++;
      return [];
    }
    const slot = seq % this.maxPending;
    if (this.slots[slot] !== undefined) {
      this.duplicateCount++;
      return [];
    }
    this.slots[slot] = frame;
    this.held++;
    return [];
  }

  /**
   * The server said seqs `from..to` can never be replayed: stop waiting for them.
   *
   * The cursor moves to `to` (if it is behind it). Frames already held inside the range are
   * still valid and are released in order, followed by the held frames that now follow the
   * cursor contiguously. Missing seqs up to `to`, including any before `from`, are counted
   * in {@link SeqCursor.skipped}; the caller reports the gap.
   *
   * @param from - first seq that cannot be replayed.
   * @param to - last seq that cannot be replayed (inclusive).
   * @returns the frames released, in seq order.
   */
  skip(from: number, to: number): F[] {
    const ready: F[] = [];
    if (!(to > this.lastSeq) || !(from <= to) || !Number.isSafeInteger(to)) return ready;
    const max = this.maxPending;
    // Only seqs inside the held window can be present, so the walk is bounded by maxPending
    // even for a gap of millions of seqs.
    const windowEnd = Math.min(to, this.lastSeq + max);
    let found = 0;
    for (let s = this.lastSeq + 1; s <= windowEnd && this.held > 0; s++) {
      const slot = s % max;
      const frame = this.slots[slot];
      if (frame !== undefined) {
        this.slots[slot] = undefined;
        this.held--;
        found++;
        ready.push(frame);
      }
    }
    this.skippedCount += to - this.lastSeq - found;
    this.lastSeq = to;
    if (this.held > 0) this.drain(ready);
    return ready;
  }

  /**
   * The hole the cursor is waiting on: from the next expected seq to just before the first
   * held frame. Null when nothing is held. A caller that sees the same hole for too long
   * resubscribes with `since = cursor.seq` (the server replays or answers with a gap).
   *
   * @returns the inclusive seq range of the first hole, or null.
   */
  pendingRange(): { from: number; to: number } | null {
    if (this.held === 0) return null;
    const max = this.maxPending;
    for (let s = this.lastSeq + 2; s <= this.lastSeq + max; s++) {
      if (this.slots[s % max] !== undefined) return { from: this.lastSeq + 1, to: s - 1 };
    }
    return null;
  }

  /** Move held frames that directly follow the cursor into `ready`. */
  private drain(ready: F[]): void {
    const max = this.maxPending;
    for (;;) {
      const slot = (this.lastSeq + 1) % max;
      const frame = this.slots[slot];
      if (frame === undefined) return;
      this.slots[slot] = undefined;
      this.held--;
      this.lastSeq++;
      ready.push(frame);
    }
  }
}
