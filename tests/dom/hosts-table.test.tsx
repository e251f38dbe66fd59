/**
 * The hosts table with 10 000 hosts: only the visible rows exist, and sorting works on the
 * latest values (shown as of the sort: see hosts-table-order.test.tsx).
 */
import { fireEvent, screen } from "@solidjs/testing-library";
import { afterEach, describe, expect, it } from "vitest";
import { HOST_ROW_HEIGHT, HostsTable } from "../../src/components/HostsTable.tsx";
import { hostCatalogue, hostId } from "./helpers/host-catalogue.ts";
import { renderWithServices } from "./helpers/render-with-services.tsx";
import { createStreamKit, type StreamKit } from "./helpers/stream-kit.ts";

let kit: StreamKit;
afterEach(() => kit.manager.close());

const HOSTS = 10_000;

describe("HostsTable", () => {
  it("virtualizes 10 000 hosts and sorts by latest value", async () => {
    kit = createStreamKit();
    const catalogue = hostCatalogue(HOSTS);
    const { container } = renderWithServices(kit, () => <HostsTable viewportSize={{ width: 600, height: 10 * HOST_ROW_HEIGHT }} />);
    await kit.open(catalogue);
    const series: Record<string, number[]> = {};
    for (let i = 0; i < HOSTS; i++) series[hostId(i + 1)] = [(i * 7919) % 100];
    series[hostId(4242)] = [99.9];
    kit.data(series);
    kit.frame();

    const rows = () => [...container.querySelectorAll('.hosts__viewport [role="row"]')];
    await expect.poll(() => rows()[0]?.querySelector(".hosts__name")?.textContent, { timeout: 2500 }).toBe("h-04242");
    expect(rows().length).toBeLessThanOrEqual(10 + 2 * 6 + 1);
    expect(rows()[0].textContent).toContain("99.9%");
    expect(container.textContent).toContain("10.0K hosts");

    fireEvent.click(screen.getByRole("button", { name: /host/i }));
    await expect.poll(() => rows()[0]?.querySelector(".hosts__name")?.textContent).toBe("h-00001");
    expect(screen.getByRole("columnheader", { name: /host/i }).getAttribute("aria-sort")).toBe("ascending");
  });
});
