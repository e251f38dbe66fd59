/**
 * The Vue composable example: a computed that reads one series re-runs when, and only when,
 * that series changed (once per paint), the state ref follows the client, and disposing the
 * effect scope closes the client. Runs on Vue's reactivity alone (no DOM needed).
 */
import { computed, effectScope, watchEffect } from "vue";
import { afterEach, describe, expect, it } from "vitest";
import { createTestManager, type TestManager } from "@pulseboard/realtime-client/testing";
import { useRealtime } from "./useRealtime.ts";

let kit: TestManager;
afterEach(() => kit.manager.close());

describe("useRealtime (Vue example)", () => {
  it("re-runs a reader only for its own series, and closes the client with its scope", async () => {
    kit = createTestManager();
    const scope = effectScope();
    const runs = { cpu: 0, memory: 0 };
    const { live, cpu } = scope.run(() => {
      const live = useRealtime({ manager: kit.manager });
      const cpu = computed(() => live.series("cpu.usage")?.lastValue ?? NaN);
      // Synchronous watchers: every re-run counted, none merged by Vue's scheduler.
      watchEffect(() => (runs.cpu++, cpu.value), { flush: "sync" });
      watchEffect(() => (runs.memory++, live.series("memory.usage")), { flush: "sync" });
      return { live, cpu };
    })!;
    expect(live.state.value).toBe("connecting");
    await kit.open();
    expect(live.state.value).toBe("open");
    const start = { ...runs };

    kit.data({ "cpu.usage": [12] });
    kit.data({ "cpu.usage": [13] });
    kit.frame();
    expect(cpu.value).toBe(13);
    expect(runs.cpu - start.cpu).toBe(1); // two frames, one paint: one re-run
    expect(runs.memory - start.memory).toBe(0); // cpu moved: the memory reader did not run

    scope.stop();
    expect(kit.manager.state).toBe("closed");
  });
});
