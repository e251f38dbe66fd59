/**
 * The event log's memory: the newest `capacity` stream events, oldest dropped, with O(1)
 * access by position for a virtual list and a per-level index for filtering.
 *
 * Positions are absolute ("the 123 456th event ever received"), so a filter's index never
 * needs rebuilding: new events append their position to the indexes of every level they
 * satisfy; dropped events fall off the front. An array `shift()` per drop would be O(n), so
 * each index keeps a head offset and compacts only once the dead prefix is large.
 *
 * @module
 */
import type { EventLevel, StreamEvent } from "@pulseboard/realtime-client";

/** Levels by severity; a filter shows its level and everything above. */
export const LEVELS: readonly EventLevel[] = ["debug", "info", "warn", "error"];

const RANK: Record<EventLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Bounded, indexed event storage. Not reactive: see `createEventFeed`. */
export class EventStore {
  readonly capacity: number;
  private readonly slots: (StreamEvent | undefined)[];
  private appended = 0;
  /** Positions of events at or above each level (index 0, "debug", is every event: implicit). */
  private readonly byLevel: number[][] = [[], [], [], []];
  private readonly heads = [0, 0, 0, 0];

  /** @param capacity - most events kept. @default 100 000 */
  constructor(capacity = 100_000) {
    this.capacity = capacity;
    this.slots = new Array<StreamEvent | undefined>(capacity);
  }

  /** Events ever appended. */
  get total(): number {
    return this.appended;
  }

  /** Events dropped to stay within capacity. */
  get dropped(): number {
    return Math.max(0, this.appended - this.capacity);
  }

  /** Position of the oldest held event. */
  private get oldest(): number {
    return this.dropped;
  }

  /** @param events - appended in order; the oldest held ones are dropped when full. */
  append(events: readonly StreamEvent[]): void {
    for (const event of events) {
      const position = this.appended++;
      this.slots[position % this.capacity] = event;
      const rank = RANK[event.level] ?? 0;
      for (let r = 1; r <= rank; r++) this.byLevel[r].push(position);
    }
    const oldest = this.oldest;
    for (let r = 1; r < 4; r++) {
      const index = this.byLevel[r];
      let head = this.heads[r];
      while (head < index.length && index[head] < oldest) head++;
      if (head > 4096 && head * 2 > index.length) {
        index.splice(0, head);
        head = 0;
      }
      this.heads[r] = head;
    }
  }

  /**
   * @param minLevel - the filter.
   * @returns how many held events pass it.
   */
  count(minLevel: EventLevel = "debug"): number {
    const r = RANK[minLevel];
    if (r === 0) return this.appended - this.oldest;
    return this.byLevel[r].length - this.heads[r];
  }

  /**
   * @param i - 0 is the oldest event passing the filter.
   * @param minLevel - the filter.
   * @returns the event, or undefined outside [0, count).
   */
  at(i: number, minLevel: EventLevel = "debug"): StreamEvent | undefined {
    if (i < 0 || i >= this.count(minLevel)) return undefined;
    const r = RANK[minLevel];
    const position = r === 0 ? this.oldest + i : this.byLevel[r][this.heads[r] + i];
    return this.slots[position % this.capacity];
  }

  /**
   * Events passing the filter that were appended after `total` (for "N new" counters).
   * @param total - a previous value of {@link EventStore.total}.
   * @param minLevel - the filter.
   */
  countSince(total: number, minLevel: EventLevel = "debug"): number {
    const r = RANK[minLevel];
    if (r === 0) return Math.min(this.appended - total, this.count());
    const index = this.byLevel[r];
    // Positions are ascending: binary search the first one >= total.
    let lo = this.heads[r];
    let hi = index.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (index[mid] < total) lo = mid + 1;
      else hi = mid;
    }
    return index.length - lo;
  }
}
