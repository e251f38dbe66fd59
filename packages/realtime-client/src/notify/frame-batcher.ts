/**
 * Frame batching: whatever arrives between two paints becomes ONE notification.
 *
 * A metrics stream delivers frames every few milliseconds (and bursts of hundreds during a
 * replay); the screen changes 60 times a second at best. Notifying per frame would redraw
 * charts more often than they can be seen. The batcher turns any number of `markDirty()`
 * calls into at most one flush per animation frame:
 *
 * ```
 * data:    d d d d   d d     d d d d d d        (markDirty on each)
 * frames:  |-------16ms-------|-------16ms------|
 * flushes:           F                  F        (one per frame, only when dirty)
 * ```
 *
 * @module
 */
import { systemClock, type Clock } from "../scheduling/clock.js";
import { reportListenerError, type ListenerErrorHandler } from "./emitter.js";

/** Something that runs a callback before the next paint. */
export interface FrameScheduler {
  /**
   * @param cb - called once, before the next paint (or its fallback).
   * @returns a handle for {@link FrameScheduler.cancel}.
   */
  request(cb: () => void): unknown;
  /** @param handle - a value returned by `request`; cancels it if it has not run. */
  cancel(handle: unknown): void;
}

/** Timer period when there is no usable `requestAnimationFrame` (Node, hidden tabs): ~60 Hz. */
export const FRAME_FALLBACK_MS = 16;

/**
 * How long a visible tab's frame request may wait before a timer runs it instead. Browsers
 * stop `requestAnimationFrame` entirely in background tabs (and in occluded windows), while
 * timers keep running, throttled to about once a second. Racing the two keeps the buffers
 * and listeners flowing wherever the page is.
 */
export const FRAME_STALL_MS = 100;

interface RacedRequest {
  raf: number;
  timer: unknown;
}

/**
 * The default scheduler: `requestAnimationFrame` when the page can paint, a timer otherwise.
 *
 * - No `requestAnimationFrame` (Node, workers) or `document.hidden`: a 16 ms timer.
 * - Otherwise: rAF raced against a 100 ms timer; whichever fires first runs the callback and
 *   cancels the other. A tab hidden after the request was made therefore still flushes.
 *
 * @param clock - timer source for the fallback.
 * @default clock systemClock
 * @returns a scheduler for {@link FrameBatcher}.
 * @example
 * ```ts
 * const batcher = new FrameBatcher({ scheduler: defaultFrameScheduler() });
 * ```
 */
export function defaultFrameScheduler(clock: Clock = systemClock): FrameScheduler {
  return {
    request(cb: () => void): unknown {
      const g = globalThis as {
        requestAnimationFrame?: (cb: (time: number) => void) => number;
        document?: { hidden?: boolean };
      };
      if (typeof g.requestAnimationFrame !== "function" || g.document?.hidden === true) {
        return clock.setTimeout(cb, FRAME_FALLBACK_MS);
      }
      const raced: RacedRequest = { raf: 0, timer: null };
      raced.timer = clock.setTimeout(() => {
        (globalThis as { cancelAnimationFrame?: (h: number) => void }).cancelAnimationFrame?.(raced.raf);
        cb();
      }, FRAME_STALL_MS);
      raced.raf = g.requestAnimationFrame(() => {
        clock.clearTimeout(raced.timer);
        cb();
      });
      return raced;
    },
    cancel(handle: unknown): void {
      if (typeof handle === "object" && handle !== null && "raf" in handle) {
        const raced = handle as RacedRequest;
        (globalThis as { cancelAnimationFrame?: (h: number) => void }).cancelAnimationFrame?.(raced.raf);
        clock.clearTimeout(raced.timer);
      } else {
        clock.clearTimeout(handle);
      }
    },
  };
}

/** What a frame listener receives. */
export interface FrameInfo {
  /** Flush number, 1 for the first flush of this batcher. */
  frame: number;
  /** `clock.now()` at the flush. */
  time: number;
}

/** Options of {@link FrameBatcher.subscribe}. */
export interface FrameSubscribeOptions {
  /**
   * Deliver at most once every `intervalMs` (measured with `clock.now()`), for consumers that
   * need fewer updates than the screen can show (a text label, a slow chart). A flush that
   * comes too early is held back, never lost: the listener gets a trailing call when its
   * interval has passed.
   * @default 0 (every flush)
   */
  intervalMs?: number;
}

/** Options of {@link FrameBatcher}. */
export interface FrameBatcherOptions {
  /**
   * When flushes run.
   * @default defaultFrameScheduler(clock)
   */
  scheduler?: FrameScheduler;
  /**
   * Time source for `FrameInfo.time`, `intervalMs` and trailing deliveries.
   * @default systemClock
   */
  clock?: Clock;
  /**
   * Receives errors thrown by listeners; the other listeners still run.
   * @default reportListenerError
   */
  onListenerError?: ListenerErrorHandler;
}

interface FrameSubscription {
  readonly listener: (info: FrameInfo) => void;
  readonly intervalMs: number;
  /** Time of the last delivery; -Infinity before the first. */
  lastDelivery: number;
  /** A flush happened that this listener has not been told about yet. */
  owed: boolean;
  active: boolean;
}

/**
 * Coalesces data arrivals into at most one notification per frame.
 *
 * @example
 * ```ts
 * const batcher = new FrameBatcher();
 * socket.onmessage = (e) => { store.ingest(parse(e.data)); batcher.markDirty(); };
 * batcher.subscribe(() => chart.setData([ring.times(), ring.values()]));   // every frame
 * batcher.subscribe(() => (label.textContent = String(ring.lastValue)), { intervalMs: 500 });
 * ```
 */
export class FrameBatcher {
  private readonly scheduler: FrameScheduler;
  private readonly clock: Clock;
  private readonly onListenerError: ListenerErrorHandler;
  private subscriptions: FrameSubscription[] = [];
  private frameHandle: unknown = null;
  private framePending = false;
  private trailingTimer: unknown = null;
  private dirty = false;
  private disposed = false;
  private flushes = 0;

  /**
   * @param options - see {@link FrameBatcherOptions}.
   */
  constructor(options: FrameBatcherOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.scheduler = options.scheduler ?? defaultFrameScheduler(this.clock);
    this.onListenerError = options.onListenerError ?? reportListenerError;
  }

  /** Number of flushes so far. */
  get flushCount(): number {
    return this.flushes;
  }

  /** Mark that new data arrived; schedules at most one flush per frame. */
  markDirty(): void {
    if (this.disposed) return;
    this.dirty = true;
    this.requestFrame();
  }

  /**
   * Per-frame listener: called at most once per flush.
   *
   * @param listener - receives the flush number and time.
   * @param options - see {@link FrameSubscribeOptions}.
   * @returns unsubscribe.
   */
  subscribe(listener: (info: FrameInfo) => void, options: FrameSubscribeOptions = {}): () => void {
    const intervalMs = options.intervalMs ?? 0;
    if (!(intervalMs >= 0) || intervalMs === Infinity) {
      throw new RangeError(`FrameBatcher intervalMs must be a finite number >= 0, got ${String(intervalMs)}`);
    }
    if (this.disposed) return () => {};
    const sub: FrameSubscription = { listener, intervalMs, lastDelivery: -Infinity, owed: false, active: true };
    // Copy-on-write, so a listener may (un)subscribe during a flush.
    this.subscriptions = [...this.subscriptions, sub];
    return () => {
      if (!sub.active) return;
      sub.active = false;
      this.subscriptions = this.subscriptions.filter((s) => s !== sub);
    };
  }

  /**
   * Flush now, without waiting for the frame: every listener with undelivered data is called,
   * ignoring `intervalMs` (an explicit request, for example before pausing or in tests).
   */
  flushNow(): void {
    if (this.disposed) return;
    this.cancelFrame();
    this.flush(true);
  }

  /** Cancel scheduled work and drop all listeners; later calls do nothing. */
  dispose(): void {
    this.disposed = true;
    this.cancelFrame();
    this.cancelTrailing();
    for (const sub of this.subscriptions) sub.active = false;
    this.subscriptions = [];
  }

  private requestFrame(): void {
    if (this.framePending) return;
    this.framePending = true;
    this.frameHandle = this.scheduler.request(this.onFrame);
  }

  private cancelFrame(): void {
    if (!this.framePending) return;
    this.framePending = false;
    this.scheduler.cancel(this.frameHandle);
    this.frameHandle = null;
  }

  private cancelTrailing(): void {
    if (this.trailingTimer === null) return;
    this.clock.clearTimeout(this.trailingTimer);
    this.trailingTimer = null;
  }

  // An arrow property: the same function object is handed to the scheduler every frame.
  private readonly onFrame = (): void => {
    this.framePending = false;
    this.frameHandle = null;
    if (!this.disposed) this.flush(false);
  };

  private readonly onTrailing = (): void => {
    this.trailingTimer = null;
    // Deliver through a frame like everything else, so it lands right before a paint.
    if (!this.disposed) this.requestFrame();
  };

  private flush(force: boolean): void {
    const newData = this.dirty;
    this.dirty = false;
    const subs = this.subscriptions;
    const time = this.clock.now();
    let anyOwed = false;
    if (newData) for (let i = 0; i < subs.length; i++) subs[i].owed = true;
    else for (let i = 0; i < subs.length && !anyOwed; i++) anyOwed = subs[i].owed;
    if (!newData && !anyOwed) return;
    this.flushes++;
    const info: FrameInfo = { frame: this.flushes, time };
    let nextDue = Infinity;
    for (let i = 0; i < subs.length; i++) {
      const sub = subs[i];
      if (!sub.active || !sub.owed) continue;
      const due = sub.lastDelivery + sub.intervalMs;
      if (!force && sub.intervalMs > 0 && time < due) {
        if (due < nextDue) nextDue = due;
        continue;
      }
      sub.owed = false;
      sub.lastDelivery = time;
      try {
        sub.listener(info);
      } catch (error) {
        try {
          this.onListenerError(error, "frame");
        } catch {
          // Nowhere left to report; a flush must not throw into the scheduler.
        }
      }
    }
    // A listener held back by its interval gets a trailing delivery once the interval has
    // passed, so the final state of a burst is never lost.
    if (nextDue !== Infinity && !this.disposed) {
      this.cancelTrailing();
      this.trailingTimer = this.clock.setTimeout(this.onTrailing, Math.max(0, nextDue - time));
    }
  }
}
