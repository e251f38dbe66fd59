/**
 * The metric cards' live dot shows the page's one liveness decision (src/app/liveness.ts),
 * the one the status line shows: live while data flows, stalled while the connection is up
 * but nothing arrives, paused, offline. The dots change together with the status line, and
 * the cards add no timer of their own. Driven by the real client over a fake socket, on fake
 * timers.
 */
import { For } from "solid-js";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { handshake, TEST_START_TIME as T0 } from "@pulseboard/realtime-client/testing";
import { ConnectionStatus } from "../../src/components/ConnectionStatus.tsx";
import { MetricCard } from "../../src/components/MetricCard.tsx";
import { renderWithServices } from "./helpers/render-with-services.tsx";
import { fakeClientOptions } from "./helpers/stream-kit.ts";

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);

const CARDS = ["cpu.usage", "memory.usage", "requests.rate"];

/** The dashboard's heartbeat (stream-config.ts): ping every 2 s, replaced after 6 s of silence. */
function setup(cards: readonly string[] = CARDS) {
  const { sockets, options } = fakeClientOptions({ heartbeat: { intervalMs: 2000, timeoutMs: 6000 } });
  const rendered = renderWithServices(options, () => (
    <>
      <ConnectionStatus />
      <For each={cards}>{(id) => <MetricCard id={id} color="#4f8ff7" />}</For>
    </>
  ));
  const status = rendered.container.querySelector<HTMLElement>(".connection")!;
  let seq = 0;
  return {
    ...rendered,
    /** What each card's dot shows. */
    dots: () => [...rendered.container.querySelectorAll(".card__dot")].map((dot) => dot.getAttribute("data-liveness")),
    statusStalled: () => status.hasAttribute("data-stalled"),
    async greet() {
      await advance(0);
      handshake(sockets.last(), { hello: { serverTime: Date.now(), seq, tickMs: 50 } });
      await advance(0);
    },
    data() {
      seq++;
      const t = [T0 + seq * 50];
      sockets.last().receive({ type: "data", seq, series: Object.fromEntries(cards.map((id) => [id, { t, v: [seq] }])) });
    },
  };
}

describe("the metric cards' live dot", () => {
  it("follows the status line: offline, live, stalled with it, live again, paused, offline", async () => {
    const s = setup();
    await advance(0);
    expect(s.dots()).toEqual(["offline", "offline", "offline"]);

    await s.greet();
    for (let i = 0; i < 10; i++) {
      s.data();
      await advance(100);
    }
    expect(s.dots()).toEqual(["live", "live", "live"]);

    // Silence: still live just under the threshold...
    await advance(1900);
    expect(s.statusStalled()).toBe(false);
    expect(s.dots()).toEqual(["live", "live", "live"]);
    // ...stalled at the next check, in the same update as the status line.
    await advance(350);
    expect(s.services.realtime.state(), "the client still says open").toBe("open");
    expect(s.statusStalled()).toBe(true);
    expect(s.dots()).toEqual(["stalled", "stalled", "stalled"]);
    expect(s.container.querySelector(".card__dot")?.getAttribute("title")).toMatch(/^Stalled/);

    // Data again: live at the next check, with the status line.
    s.data();
    await advance(250);
    expect(s.statusStalled()).toBe(false);
    expect(s.dots()).toEqual(["live", "live", "live"]);

    // Paused is the user's choice and says so, stream or no stream.
    s.services.view.setPaused(true);
    expect(s.dots()).toEqual(["paused", "paused", "paused"]);
    await advance(2250);
    expect(s.statusStalled()).toBe(true);
    expect(s.dots()).toEqual(["paused", "paused", "paused"]);
    s.services.view.setPaused(false);
    expect(s.dots()).toEqual(["stalled", "stalled", "stalled"]);

    // The heartbeat gives up: reconnecting, so offline.
    await advance(4000);
    expect(s.services.realtime.state()).toBe("reconnecting");
    expect(s.dots()).toEqual(["offline", "offline", "offline"]);
    s.unmount();
  });

  it("adds no timer per card", async () => {
    const timersWith = async (cards: readonly string[]): Promise<number> => {
      const s = setup(cards);
      await s.greet();
      s.data();
      await advance(2500); // stalled: every throttle has run its trailing edge
      expect(s.dots()).toEqual(cards.map(() => "stalled"));
      const timers = vi.getTimerCount();
      s.unmount();
      vi.clearAllTimers();
      return timers;
    };
    const none = await timersWith([]);
    expect(await timersWith(CARDS)).toBe(none);
  });
});
