/**
 * Labels and event texts come from the network. Markup in them must show as text: no element
 * is created from it, no handler runs.
 */
import { afterEach, describe, expect, it } from "vitest";
import { TEST_CATALOGUE } from "@pulseboard/realtime-client/testing";
import { ConnectionStatus } from "../../src/components/ConnectionStatus.tsx";
import { EventLog } from "../../src/components/EventLog.tsx";
import { HostsTable } from "../../src/components/HostsTable.tsx";
import { MetricCard } from "../../src/components/MetricCard.tsx";
import { TimeSeriesChart } from "../../src/components/TimeSeriesChart.tsx";
import { renderWithServices } from "./helpers/render-with-services.tsx";
import { createStreamKit, type StreamKit } from "./helpers/stream-kit.ts";

let kit: StreamKit;
afterEach(() => kit.manager.close());

const HOSTILE = `<img src=x onerror="globalThis.__pwned=1">`;

describe("untrusted text", () => {
  it("renders metric labels, host names and event texts containing markup as text", async () => {
    kit = createStreamKit();
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
    await new Promise((resolve) => setTimeout(resolve, 1100)); // the hosts table sorts once a second

    expect(container.querySelector("img")).toBeNull();
    expect((globalThis as { __pwned?: number }).__pwned).toBeUndefined();
    expect(container.querySelector(".card__label")?.textContent).toBe(`CPU ${HOSTILE}`);
    expect(container.querySelector(".legend__label")?.textContent).toBe(`CPU ${HOSTILE}`);
    expect(container.querySelector(".hosts__name")?.textContent).toBe(`host ${HOSTILE}`);
    expect(container.querySelector(".event__text")?.textContent).toBe(`deploy ${HOSTILE}`);
    expect(container.querySelector(".event__source")?.textContent).toBe(HOSTILE);
  });
});
