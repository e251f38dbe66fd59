/**
 * The hosts table sorted by CPU is in order on screen at every moment: the rows re-sort at
 * most once a second while values arrive more often, so each row must show the value it was
 * sorted by, not a newer one. Checked after every DOM change (a MutationObserver sees each
 * state the page could paint) while the values are turned upside down and the table re-sorts.
 */
import { afterEach, describe, expect, it } from "vitest";
import { HOST_ROW_HEIGHT, HostsTable } from "../../src/components/HostsTable.tsx";
import { hostCatalogue } from "./helpers/host-catalogue.ts";
import { renderWithServices } from "./helpers/render-with-services.tsx";
import { createStreamKit, type StreamKit } from "./helpers/stream-kit.ts";

let kit: StreamKit;
afterEach(() => kit.manager.close());

const HOSTS = 40;
const VISIBLE = 12;
const catalogue = hostCatalogue(HOSTS, 3);

/** One value per host: `value(n)` for host n (1-based). */
const valuesBy = (value: (n: number) => number) => Object.fromEntries(catalogue.map((m, i) => [m.id, [value(i + 1)]]));

describe("HostsTable sorted by CPU", () => {
  it("shows its rows in the order of the values it displays, before, during and after a re-sort", async () => {
    kit = createStreamKit();
    const { container } = renderWithServices(kit, () => <HostsTable viewportSize={{ width: 600, height: VISIBLE * HOST_ROW_HEIGHT }} />);
    await kit.open(catalogue);
    kit.data(valuesBy((n) => n)); // h-040 busiest
    kit.frame();

    const shown = () =>
      [...container.querySelectorAll('.hosts__viewport [role="row"]')]
        .map((row) => ({ top: Number.parseFloat(/translateY\(([-\d.]+)px\)/.exec((row as HTMLElement).style.transform)?.[1] ?? "NaN"), row }))
        .sort((a, b) => a.top - b.top)
        .slice(0, VISIBLE)
        .map(({ row }) => ({ name: row.querySelector(".hosts__name")?.textContent ?? "", value: Number.parseFloat(row.querySelector(".hosts__value")?.textContent ?? "NaN") }));
    const outOfOrder = () => {
      const rows = shown();
      const pairs: string[] = [];
      for (let i = 1; i < rows.length; i++) if (rows[i].value > rows[i - 1].value) pairs.push(`${rows[i - 1].name} ${rows[i - 1].value} above ${rows[i].name} ${rows[i].value}`);
      return pairs;
    };
    await expect.poll(() => shown()[0]?.name, { timeout: 2500 }).toBe("h-040");
    expect(outOfOrder()).toEqual([]);

    // From here on, every state of the DOM is checked.
    const violations: string[][] = [];
    const observer = new MutationObserver(() => {
      const pairs = outOfOrder();
      if (pairs.length > 0) violations.push(pairs);
    });
    observer.observe(container, { subtree: true, childList: true, characterData: true, attributes: true });
    try {
      // Turn the load upside down, in two updates a frame apart: h-001 is now the busiest.
      kit.data(valuesBy((n) => 50 + (HOSTS - n) / 2));
      kit.frame();
      kit.data(valuesBy((n) => 100 - n));
      kit.frame();
      await Promise.resolve();
      expect(outOfOrder(), "right after the update").toEqual([]);
      await expect.poll(() => shown()[0]?.name, { timeout: 2500 }).toBe("h-001");
      expect(shown().map((r) => r.value)).toEqual(Array.from({ length: VISIBLE }, (_, i) => 99 - i));
    } finally {
      observer.disconnect();
    }
    expect(violations, "moments at which adjacent rows were out of order").toEqual([]);
  });
});
