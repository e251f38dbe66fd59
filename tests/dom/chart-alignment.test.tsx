/**
 * A time-series chart draws every sample at its own time: when the server sends null for one
 * metric in one frame (the client's store drops it), that series shows a gap at that time,
 * and its other samples stay where they belong instead of sliding a tick.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { TEST_START_TIME, TEST_TICK_MS } from "@pulseboard/realtime-client/testing";
import { TimeSeriesChart } from "../../src/components/TimeSeriesChart.tsx";
import { renderWithServices } from "./helpers/render-with-services.tsx";
import { createStreamKit, type StreamKit } from "./helpers/stream-kit.ts";

const plots = vi.hoisted(() => [] as { data: unknown[] }[]);

// Keep every uPlot the page creates, to read the columns it was given.
vi.mock("uplot", async (importOriginal) => {
  const real = (await importOriginal<{ default: new (...args: unknown[]) => { data: unknown[] } }>()).default;
  function KeptUPlot(...args: unknown[]) {
    const plot = new real(...args);
    plots.push(plot);
    return plot;
  }
  Object.assign(KeptUPlot, real);
  return { default: KeptUPlot };
});

let kit: StreamKit;
afterEach(() => {
  kit.manager.close();
  plots.length = 0;
});

describe("TimeSeriesChart", () => {
  it("aligns its series by time: a sample one series lacks is a null at that time, not a shift", async () => {
    kit = createStreamKit();
    const { redraws } = renderWithServices(kit, () => (
      <TimeSeriesChart title="System" initialSeries={[{ id: "cpu.usage", color: "#f00" }, { id: "memory.usage", color: "#0f0" }]} />
    ));
    await kit.open();
    // Five ticks; memory.usage's third sample is null on the wire.
    kit.data({ "cpu.usage": [1, 2, 3, 4, 5], "memory.usage": [10, 20, NaN, 40, 50] });
    kit.frame();
    redraws.runFrame();
    expect(kit.manager.series("memory.usage")?.length).toBe(4);

    expect(plots).toHaveLength(1);
    const [xs, cpu, memory] = plots[0].data as ArrayLike<number | null>[];
    const t = (i: number) => TEST_START_TIME + (i + 1) * TEST_TICK_MS;
    expect(Array.from(xs)).toEqual([0, 1, 2, 3, 4].map(t));
    expect(Array.from(cpu)).toEqual([1, 2, 3, 4, 5]);
    expect(Array.from(memory)).toEqual([10, 20, null, 40, 50]);
  });
});
