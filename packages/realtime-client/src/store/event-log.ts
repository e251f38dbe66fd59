/**
 * A bounded log of stream events (deploys, alerts, log lines) for the application's event
 * list. Events are objects with text, so unlike samples they are kept as objects, but the
 * memory is still bounded: a fixed circular array, the oldest overwritten and counted.
 *
 * Readers keep a position (`total` at their last read) and ask for what came after it, so
 * several listeners can each receive every event once, at their own pace.
 *
 * @module
 */

import type { StreamEvent } from "@pulseboard/protocol";

/**
 * Fixed-capacity circular log.
 *
 * @example
 * ```ts
 * const log = new EventLog(100);
 * log.append(frame.events);
 * const { events, missed } = log.since(lastTotal);
 * lastTotal = log.total;
 * ```
 */
export class EventLog {
  readonly capacity: number;
  private readonly slots: (StreamEvent | undefined)[];
  private appended = 0;

  /** @param capacity - most events kept (an integer >= 1). */
  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`eventCapacity must be an integer >= 1, got ${String(capacity)}`);
    this.capacity = capacity;
    this.slots = new Array<StreamEvent | undefined>(capacity).fill(undefined);
  }

  /** Events ever appended (a monotonic position for readers). */
  get total(): number {
    return this.appended;
  }

  /** Events currently held. */
  get length(): number {
    return Math.min(this.appended, this.capacity);
  }

  /** Events overwritten because the log was full. */
  get dropped(): number {
    return Math.max(0, this.appended - this.capacity);
  }

  /** @param events - appended in order; the oldest held ones are overwritten when full. */
  append(events: readonly StreamEvent[]): void {
    for (let i = 0; i < events.length; i++) {
      this.slots[this.appended % this.capacity] = events[i];
      this.appended++;
    }
  }

  /**
   * Events appended after position `total`.
   * @param total - a previous value of {@link EventLog.total}.
   * @returns the events still held after that position, oldest first, and how many were lost.
   */
  since(total: number): { events: StreamEvent[]; missed: number } {
    const oldest = this.appended - this.length;
    const start = Math.max(total, oldest);
    const events: StreamEvent[] = [];
    for (let i = start; i < this.appended; i++) events.push(this.slots[i % this.capacity] as StreamEvent);
    return { events, missed: start - Math.min(total, start) };
  }

  /** @returns every held event, oldest first (a copy). */
  toArray(): StreamEvent[] {
    return this.since(0).events;
  }
}
