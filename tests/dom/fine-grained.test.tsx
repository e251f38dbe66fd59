/**
 * Fine-grained updates in the dashboard: a card for metric B never re-renders because metric
 * A moved (the adapter's per-series signals are tested in packages/solid/test/realtime.test.ts).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MetricCard } from "../../src/components/MetricCard.tsx";
import { createStreamKit, type StreamKit } from "./helpers/stream-kit.ts";
import { renderWithServices } from "./helpers/render-with-services.tsx";

let kit: StreamKit;
// Fake timers: the cards' 250 ms throttle windows pass exactly, not by waiting.
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  kit.manager.close();
  vi.useRealTimers();
});

describe("MetricCard: render counts", () => {
  it("updating metric A re-renders A's card only", async () => {
    kit = createStreamKit({}, () => vi.advanceTimersByTimeAsync(0));
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
    await vi.advanceTimersByTimeAsync(250);
    expect(cpu.textContent).toBe("12.3");
    expect(memory.textContent).toBe("56.8");

    // Count DOM writes to each card from here on.
    const writes = { cpu: 0, memory: 0 };
    new MutationObserver((records) => (writes.cpu += records.length)).observe(cpu.closest("article")!, { subtree: true, characterData: true, childList: true, attributes: true });
    new MutationObserver((records) => (writes.memory += records.length)).observe(memory.closest("article")!, { subtree: true, characterData: true, childList: true, attributes: true });
    for (let i = 0; i < 5; i++) {
      kit.data({ "cpu.usage": [20 + i] });
      kit.frame();
      await vi.advanceTimersByTimeAsync(60);
    }
    await vi.advanceTimersByTimeAsync(250); // the end of the last throttle window
    expect(cpu.textContent).toBe("24.0");
    expect(writes.cpu).toBeGreaterThan(0);
    expect(writes.memory).toBe(0);
    expect(memory.textContent).toBe("56.8");
    unmount();
  });
});
