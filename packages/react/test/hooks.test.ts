/**
 * The hooks in react-dom, on jsdom, against a real client over the testing kit's fake socket:
 * a component re-renders once per state transition, once per paint in which its own series
 * changed (never for another series), and its stats snapshot is one object between refreshes.
 * Time is vitest's fake timers, so the refresh period is exact.
 */
import { act, cleanup, render } from "@testing-library/react";
import { createElement, StrictMode, useSyncExternalStore } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { noopEnvironment, type ManagerStats } from "@pulseboard/realtime-client";
import { createFakeWebSocket, createManualFrameScheduler, createTestManager, handshake, type TestManager } from "@pulseboard/realtime-client/testing";
import { useConnectionState, useRealtime, useSeries, useStats, type SeriesView } from "../src/index.js";

// React warns about updates outside act() unless it knows it runs in a test.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let kit: TestManager;
beforeEach(() => {
  vi.useFakeTimers();
  kit = createTestManager({ settle: () => vi.advanceTimersByTimeAsync(0) });
});
afterEach(() => {
  cleanup();
  kit.manager.close();
  vi.useRealTimers();
});

/** Runs a step of the stream inside act(), so React renders what it caused before we look. */
const step = (fn: () => void | Promise<unknown>) => act(async () => {
  await fn();
});

describe("useConnectionState", () => {
  it("renders each real transition once", async () => {
    const seen: string[] = [];
    function Status() {
      const state = useConnectionState(kit.manager);
      seen.push(state);
      return createElement("p", { "data-testid": "state" }, state);
    }
    const { getByTestId } = render(createElement(Status));
    expect(getByTestId("state").textContent).toBe("idle");
    await step(() => kit.open());
    expect(getByTestId("state").textContent).toBe("open");
    expect(seen).toEqual(["idle", "connecting", "open"]);
    await step(() => kit.manager.close());
    expect(seen).toEqual(["idle", "connecting", "open", "closed"]);
  });
});

describe("useSeries", () => {
  it("re-renders a component when its own series changed, once per paint, never for another series", async () => {
    const renders = { cpu: 0, memory: 0 };
    const views: SeriesView[] = [];
    function Value({ id, name }: { id: string; name: "cpu" | "memory" }) {
      const view = useSeries(kit.manager, id);
      renders[name]++;
      if (name === "cpu") views.push(view);
      return createElement("span", { "data-testid": name }, view.ring && view.ring.length > 0 ? view.ring.lastValue.toFixed(1) : "-");
    }
    const { getByTestId } = render(createElement("div", null, createElement(Value, { id: "cpu.usage", name: "cpu" }), createElement(Value, { id: "memory.usage", name: "memory" })));
    await step(() => kit.open());
    const start = { ...renders };

    await step(() => {
      kit.data({ "cpu.usage": [12.34] });
      kit.frame();
    });
    expect(getByTestId("cpu").textContent).toBe("12.3");
    expect(renders.cpu - start.cpu).toBe(1);
    expect(renders.memory - start.memory).toBe(0); // cpu moved: memory's component did not render

    // Three frames before one paint: one notification, one render.
    await step(() => {
      kit.data({ "cpu.usage": [1] });
      kit.data({ "cpu.usage": [2] });
      kit.data({ "cpu.usage": [3], "memory.usage": [40] });
      kit.frame();
    });
    expect(renders.cpu - start.cpu).toBe(2);
    expect(renders.memory - start.memory).toBe(1);
    expect(getByTestId("cpu").textContent).toBe("3.0");
    expect(getByTestId("memory").textContent).toBe("40.0");

    // The ring is one mutable object throughout; the version is what changes.
    const last = views.at(-1)!;
    expect(last.ring).toBe(kit.manager.series("cpu.usage"));
    expect(views.filter((v) => v.ring !== undefined).every((v) => v.ring === last.ring)).toBe(true);
    for (let i = 1; i < views.length; i++) expect(views[i].version).toBeGreaterThanOrEqual(views[i - 1].version);
    expect(last.version).toBeGreaterThan(views[0].version);
  });

  it("needs the version: a snapshot of the ring itself would never re-render", async () => {
    // The naive store: the ring as the snapshot. It is the same object after every append.
    let renders = 0;
    function Naive() {
      const ring = useSyncExternalStore(
        (onChange) => kit.manager.on("data", onChange),
        () => kit.manager.series("cpu.usage"),
      );
      renders++;
      return createElement("span", { "data-testid": "naive" }, ring && ring.length > 0 ? ring.lastValue.toFixed(1) : "-");
    }
    const { getByTestId } = render(createElement(Naive));
    await step(() => kit.open());
    await step(() => {
      kit.data({ "cpu.usage": [1] });
      kit.frame();
    });
    const shown = getByTestId("naive").textContent;
    const before = renders;
    await step(() => {
      kit.data({ "cpu.usage": [2] });
      kit.frame();
    });
    expect(renders).toBe(before); // the data arrived, the component did not render
    expect(getByTestId("naive").textContent).toBe(shown);
    expect(kit.manager.series("cpu.usage")?.lastValue).toBe(2);
  });
});

describe("useStats", () => {
  it("hands every render one snapshot until the next refresh, and stops its timer on unmount", async () => {
    const snapshots: ManagerStats[] = [];
    function Stats({ label }: { label: string }) {
      const stats = useStats(kit.manager, 1000);
      snapshots.push(stats);
      return createElement("span", { "data-testid": "points" }, `${label} ${stats.pointsReceived}`);
    }
    await step(() => kit.open());
    const timersBefore = vi.getTimerCount();
    const view = render(createElement(Stats, { label: "a" }));
    view.rerender(createElement(Stats, { label: "b" })); // a render without a refresh
    expect(snapshots.at(-1)).toBe(snapshots.at(-2));

    await step(() => {
      kit.data({ "cpu.usage": [1, 2, 3] });
      kit.frame();
    });
    expect(view.getByTestId("points").textContent).toBe("b 0"); // not refreshed yet
    await step(() => vi.advanceTimersByTimeAsync(1000));
    expect(view.getByTestId("points").textContent).toBe("b 3");

    expect(vi.getTimerCount()).toBe(timersBefore + 1);
    view.unmount();
    expect(vi.getTimerCount()).toBe(timersBefore);
  });
});

describe("useRealtime", () => {
  function options() {
    const sockets = createFakeWebSocket();
    return {
      sockets,
      options: { url: "ws://127.0.0.1:9/ws", WebSocket: sockets.WebSocket, frameScheduler: createManualFrameScheduler(), environment: noopEnvironment, history: { backfill: false }, fallback: { enabled: false } },
    };
  }

  it("creates one client, connects it on mount and closes it on unmount", async () => {
    const { sockets, options: o } = options();
    const clients = new Set<unknown>();
    function Live({ n }: { n: number }) {
      const manager = useRealtime(o);
      clients.add(manager);
      return createElement("p", { "data-testid": "state" }, `${n} ${useConnectionState(manager)}`);
    }
    const view = render(createElement(Live, { n: 1 }));
    await step(() => vi.advanceTimersByTimeAsync(0));
    await step(() => {
      handshake(sockets.last());
    });
    expect(view.getByTestId("state").textContent).toBe("1 open");
    view.rerender(createElement(Live, { n: 2 }));
    expect(clients.size).toBe(1);
    const [manager] = clients as Set<TestManager["manager"]>;
    view.unmount();
    expect(manager.state).toBe("closed");
    expect(sockets.live()).toEqual([]);
  });

  it("under StrictMode connects, closes and connects again, and ends with one open socket", async () => {
    const { sockets, options: o } = options();
    function Live() {
      return createElement("p", { "data-testid": "state" }, useConnectionState(useRealtime(o)));
    }
    const view = render(createElement(StrictMode, null, createElement(Live)));
    await step(() => vi.advanceTimersByTimeAsync(0));
    expect(sockets.live()).toHaveLength(1);
    await step(() => {
      handshake(sockets.last());
    });
    expect(view.getByTestId("state").textContent).toBe("open");
    view.unmount();
    expect(sockets.live()).toEqual([]);
  });
});
