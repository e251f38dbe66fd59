import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FrameBatcher, defaultFrameScheduler, type FrameScheduler } from "../src/notify/frame-batcher.js";

/** A scheduler driven by hand: `paint()` is the browser reaching its next frame. */
function manualFrames(): FrameScheduler & { paint(): void; requests: number } {
  let queue: Array<() => void> = [];
  return {
    requests: 0,
    request(cb) {
      this.requests++;
      queue.push(cb);
      return cb;
    },
    cancel(handle) {
      queue = queue.filter((cb) => cb !== handle);
    },
    paint() {
      const run = queue;
      queue = [];
      for (const cb of run) cb();
    },
  };
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(0);
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe("FrameBatcher", () => {
  it("turns 1000 arrivals between two paints into one flush and one notification", () => {
    const frames = manualFrames();
    const batcher = new FrameBatcher({ scheduler: frames });
    const listener = vi.fn();
    batcher.subscribe(listener);
    for (let i = 0; i < 1000; i++) batcher.markDirty();
    expect(frames.requests).toBe(1);
    frames.paint();
    expect(batcher.flushCount).toBe(1);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener).toHaveBeenCalledWith({ frame: 1, time: 0 });
  });

  it("does not flush frames without new data", () => {
    const frames = manualFrames();
    const batcher = new FrameBatcher({ scheduler: frames });
    const listener = vi.fn();
    batcher.subscribe(listener);
    batcher.markDirty();
    frames.paint();
    frames.paint();
    frames.paint();
    expect(listener).toHaveBeenCalledTimes(1);
    expect(frames.requests).toBe(1);
  });

  it("data arriving during a flush is delivered in the next frame", () => {
    const frames = manualFrames();
    const batcher = new FrameBatcher({ scheduler: frames });
    let calls = 0;
    batcher.subscribe(() => {
      if (++calls === 1) batcher.markDirty();
    });
    batcher.markDirty();
    frames.paint();
    expect(calls).toBe(1);
    frames.paint();
    expect(calls).toBe(2);
  });

  it("holds an intervalMs listener back but always delivers the final update", () => {
    // Default scheduler: Node has no requestAnimationFrame, so frames are 16 ms timers.
    const batcher = new FrameBatcher();
    const everyFrame: number[] = [];
    const slow: number[] = [];
    batcher.subscribe(({ time }) => everyFrame.push(time));
    batcher.subscribe(({ time }) => slow.push(time), { intervalMs: 100 });
    // Data every 10 ms for 250 ms, then silence.
    for (let t = 0; t < 250; t += 10) {
      batcher.markDirty();
      vi.advanceTimersByTime(10);
    }
    vi.advanceTimersByTime(1000);
    for (let i = 1; i < slow.length; i++) expect(slow[i] - slow[i - 1]).toBeGreaterThanOrEqual(100);
    // The last data arrived at 240 and was flushed in the frame at 256; the slow listener must
    // have been told about it at or after that frame, not left with stale data.
    const lastFrame = everyFrame[everyFrame.length - 1];
    expect(lastFrame).toBe(256);
    expect(slow[slow.length - 1]).toBeGreaterThanOrEqual(lastFrame);
    expect(slow.length).toBeLessThan(everyFrame.length);
  });

  it("flushNow delivers at once, even to listeners inside their interval", () => {
    const frames = manualFrames();
    const batcher = new FrameBatcher({ scheduler: frames });
    const slow = vi.fn();
    batcher.subscribe(slow, { intervalMs: 1000 });
    batcher.markDirty();
    frames.paint();
    batcher.markDirty();
    batcher.flushNow();
    expect(slow).toHaveBeenCalledTimes(2);
    frames.paint(); // the cancelled frame request does not flush again
    expect(batcher.flushCount).toBe(2);
  });

  it("a throwing listener does not stop the others", () => {
    const frames = manualFrames();
    const errors: unknown[] = [];
    const batcher = new FrameBatcher({ scheduler: frames, onListenerError: (e) => errors.push(e) });
    const after = vi.fn();
    batcher.subscribe(() => {
      throw new Error("chart exploded");
    });
    batcher.subscribe(after);
    batcher.markDirty();
    frames.paint();
    expect(after).toHaveBeenCalledTimes(1);
    expect(errors).toHaveLength(1);
  });

  it("unsubscribing, also from inside a flush, stops deliveries", () => {
    const frames = manualFrames();
    const batcher = new FrameBatcher({ scheduler: frames });
    const second = vi.fn();
    let offSecond = (): void => {};
    batcher.subscribe(() => offSecond());
    offSecond = batcher.subscribe(second);
    batcher.markDirty();
    frames.paint();
    expect(second).not.toHaveBeenCalled();
  });

  it("dispose cancels the pending frame and ignores later data", () => {
    const frames = manualFrames();
    const batcher = new FrameBatcher({ scheduler: frames });
    const listener = vi.fn();
    batcher.subscribe(listener);
    batcher.markDirty();
    batcher.dispose();
    frames.paint();
    batcher.markDirty();
    frames.paint();
    expect(listener).not.toHaveBeenCalled();
    expect(batcher.flushCount).toBe(0);
  });
});

describe("defaultFrameScheduler", () => {
  it("uses requestAnimationFrame in a visible page and cancels the fallback timer", () => {
    const rafCallbacks: Array<() => void> = [];
    vi.stubGlobal("requestAnimationFrame", (cb: () => void) => rafCallbacks.push(cb));
    vi.stubGlobal("cancelAnimationFrame", () => {});
    vi.stubGlobal("document", { hidden: false });
    const cb = vi.fn();
    defaultFrameScheduler().request(cb);
    rafCallbacks[0]();
    vi.advanceTimersByTime(1000);
    expect(cb).toHaveBeenCalledTimes(1);
  });

  it("does not stall when requestAnimationFrame never fires (tab hidden after the request)", () => {
    vi.stubGlobal("requestAnimationFrame", () => 1); // a background tab: rAF callbacks never run
    const cancelled: number[] = [];
    vi.stubGlobal("cancelAnimationFrame", (h: number) => cancelled.push(h));
    vi.stubGlobal("document", { hidden: false });
    const cb = vi.fn();
    defaultFrameScheduler().request(cb);
    vi.advanceTimersByTime(99);
    expect(cb).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(cb).toHaveBeenCalledTimes(1);
    expect(cancelled).toEqual([1]);
  });

  it("uses a ~16 ms timer when the page is hidden, without asking for a frame", () => {
    const raf = vi.fn();
    vi.stubGlobal("requestAnimationFrame", raf);
    vi.stubGlobal("document", { hidden: true });
    const cb = vi.fn();
    defaultFrameScheduler().request(cb);
    vi.advanceTimersByTime(16);
    expect(cb).toHaveBeenCalledTimes(1);
    expect(raf).not.toHaveBeenCalled();
  });

  it("cancel stops both racers", () => {
    vi.stubGlobal("requestAnimationFrame", () => 7);
    const cancelled: number[] = [];
    vi.stubGlobal("cancelAnimationFrame", (h: number) => cancelled.push(h));
    vi.stubGlobal("document", { hidden: false });
    const scheduler = defaultFrameScheduler();
    const cb = vi.fn();
    scheduler.cancel(scheduler.request(cb));
    vi.advanceTimersByTime(1000);
    expect(cb).not.toHaveBeenCalled();
    expect(cancelled).toEqual([7]);
  });
});
