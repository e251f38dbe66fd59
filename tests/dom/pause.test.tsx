/**
 * Pause without stopping ingest: while paused nothing on screen changes, the client keeps
 * filling its rings, a badge counts the points that arrived; resume shows the latest at once.
 * Time is vitest's fake timers: the card's 250 ms throttle windows pass exactly.
 */
import { fireEvent, screen } from "@solidjs/testing-library";
import { createSignal, Show } from "solid-js";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MetricCard } from "../../src/components/MetricCard.tsx";
import { PauseControl } from "../../src/components/PauseControl.tsx";
import { renderWithServices } from "./helpers/render-with-services.tsx";
import { createStreamKit, type StreamKit } from "./helpers/stream-kit.ts";

let kit: StreamKit;
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  kit.manager.close();
  vi.useRealTimers();
});

/** Let `ms` of fake time pass, running the timers and promise chains due in it. */
const wait = (ms: number) => vi.advanceTimersByTimeAsync(ms);
const fakeTimeKit = () => createStreamKit({}, () => wait(0));

async function setup() {
  kit = fakeTimeKit();
  const rendered = renderWithServices(kit, () => (
    <>
      <PauseControl />
      <MetricCard id="cpu.usage" color="#4f8ff7" />
      <input aria-label="search" />
    </>
  ));
  await kit.open();
  kit.data({ "cpu.usage": [10] });
  kit.frame();
  const value = rendered.container.querySelector('[data-testid="card-value"]')!;
  await wait(250); // the card's throttle window
  expect(value.textContent).toBe("10.0");
  return { ...rendered, value };
}

describe("pause and resume", () => {
  it("freezes the view while ingest continues, counts points, and jumps to live on resume", async () => {
    const { value, container, services } = await setup();
    fireEvent.click(screen.getByRole("button", { name: /pause/i }));
    expect(screen.getByRole("button", { name: /resume/i }).getAttribute("aria-pressed")).toBe("true");

    const card = container.querySelector("article")!;
    const textBefore = card.textContent;
    const rendersBefore = services.perf.renders;
    for (let i = 0; i < 10; i++) {
      kit.data({ "cpu.usage": [20 + i, 30 + i] });
      kit.frame();
    }
    await wait(600); // several throttle windows: nothing may sneak through
    expect(value.textContent).toBe("10.0");
    expect(card.textContent).toBe(textBefore);
    expect(services.perf.renders).toBe(rendersBefore); // the sparkline did not redraw
    // The rings kept filling.
    expect(kit.manager.series("cpu.usage")?.lastValue).toBe(39);
    // The badge counts the 20 points that arrived while paused.
    expect(screen.getByTestId("paused-points").textContent).toBe("+20 pts");

    fireEvent.click(screen.getByRole("button", { name: /resume/i }));
    await wait(0);
    expect(value.textContent).toBe("39.0"); // the latest, at once
    expect(screen.queryByTestId("paused-points")).toBeNull();
  });

  it("toggles with the space bar, except while typing", async () => {
    const { services } = await setup();
    fireEvent.keyDown(window, { key: " ", code: "Space" });
    expect(services.view.paused()).toBe(true);
    fireEvent.keyDown(window, { key: " ", code: "Space" });
    expect(services.view.paused()).toBe(false);

    const input = screen.getByLabelText("search");
    input.focus();
    fireEvent.keyDown(input, { key: " ", code: "Space" });
    expect(services.view.paused()).toBe(false);
  });

  it("ignores Space when focus has just left a control that disappeared, until the user points elsewhere", async () => {
    kit = fakeTimeKit();
    const [shown, setShown] = createSignal(true);
    const { services } = renderWithServices(kit, () => (
      <>
        <PauseControl />
        <Show when={shown()}>
          <button type="button">Requests</button>
        </Show>
      </>
    ));
    await kit.open();
    const button = screen.getByRole("button", { name: "Requests" });
    button.focus();
    setShown(false); // re-rendered away: focus falls back to the body
    expect(document.activeElement).toBe(document.body);

    fireEvent.keyDown(document.body, { key: " ", code: "Space" });
    expect(services.view.paused()).toBe(false);

    // A press on the page (not on a control) says the user has moved on: Space is the shortcut again.
    fireEvent.pointerDown(document.body);
    fireEvent.keyDown(document.body, { key: " ", code: "Space" });
    expect(services.view.paused()).toBe(true);
  });
});
