/**
 * `createTestManager`: the testing kit's real client over a fake socket. `open()` plays the
 * handshake, `data()` sends numbered frames one tick apart, `frame()` is the one paint that
 * announces them; `settle` may be replaced to work with fake timers.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { createTestManager, TEST_START_TIME, TEST_TICK_MS, type TestManager } from "../src/testing/index.js";

let kit: TestManager | undefined;
afterEach(() => {
  kit?.manager.close();
  vi.useRealTimers();
});

describe("createTestManager", () => {
  it("opens over the fake socket and delivers the script's frames at the next paint", async () => {
    kit = createTestManager();
    const changed: string[][] = [];
    kit.manager.on("data", (event) => changed.push([...event.changed]));
    const socket = await kit.open();
    expect(kit.manager.state).toBe("open");
    expect(socket.sent).toContainEqual(expect.objectContaining({ type: "subscribe" }));
    expect(kit.manager.catalogue().map((m) => m.id)).toEqual(kit.script.catalogue.map((m) => m.id));

    kit.data({ "cpu.usage": [1, 2] });
    kit.data({ "memory.usage": [3] });
    expect(changed).toEqual([]);
    kit.frame();
    expect(changed).toEqual([["cpu.usage", "memory.usage"]]);
    const cpu = kit.manager.series("cpu.usage")!;
    expect([...cpu.values()]).toEqual([1, 2]);
    expect(cpu.times()[1] - cpu.times()[0]).toBe(TEST_TICK_MS);
    expect(cpu.times()[0]).toBeGreaterThanOrEqual(TEST_START_TIME);
  });

  it("opens with another catalogue and takes client options over its wiring", async () => {
    kit = createTestManager({ manager: { metrics: ["disk.io"] } });
    await kit.open([{ id: "disk.io", label: "Disk", unit: "MB/s", kind: "gauge", rateHz: 10 }]);
    expect(kit.socket().sent).toContainEqual(expect.objectContaining({ type: "subscribe", metrics: ["disk.io"] }));
    expect(kit.manager.catalogue().map((m) => m.id)).toEqual(["disk.io"]);
  });

  it("works on fake timers with the test's own settle step", async () => {
    vi.useFakeTimers();
    kit = createTestManager({ settle: () => vi.advanceTimersByTimeAsync(0) });
    await kit.open();
    expect(kit.manager.state).toBe("open");
  });
});
