/**
 * Fine-grained updates: one version signal per series, fired only for the series in the
 * client's `changed` set, one batch per flush. A computation that reads metric B never
 * re-runs because metric A moved, and a card for B never re-renders.
 */
import { createComputed, createRoot } from "solid-js";
import { afterEach, describe, expect, it } from "vitest";
import { createRealtime } from "../../src/realtime/index.ts";
import { MetricCard } from "../../src/components/MetricCard.tsx";
import { createStreamKit, type StreamKit } from "./helpers/stream-kit.ts";
import { renderWithServices } from "./helpers/render-with-services.tsx";

let kit: StreamKit;
afterEach(() => kit.manager.close());

describe("createRealtime: per-series signals", () => {
  it("re-runs a computation only when its own series changes", async () => {
    kit = createStreamKit();
    const runs = { cpu: 0, memory: 0, both: 0 };
    const { live, dispose } = createRoot((dispose) => {
      const live = createRealtime({ manager: kit.manager });
      createComputed(() => {
        live.series("cpu.usage");
        runs.cpu++;
      });
      createComputed(() => {
        live.series("memory.usage");
        runs.memory++;
      });
      createComputed(() => {
        live.series("cpu.usage");
        live.series("memory.usage");
        runs.both++;
      });
      return { live, dispose };
    });
    await kit.open();
    const start = { ...runs };

    kit.data({ "cpu.usage": [10] });
    kit.frame();
    expect(runs.cpu - start.cpu).toBe(1);
    expect(runs.memory - start.memory).toBe(0); // metric A moved: B's computation did not run
    expect(runs.both - start.both).toBe(1);

    // Three frames before one paint: still one notification (frame batching).
    kit.data({ "memory.usage": [50] });
    kit.data({ "memory.usage": [51] });
    kit.data({ "memory.usage": [52], "cpu.usage": [11] });
    kit.frame();
    expect(runs.cpu - start.cpu).toBe(2);
    expect(runs.memory - start.memory).toBe(1);
    // Both series changed in one flush: batch() makes it one run, not two.
    expect(runs.both - start.both).toBe(2);
    expect(live.series("memory.usage")?.lastValue).toBe(52);
    dispose();
  });

  it("mirrors state, catalogue and stats, and closes the client with its owner", async () => {
    kit = createStreamKit();
    const { live, dispose } = createRoot((dispose) => ({ live: createRealtime({ manager: kit.manager }), dispose }));
    expect(live.state()).toBe("connecting");
    await kit.open();
    expect(live.state()).toBe("open");
    expect(live.catalogue().map((m) => m.id)).toContain("cpu.usage");
    kit.data({ "cpu.usage": [1, 2, 3] });
    kit.frame();
    await expect.poll(() => live.stats().pointsReceived).toBe(3);
    dispose();
    expect(kit.manager.state).toBe("closed");
  });
});

describe("MetricCard: render counts", () => {
  it("updating metric A re-renders A's card only", async () => {
    kit = createStreamKit();
    const { container, unmount } = renderWithServices(kit, () => (
      <>
        <MetricCard id="cpu.usage" color="#4f8ff7" />
        <MetricCard id="memory.usage" color="#db61a2" />
      </>
    ));
    await kit.open();
    kit.data({ "cpu.usage": [12.34], "memory.usage": [56.78] });
    kit.frame();
    const cpu = container.querySelector('[data-metric="cpu.usage"] [data-testid="card-value"]')!;
    const memory = container.querySelector('[data-metric="memory.usage"] [data-testid="card-value"]')!;
    await expect.poll(() => cpu.textContent).toBe("12.3");
    expect(memory.textContent).toBe("56.8");

    // Count DOM writes to each card from here on.
    const writes = { cpu: 0, memory: 0 };
    new MutationObserver((records) => (writes.cpu += records.length)).observe(cpu.closest("article")!, { subtree: true, characterData: true, childList: true, attributes: true });
    new MutationObserver((records) => (writes.memory += records.length)).observe(memory.closest("article")!, { subtree: true, characterData: true, childList: true, attributes: true });
    for (let i = 0; i < 5; i++) {
      kit.data({ "cpu.usage": [20 + i] });
      kit.frame();
      await new Promise((resolve) => setTimeout(resolve, 60));
    }
    await expect.poll(() => cpu.textContent).toBe("24.0");
    expect(writes.cpu).toBeGreaterThan(0);
    expect(writes.memory).toBe(0);
    expect(memory.textContent).toBe("56.8");
    unmount();
  });
});
