/**
 * The Solid adapter's core: one version signal per series, fired only for the series in the
 * client's `changed` set, one batch per flush, so a computation that reads metric B never
 * re-runs because metric A moved. `makeRealtime` returns its cleanup; `createRealtime` runs
 * the same cleanup with its owner.
 */
import { createComputed, createRoot } from "solid-js";
import { afterEach, describe, expect, it } from "vitest";
import { createTestManager, type TestManager } from "@pulseboard/realtime-client/testing";
import { createRealtime, makeRealtime, type ManagerLike } from "../src/index.js";

let kit: TestManager;
afterEach(() => kit.manager.close());

/** The kit's client, with a count of the listeners subscribed through it and not yet removed. */
function counted(manager: TestManager["manager"]): { client: ManagerLike; listeners(): number } {
  let active = 0;
  const client: ManagerLike = {
    on: ((type: "data", listener: () => void, options?: { intervalMs?: number }) => {
      const off = manager.on(type, listener, options);
      active++;
      let removed = false;
      return () => {
        if (!removed) active--;
        removed = true;
        off();
      };
    }) as ManagerLike["on"],
    connect: () => manager.connect(),
    close: () => manager.close(),
    series: (id) => manager.series(id),
    catalogue: () => manager.catalogue(),
    stats: () => manager.stats(),
    events: () => manager.events(),
    snapshot: () => manager.snapshot(),
    get state() {
      return manager.state;
    },
    get transport() {
      return manager.transport;
    },
    get httpUrl() {
      return manager.httpUrl;
    },
  };
  return { client, listeners: () => active };
}

describe("createRealtime: per-series signals", () => {
  it("re-runs a computation only when its own series changes", async () => {
    kit = createTestManager();
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
    kit = createTestManager();
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

describe("makeRealtime: the same without an owner", () => {
  it("works outside any root and its cleanup removes every listener and closes the client", async () => {
    kit = createTestManager();
    const { client, listeners } = counted(kit.manager);
    const [live, dispose] = makeRealtime({ manager: client });
    expect(listeners()).toBeGreaterThan(0);
    await kit.open();
    expect(live.state()).toBe("open");
    kit.data({ "cpu.usage": [4] });
    kit.frame();
    expect(live.series("cpu.usage")?.lastValue).toBe(4);

    dispose();
    expect(kit.manager.state).toBe("closed");
    expect(listeners()).toBe(0);
    dispose(); // idempotent
    expect(kit.manager.state).toBe("closed");
  });

  it("with connect: false neither connects nor closes the client it adopts", async () => {
    kit = createTestManager();
    await kit.open();
    const [live, dispose] = makeRealtime({ manager: kit.manager, connect: false });
    expect(live.state()).toBe("open");
    dispose();
    expect(kit.manager.state).toBe("open");
  });

  it("createRealtime runs the same cleanup when its owner is disposed", async () => {
    kit = createTestManager();
    const { client, listeners } = counted(kit.manager);
    const dispose = createRoot((d) => {
      createRealtime({ manager: client });
      return d;
    });
    expect(listeners()).toBeGreaterThan(0);
    dispose();
    expect(listeners()).toBe(0);
    expect(kit.manager.state).toBe("closed");
  });
});
