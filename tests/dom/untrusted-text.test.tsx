/**
 * Labels and event texts come from the network. Markup in them must show as text: no element
 * is created from it, no handler runs.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { TEST_CATALOGUE } from "@pulseboard/realtime-client/testing";
import { ConnectionStatus } from "../../src/components/ConnectionStatus.tsx";
import { EventLog } from "../../src/components/EventLog.tsx";
import { Header } from "../../src/components/Header.tsx";
import { HostsTable } from "../../src/components/HostsTable.tsx";
import { MetricCard } from "../../src/components/MetricCard.tsx";
import { RegionDonut } from "../../src/components/RegionDonut.tsx";
import { TimeSeriesChart } from "../../src/components/TimeSeriesChart.tsx";
import { renderWithServices } from "./helpers/render-with-services.tsx";
import { createStreamKit, type StreamKit } from "./helpers/stream-kit.ts";

let kit: StreamKit;
// Fake timers: the once-a-second updates of the hosts table and the donut pass exactly.
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  kit.manager.close();
  vi.useRealTimers();
});

const HOSTILE = `<img src=x onerror="globalThis.__pwned=1">`;

describe("untrusted text", () => {
  it("renders metric labels, host names and event texts containing markup as text", async () => {
    kit = createStreamKit({}, () => vi.advanceTimersByTimeAsync(0));
    const { container } = renderWithServices(kit, () => (
      <>
        <ConnectionStatus />
        <MetricCard id="cpu.usage" color="#4f8ff7" />
        <TimeSeriesChart title="System" initialSeries={[{ id: "cpu.usage", color: "#4f8ff7" }]} />
        <HostsTable viewportSize={{ width: 600, height: 200 }} />
        <EventLog viewportSize={{ width: 800, height: 260 }} />
      </>
    ));
    await kit.open([
      { ...TEST_CATALOGUE[0], label: `CPU ${HOSTILE}` },
      { id: "host.h-00001.cpu", label: `host ${HOSTILE}`, unit: "%", kind: "gauge", group: "hosts", rateHz: 1 },
    ]);
    kit.data({ "cpu.usage": [1], "host.h-00001.cpu": [2] });
    kit.events([{ text: `deploy ${HOSTILE}`, source: HOSTILE, level: "error" }]);
    kit.frame();
    await vi.advanceTimersByTimeAsync(1000); // the hosts table sorts once a second

    expect(container.querySelector("img")).toBeNull();
    expect((globalThis as { __pwned?: number }).__pwned).toBeUndefined();
    expect(container.querySelector(".card__label")?.textContent).toBe(`CPU ${HOSTILE}`);
    expect(container.querySelector(".legend__label")?.textContent).toBe(`CPU ${HOSTILE}`);
    expect(container.querySelector(".hosts__name")?.textContent).toBe(`host ${HOSTILE}`);
    expect(container.querySelector(".event__text")?.textContent).toBe(`deploy ${HOSTILE}`);
    expect(container.querySelector(".event__source")?.textContent).toBe(HOSTILE);
  });

  it("keeps the full text of long labels, units, event texts, sources and host names as tooltips", async () => {
    // Layout (ellipses, bounded widths) is proven in Chromium: tests/e2e/layout.test.ts.
    const long = (head: string) => `${head} ${"w".repeat(5000)} ${"lorem ipsum ".repeat(400)}`;
    const label = long("CPU");
    const unit = long("%");
    const region = long("Traffic share: Europe");
    const host = long("host");
    const source = long("source");
    kit = createStreamKit({}, () => vi.advanceTimersByTimeAsync(0));
    const { container } = renderWithServices(kit, () => (
      <>
        <Header source={source} hudOpen={false} onToggleHud={() => {}} />
        <MetricCard id="cpu.usage" color="#4f8ff7" />
        <TimeSeriesChart title="System" initialSeries={[{ id: "cpu.usage", color: "#4f8ff7" }]} />
        <RegionDonut />
        <HostsTable viewportSize={{ width: 600, height: 200 }} />
        <EventLog viewportSize={{ width: 800, height: 260 }} />
      </>
    ));
    await kit.open([
      { ...TEST_CATALOGUE[0], label, unit },
      { id: "region.eu", label: region, unit: "%", kind: "share", group: "region-share", rateHz: 1 },
      { id: "host.h-00001.cpu", label: host, unit: "%", kind: "gauge", group: "hosts", rateHz: 1 },
    ]);
    kit.data({ "cpu.usage": [1], "region.eu": [40], "host.h-00001.cpu": [2] });
    kit.events([{ text: long("deploy"), source: long("deployer"), level: "info" }]);
    kit.frame();
    await vi.advanceTimersByTimeAsync(1000); // the donut and the hosts table update once a second

    const title = (selector: string) => container.querySelector(selector)?.getAttribute("title");
    expect(title(".header__source-name")).toBe(source);
    expect(title(".card__label")).toBe(label);
    expect(title(".card__unit")).toBe(unit);
    expect(title(".legend__item")).toBe(`Hide ${label}: 1 ${unit}`);
    expect(title(".hosts__name")).toBe(host);
    expect(title(".event__text")).toBe(long("deploy"));
    expect(title(".event__source")).toBe(`${long("deployer")} (log)`);
    const europe = region.replace("Traffic share: ", "");
    expect(title(".donut__name")).toBe(europe);
    // SVG text has no CSS ellipsis: the centre label is cut to fit the ring, its title is whole.
    const center = container.querySelector(".donut__center-label")!;
    expect(center.querySelector("title")?.textContent).toBe(europe);
    expect(center.textContent?.replace(europe, "")).toBe(`Europe ${"w".repeat(8)}…`); // 16 characters
  });
});
