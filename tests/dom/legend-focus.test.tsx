/**
 * Keyboard use of a live chart's legend: the legend's text changes several times a second,
 * and the button a user tabbed to must stay the same element (keeping focus), so that Space
 * toggles its series instead of falling through to the page's pause shortcut.
 */
import { fireEvent, screen } from "@solidjs/testing-library";
import { afterEach, describe, expect, it } from "vitest";
import { PauseControl } from "../../src/components/PauseControl.tsx";
import { TimeSeriesChart } from "../../src/components/TimeSeriesChart.tsx";
import { renderWithServices } from "./helpers/render-with-services.tsx";
import { createStreamKit, type StreamKit } from "./helpers/stream-kit.ts";

let kit: StreamKit;
afterEach(() => kit.manager.close());

async function setup() {
  kit = createStreamKit();
  const rendered = renderWithServices(kit, () => (
    <>
      <PauseControl />
      <TimeSeriesChart
        title="Traffic"
        initialSeries={[
          { id: "requests.rate", color: "#2ec4b6", label: "Requests" },
          { id: "cpu.usage", color: "#4f8ff7", label: "CPU" },
        ]}
      />
    </>
  ));
  await kit.open();
  kit.data({ "requests.rate": [100], "cpu.usage": [10] });
  kit.frame();
  const button = screen.getByRole("button", { name: /^Requests/ });
  await expect.poll(() => button.textContent).toContain("100");
  return { ...rendered, button };
}

/** Sends a new value and waits until the legend shows it (the legend refreshes 4 times a second). */
async function update(button: HTMLElement, value: number): Promise<void> {
  kit.data({ "requests.rate": [value], "cpu.usage": [value / 10] });
  kit.frame();
  await expect.poll(() => button.textContent, { timeout: 2000 }).toContain(String(value));
}

describe("chart legend and the keyboard", () => {
  it("keeps the focused legend button (the same element) across value updates", async () => {
    const { button } = await setup();
    button.focus();
    expect(document.activeElement).toBe(button);

    for (const value of [200, 300, 400]) await update(button, value);

    expect(button.isConnected).toBe(true);
    expect(document.activeElement).toBe(button);
    expect(screen.getByRole("button", { name: /^Requests/ })).toBe(button);
  });

  it("Space on the focused legend button, after updates, leaves the view live", async () => {
    const { button, services } = await setup();
    button.focus();
    await update(button, 250);
    // The key goes where focus is, as in a browser.
    fireEvent.keyDown(document.activeElement ?? document.body, { key: " ", code: "Space" });
    expect(services.view.paused()).toBe(false);

    // Activating the button (what the browser does on Space's keyup) toggles the series.
    fireEvent.click(button);
    expect(button.getAttribute("aria-pressed")).toBe("false");
    expect(services.view.paused()).toBe(false);
  });
});
