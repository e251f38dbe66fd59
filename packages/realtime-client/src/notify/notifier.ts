/**
 * Frame-batched notifications: the `data` and `events` events of the manager.
 *
 * Frames may arrive hundreds of times per second (a replay after a reconnect delivers
 * thousands at once); the screen updates at most 60 times per second. Every arrival only
 * marks the {@link FrameBatcher} dirty; listeners run once per frame, or once per
 * `intervalMs`, and each receives what changed since ITS previous call: the set of series
 * ids (accumulated across frames for slow listeners) or the new stream events.
 *
 * The batcher exists while the manager is connected; `stop()` delivers what is pending and
 * disposes it, so a closed manager holds no timer or animation-frame request.
 *
 * @module
 */

import type { EventLog } from "../store/event-log.js";
import { FrameBatcher, type FrameInfo, type FrameScheduler } from "./frame-batcher.js";
import type { Clock } from "../scheduling/clock.js";
import type { SeriesStore } from "../store/series-store.js";
import type { DataEvent, StreamEventsEvent } from "../client/types.js";

interface DataRecord {
  readonly kind: "data";
  readonly listener: (ctx: DataEvent) => void;
  readonly intervalMs: number;
  pending: Set<string>;
  detach: (() => void) | null;
}

interface EventsRecord {
  readonly kind: "events";
  readonly listener: (ctx: StreamEventsEvent) => void;
  readonly intervalMs: number;
  /** EventLog position at the previous delivery. */
  position: number;
  detach: (() => void) | null;
}

type ListenerRecord = DataRecord | EventsRecord;

/** Options of {@link Notifier}. */
export interface NotifierOptions {
  store: SeriesStore;
  log: EventLog;
  clock: Clock;
  scheduler: FrameScheduler | undefined;
}

/**
 * Delivers `data` and `events` notifications through a frame batcher.
 *
 * @example
 * ```ts
 * const notifier = new Notifier({ store, log, clock, scheduler: undefined });
 * notifier.start();
 * notifier.addData(({ changed }) => redraw(changed), 0);
 * store.ingest(frame); notifier.markDirty();
 * ```
 */
export class Notifier {
  private readonly options: NotifierOptions;
  private readonly records = new Set<ListenerRecord>();
  private batcher: FrameBatcher | null = null;
  private previousFlushes = 0;

  /** @param options - see {@link NotifierOptions}. */
  constructor(options: NotifierOptions) {
    this.options = options;
  }

  /** Flushes so far, across start/stop cycles. */
  get flushCount(): number {
    return this.previousFlushes + (this.batcher?.flushCount ?? 0);
  }

  /**
   * @param listener - receives the ids changed since its previous call.
   * @param intervalMs - minimum time between calls (0: every frame).
   * @returns unsubscribe.
   */
  addData(listener: (ctx: DataEvent) => void, intervalMs: number): () => void {
    return this.add({ kind: "data", listener, intervalMs, pending: new Set(), detach: null });
  }

  /**
   * @param listener - receives the events appended since its previous call.
   * @param intervalMs - minimum time between calls (0: every frame).
   * @returns unsubscribe.
   */
  addEvents(listener: (ctx: StreamEventsEvent) => void, intervalMs: number): () => void {
    return this.add({ kind: "events", listener, intervalMs, position: this.options.log.total, detach: null });
  }

  /** Something changed: schedule one flush for the next frame (many calls, one flush). */
  markDirty(): void {
    this.batcher?.markDirty();
  }

  /** Create the batcher and attach every listener. */
  start(): void {
    if (this.batcher !== null) return;
    this.batcher = new FrameBatcher({ scheduler: this.options.scheduler, clock: this.options.clock });
    for (const record of this.records) this.attach(record);
  }

  /** Deliver what is pending, then dispose the batcher (no timer or frame request remains). */
  stop(): void {
    const batcher = this.batcher;
    if (batcher === null) return;
    batcher.flushNow();
    this.previousFlushes += batcher.flushCount;
    this.batcher = null;
    batcher.dispose();
    for (const record of this.records) record.detach = null;
  }

  private add(record: ListenerRecord): () => void {
    this.records.add(record);
    if (this.batcher !== null) this.attach(record);
    return () => {
      if (!this.records.delete(record)) return;
      record.detach?.();
      record.detach = null;
    };
  }

  private attach(record: ListenerRecord): void {
    const batcher = this.batcher as FrameBatcher;
    const deliver = record.kind === "data" ? (info: FrameInfo) => this.deliverData(record, info) : () => this.deliverEvents(record);
    record.detach = batcher.subscribe(deliver, { intervalMs: record.intervalMs });
  }

  /** Move the store's changed ids into every data listener's pending set. */
  private drainChanged(): void {
    const changed = this.options.store.takeChanged();
    if (changed.size === 0) return;
    for (const record of this.records) {
      if (record.kind !== "data") continue;
      for (const id of changed) record.pending.add(id);
    }
  }

  private deliverData(record: DataRecord, info: FrameInfo): void {
    this.drainChanged();
    if (record.pending.size === 0) return;
    const changed = record.pending;
    record.pending = new Set();
    record.listener({ changed, frame: info.frame, time: info.time });
  }

  private deliverEvents(record: EventsRecord): void {
    const log = this.options.log;
    if (log.total === record.position) return;
    const { events, missed } = log.since(record.position);
    record.position = log.total;
    record.listener({ events, missed });
  }
}
