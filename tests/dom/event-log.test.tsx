/**
 * The event log over 100 000 events: only the visible rows plus overscan exist in the DOM,
 * the list follows the tail, stops following when the user scrolls up (keeping the rows
 * under the user's eyes in place while old events are dropped), and jumps back on request.
 *
 * jsdom has no layout: the list gets a fixed viewport size, and scroll events are fired by
 * the test where a browser would fire them after a scrollTop change.
 */
import { fireEvent, screen } from "@solidjs/testing-library";
import { afterEach, describe, expect, it } from "vitest";
import type { EventLevel } from "@pulseboard/realtime-client";
import { EVENT_ROW_HEIGHT, EventLog } from "../../src/components/EventLog.tsx";
import { renderWithServices } from "./helpers/render-with-services.tsx";
import { createStreamKit, type StreamKit } from "./helpers/stream-kit.ts";

let kit: StreamKit;
afterEach(() => kit.manager.close());

const VIEWPORT = { width: 800, height: 260 }; // 10 rows
const OVERSCAN = 8;
const LEVELS: EventLevel[] = ["debug", "info", "warn", "error"];

async function setup(total: number) {
  kit = createStreamKit({ eventCapacity: 20_000 });
  const rendered = renderWithServices(kit, () => <EventLog viewportSize={VIEWPORT} overscan={OVERSCAN} />);
  await kit.open();
  let sent = 0;
  const send = (n: number) => {
    for (let left = n; left > 0; ) {
      const batch = Math.min(left, 10_000);
      kit.events(Array.from({ length: batch }, (_, i) => ({ text: `event #${sent + i}`, level: LEVELS[(sent + i) % 4] })));
      kit.frame();
      sent += batch;
      left -= batch;
    }
  };
  send(total);
  const scroller = screen.getByTestId("event-scroller");
  // The browser fires `scroll` after a scrollTop change; jsdom does not.
  const scrolled = () => fireEvent.scroll(scroller);
  const rows = () => [...rendered.container.querySelectorAll("li.event")];
  const texts = () => rows().map((r) => r.querySelector(".event__text")?.textContent ?? "");
  return { ...rendered, send, scroller, scrolled, rows, texts };
}

describe("EventLog", () => {
  it("renders only the visible rows plus overscan out of 100 000, and follows the tail", async () => {
    const { scroller, scrolled, rows, texts, send } = await setup(100_000);
    expect(scroller.scrollTop).toBe(100_000 * EVENT_ROW_HEIGHT - VIEWPORT.height);
    scrolled();
    expect(rows().length).toBeLessThanOrEqual(10 + 2 * OVERSCAN + 1);
    expect(rows().length).toBeGreaterThanOrEqual(10);
    expect(texts().at(-1)).toBe("event #99999");

    // More events: the store is full (oldest dropped), the list stays at the newest.
    send(5);
    scrolled();
    expect(texts().at(-1)).toBe("event #100004");
    expect(screen.queryByRole("button", { name: /jump to latest/i })).toBeNull();
  });

  it("stops following after a user scroll, keeps the rows in place, and jumps back", async () => {
    const { scroller, scrolled, texts, send } = await setup(100_000);
    scrolled();
    scroller.scrollTop = 50_000 * EVENT_ROW_HEIGHT; // the user scrolls up to the middle
    scrolled();
    const reading = texts()[OVERSCAN];
    expect(screen.getByRole("button", { name: /jump to latest/i })).toBeTruthy();

    send(3); // three new events, three oldest dropped
    scrolled();
    expect(scroller.scrollTop).toBe((50_000 - 3) * EVENT_ROW_HEIGHT); // compensated
    expect(texts()[OVERSCAN]).toBe(reading); // same rows under the user's eyes
    expect(screen.getByRole("button", { name: /jump to latest/i }).textContent).toContain("(3 new)");

    fireEvent.click(screen.getByRole("button", { name: /jump to latest/i }));
    scrolled();
    expect(texts().at(-1)).toBe("event #100002");
    expect(screen.queryByRole("button", { name: /jump to latest/i })).toBeNull();
  });

  it("filters by minimum level", async () => {
    const { container, scrolled, texts } = await setup(1000);
    const select = container.querySelector("select")!;
    fireEvent.change(select, { target: { value: "error" } });
    scrolled();
    expect(container.textContent).toContain("250 shown");
    expect(texts().every((t) => Number(t.slice(7)) % 4 === 3)).toBe(true);
  });
});
