/**
 * "Stalled": the connection is up (open, or polling) but nothing arrives. The status says so,
 * with how long it has been silent, and hides the round trip (the last one measured, not a
 * current one), long before the heartbeat replaces the socket. Driven by the real client over
 * a fake socket, on fake timers.
 */
import { screen } from "@solidjs/testing-library";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { handshake, TEST_EPOCH, TEST_START_TIME as T0 } from "@pulseboard/realtime-client/testing";
import { stallThresholdMs } from "../../src/app/liveness.ts";
import { ConnectionStatus } from "../../src/components/ConnectionStatus.tsx";
import type { RealtimeOptions } from "@pulseboard/solid";
import { renderWithServices } from "./helpers/render-with-services.tsx";
import { fakeClientOptions } from "./helpers/stream-kit.ts";

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);

/** The dashboard's heartbeat (stream-config.ts): ping every 2 s, replaced after 6 s of silence. */
function setup(overrides: Partial<RealtimeOptions> = {}) {
  const { sockets, options } = fakeClientOptions({ heartbeat: { intervalMs: 2000, timeoutMs: 6000 }, ...overrides });
  renderWithServices(options, () => <ConnectionStatus />);
  const status = screen.getByRole("status");
  let seq = 0;
  return {
    sockets,
    status,
    /** Accept, hello (with the server's tick), subscribed, and a pong 12 ms after the first ping. */
    async greet(tickMs = 50) {
      await advance(0);
      const socket = sockets.last();
      handshake(socket, { hello: { serverTime: Date.now(), seq, tickMs } });
      socket.receive({ type: "pong", id: 1, clientTime: Date.now() - 12, serverTime: Date.now() });
      await advance(0);
    },
    data() {
      seq++;
      sockets.last().receive({ type: "data", seq, series: { "cpu.usage": { t: [T0 + seq * 50], v: [seq] } } });
    },
  };
}

describe("the stall threshold", () => {
  it("is three server ticks, never under 2 s", () => {
    expect(stallThresholdMs(undefined)).toBe(2000);
    expect(stallThresholdMs(50)).toBe(2000);
    expect(stallThresholdMs(1000)).toBe(3000);
  });
});

describe("ConnectionStatus while nothing arrives", () => {
  it("shows Stalled with the silence and no RTT, Live again when data comes, Reconnecting at the heartbeat deadline", async () => {
    const s = setup();
    await s.greet();
    await advance(300); // a stats refresh
    expect(s.status.dataset.state).toBe("open");
    expect(s.status.textContent).toContain("Live");
    expect(s.status.textContent).toContain("WebSocket · RTT 12 ms");
    expect(s.status.hasAttribute("data-stalled")).toBe(false);

    // Data every 100 ms for a while: live.
    for (let i = 0; i < 20; i++) {
      s.data();
      await advance(100);
    }
    expect(s.status.textContent).not.toContain("Stalled");

    // Silence. Not a stall at 2 s yet (the threshold is strictly exceeded)...
    await advance(1900);
    expect(s.status.textContent).toContain("Live");
    // ...but by the next check after it.
    await advance(350);
    expect(s.status.dataset.state, "the client still says open").toBe("open");
    expect(s.status.hasAttribute("data-stalled")).toBe(true);
    expect(s.status.querySelector(".connection__label")?.textContent).toBe("Stalled — no data for 2 s");
    expect(s.status.querySelector(".connection__detail")?.textContent, "transport shown, stale RTT hidden").toBe("WebSocket");

    await advance(2000);
    expect(s.status.querySelector(".connection__label")?.textContent).toBe("Stalled — no data for 4 s");

    // Anything arriving ends it at the next check.
    s.data();
    await advance(250);
    expect(s.status.hasAttribute("data-stalled")).toBe(false);
    expect(s.status.querySelector(".connection__label")?.textContent).toBe("Live");
    expect(s.status.textContent).toContain("RTT 12 ms");

    // Silent again: stalled after 2 s, then the heartbeat replaces the socket at 6 s.
    await advance(2250);
    expect(s.status.querySelector(".connection__label")?.textContent).toBe("Stalled — no data for 2 s");
    await advance(3800);
    expect(s.status.dataset.state).toBe("reconnecting");
    expect(s.status.hasAttribute("data-stalled")).toBe(false);
    expect(s.status.textContent).toMatch(/Reconnecting in 2 s/);
    expect(s.status.textContent).toContain("no message for 6");
  });

  it("waits for three ticks of a slower stream", async () => {
    const s = setup();
    await s.greet(1000);
    await advance(2900);
    expect(s.status.querySelector(".connection__label")?.textContent).toBe("Live");
    await advance(350);
    expect(s.status.querySelector(".connection__label")?.textContent).toBe("Stalled — no data for 3 s");
  });

  it("while polling: Live from the first reply, Stalled when replies stop, without the WebSocket's RTT", async () => {
    // The first poll (no cursor yet: wait=0) is answered at once; the long-polls after it are held.
    const reply = { type: "poll", source: "default", epoch: TEST_EPOCH, serverTime: T0, seq: 0, oldestSeq: 1, frames: [], more: false };
    const fetch = (url: string) =>
      new URL(url).searchParams.get("wait") === "0"
        ? Promise.resolve({ ok: true, status: 200, text: () => Promise.resolve(JSON.stringify(reply)) })
        : new Promise<never>(() => {});
    const s = setup({ fetch, fallback: { enabled: true, afterFailures: 1, probeIntervalMs: 60_000 } });
    await s.greet();
    await advance(5000); // long enough that silence measured from the WebSocket's last message would already be a stall
    s.sockets.last().fail();
    await advance(0);
    expect(s.status.dataset.state).toBe("polling");
    expect(s.status.querySelector(".connection__label")?.textContent).toBe("Live (polling)");
    await advance(1900);
    expect(s.status.querySelector(".connection__label")?.textContent).toBe("Live (polling)");
    await advance(350);
    expect(s.status.dataset.state).toBe("polling");
    expect(s.status.querySelector(".connection__label")?.textContent).toBe("Stalled — no data for 2 s");
    expect(s.status.querySelector(".connection__detail")?.textContent).toBe("HTTP polling");
  });
});
