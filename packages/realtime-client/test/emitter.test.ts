import { describe, expect, it, vi } from "vitest";
import { Emitter, reportListenerError } from "../src/notify/emitter.js";

type Events = { state: { newState: string }; data: { points: number } };

describe("Emitter", () => {
  it("delivers one context object to each listener, in subscription order", () => {
    const events = new Emitter<Events>();
    const seen: string[] = [];
    events.on("state", ({ newState }) => seen.push(`a:${newState}`));
    events.on("state", ({ newState }) => seen.push(`b:${newState}`));
    events.emit("state", { newState: "connected" });
    expect(seen).toEqual(["a:connected", "b:connected"]);
  });

  it("unsubscribes with the returned function", () => {
    const events = new Emitter<Events>();
    const listener = vi.fn();
    const off = events.on("data", listener);
    off();
    off();
    events.emit("data", { points: 1 });
    expect(listener).not.toHaveBeenCalled();
    expect(events.listenerCount()).toBe(0);
  });

  it("once() fires a single time, even if the event is emitted from inside it", () => {
    const events = new Emitter<Events>();
    const listener = vi.fn(() => events.emit("data", { points: 2 }));
    events.once("data", listener);
    events.emit("data", { points: 1 });
    events.emit("data", { points: 3 });
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it("a throwing listener is reported and the others still run", () => {
    const onListenerError = vi.fn();
    const events = new Emitter<Events>({ onListenerError });
    const after = vi.fn();
    events.on("data", () => {
      throw new Error("boom");
    });
    events.on("data", after);
    expect(() => events.emit("data", { points: 1 })).not.toThrow();
    expect(after).toHaveBeenCalled();
    expect(onListenerError).toHaveBeenCalledWith(expect.any(Error), "data");
  });

  it("survives an error handler that throws too", () => {
    const events = new Emitter<Events>({
      onListenerError: () => {
        throw new Error("handler broken");
      },
    });
    events.on("data", () => {
      throw new Error("boom");
    });
    expect(() => events.emit("data", { points: 1 })).not.toThrow();
  });

  it("is safe to (un)subscribe while emitting: new listeners wait, removed ones are skipped", () => {
    const events = new Emitter<Events>();
    const seen: string[] = [];
    let offC = (): void => {};
    events.on("data", () => {
      seen.push("a");
      events.on("data", () => seen.push("late"));
      offC();
    });
    events.on("data", () => seen.push("b"));
    offC = events.on("data", () => seen.push("c"));
    events.emit("data", { points: 1 });
    expect(seen).toEqual(["a", "b"]);
    seen.length = 0;
    events.emit("data", { points: 1 });
    expect(seen).toContain("late");
  });

  it("counts and clears listeners", () => {
    const events = new Emitter<Events>();
    events.on("data", () => {});
    events.on("state", () => {});
    events.on("state", () => {});
    expect(events.listenerCount("state")).toBe(2);
    expect(events.listenerCount()).toBe(3);
    events.clear();
    expect(events.listenerCount()).toBe(0);
  });

  it("by default logs listener errors with console.error where reportError does not exist (Node)", () => {
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    reportListenerError(new Error("x"), "data");
    expect(spy).toHaveBeenCalled();
    spy.mockRestore();
  });

  it("by default uses reportError where it exists (browsers)", () => {
    const report = vi.fn();
    vi.stubGlobal("reportError", report);
    try {
      const error = new Error("x");
      reportListenerError(error, "data");
      expect(report).toHaveBeenCalledWith(error);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
