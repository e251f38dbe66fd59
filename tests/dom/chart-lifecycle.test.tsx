/**
 * Chart lifecycle: each chart creates ONE uPlot on mount and destroys it on unmount. After
 * 100 mount/unmount cycles nothing is left behind: as many destroy() calls as constructions,
 * no window or document listener, no observer, no redraw ticket.
 */
import { fireEvent } from "@solidjs/testing-library";
import { createSignal, Show } from "solid-js";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { StatusBarsChart } from "../../src/components/StatusBarsChart.tsx";
import { TimeSeriesChart } from "../../src/components/TimeSeriesChart.tsx";
import { renderWithServices } from "./helpers/render-with-services.tsx";
import { createStreamKit, type StreamKit } from "./helpers/stream-kit.ts";

const plots = vi.hoisted(() => ({ created: 0, destroyed: 0 }));

// Count constructions and destroy() calls of the real uPlot.
vi.mock("uplot", async (importOriginal) => {
  const real = (await importOriginal<{ default: new (...args: unknown[]) => { destroy(): void } }>()).default;
  function CountedUPlot(...args: unknown[]) {
    const plot = new real(...args);
    plots.created++;
    const destroy = plot.destroy;
    plot.destroy = () => {
      plots.destroyed++;
      destroy();
    };
    return plot;
  }
  Object.assign(CountedUPlot, real); // static members: paths, sync...
  return { default: CountedUPlot };
});

/** Net listeners per target and type: add +1, remove -1. */
function listenerLedger() {
  const net = new Map<string, number>();
  const spies = [window, document].flatMap((target) => {
    const name = target === window ? "window" : "document";
    const add = target.addEventListener.bind(target);
    const remove = target.removeEventListener.bind(target);
    return [
      vi.spyOn(target, "addEventListener").mockImplementation((type: string, ...rest: unknown[]) => {
        net.set(`${name}:${type}`, (net.get(`${name}:${type}`) ?? 0) + 1);
        (add as (...a: unknown[]) => void)(type, ...rest);
      }),
      vi.spyOn(target, "removeEventListener").mockImplementation((type: string, ...rest: unknown[]) => {
        net.set(`${name}:${type}`, (net.get(`${name}:${type}`) ?? 0) - 1);
        (remove as (...a: unknown[]) => void)(type, ...rest);
      }),
    ];
  });
  return { net, restore: () => spies.forEach((s) => s.mockRestore()) };
}

/** ResizeObserver and IntersectionObserver that count live instances. */
const observers = { live: 0 };
class CountingObserver {
  private active = false;
  constructor(_callback: unknown) {}
  observe() {
    if (!this.active) observers.live++;
    this.active = true;
  }
  unobserve() {}
  disconnect() {
    if (this.active) observers.live--;
    this.active = false;
  }
}

let kit: StreamKit;
beforeEach(() => {
  vi.stubGlobal("ResizeObserver", CountingObserver);
  vi.stubGlobal("IntersectionObserver", CountingObserver);
});
afterEach(() => {
  vi.unstubAllGlobals();
  kit.manager.close();
});

describe("chart lifecycle", () => {
  it("leaves no uPlot instance, listener, observer or redraw ticket after 100 mount/unmount cycles", async () => {
    kit = createStreamKit();
    const [mounted, setMounted] = createSignal(false);
    const { services } = renderWithServices(kit, () => (
      <Show when={mounted()}>
        <TimeSeriesChart title="Latency" initialSeries={[{ id: "cpu.usage", color: "#f00" }, { id: "memory.usage", color: "#0f0" }]} />
        <StatusBarsChart title="HTTP" initialClasses={[{ id: "requests.rate", label: "2xx", color: "#0f0" }]} />
      </Show>
    ));
    await kit.open();
    kit.data({ "cpu.usage": [1, 2, 3], "memory.usage": [4, 5, 6], "requests.rate": [7, 8, 9] });
    kit.frame();

    // One cycle first: uPlot installs a few module-level listeners once, on first use.
    setMounted(true);
    setMounted(false);
    const ledger = listenerLedger();
    const createdBefore = plots.created;
    const destroyedBefore = plots.destroyed;
    try {
      for (let i = 0; i < 100; i++) {
        setMounted(true);
        services.queue.register({ draw() {} }).dispose();
        kit.data({ "cpu.usage": [10 + i] });
        kit.frame(); // a data flush while mounted: the charts ask for a redraw
        setMounted(false);
      }
    } finally {
      ledger.restore();
    }
    expect(plots.created - createdBefore).toBe(200); // one per chart per mount, never per update
    expect(plots.destroyed - destroyedBefore).toBe(200);
    expect(plots.created).toBe(plots.destroyed);
    for (const [key, count] of ledger.net) expect([key, count]).toEqual([key, 0]);
    expect(observers.live).toBe(0);
    expect(services.queue.pending).toBe(0);
  });

  it("asks the redraw queue instead of drawing when data arrives", async () => {
    kit = createStreamKit();
    const { services, redraws } = renderWithServices(kit, () => (
      <TimeSeriesChart title="System" initialSeries={[{ id: "cpu.usage", color: "#f00" }, { id: "memory.usage", color: "#0f0" }]} />
    ));
    await kit.open();
    const before = services.queue.draws;
    kit.data({ "cpu.usage": [1], "memory.usage": [2] });
    kit.frame();
    expect(services.queue.draws).toBe(before); // nothing drawn yet: the chart only asked
    expect(services.queue.pending).toBe(1); // one request for two changed series
    redraws.runFrame();
    expect(services.queue.draws).toBe(before + 1);
  });

  it("freezes while hovered: data keeps arriving, the chart does not ask for redraws", async () => {
    kit = createStreamKit();
    const { services, container, redraws } = renderWithServices(kit, () => (
      <TimeSeriesChart title="System" initialSeries={[{ id: "cpu.usage", color: "#f00" }]} />
    ));
    await kit.open();
    redraws.runFrame(); // draw what the catalogue's arrival asked for
    expect(services.queue.pending).toBe(0);
    const chart = container.querySelector('[data-testid="chart"]')!;
    fireEvent.pointerEnter(chart);
    expect(container.textContent).toContain("Frozen while hovered");
    kit.data({ "cpu.usage": [1] });
    kit.frame();
    expect(services.queue.pending).toBe(0);
    fireEvent.pointerLeave(chart);
    expect(container.textContent).not.toContain("Frozen");
    expect(services.queue.pending).toBe(1); // back to live: one redraw with the newest data
  });
});
