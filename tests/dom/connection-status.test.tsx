/**
 * The status indicator through every client state, driven by the real client over a fake
 * socket: idle, connecting, open, reconnecting (with its countdown, from the client's `retry`
 * event), failed (with the reason), closed, polling after a fallback (once a poll answers), and
 * "Server unreachable" with a countdown while every transport fails. Time is vitest's fake
 * timers, which the client's default clock follows: countdowns are read at exact instants.
 */
import { screen } from "@solidjs/testing-library";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { FetchResponseLike, PollResponse } from "@pulseboard/realtime-client";
import { handshake, TEST_EPOCH, type FakeSocket } from "@pulseboard/realtime-client/testing";
import { ConnectionStatus } from "../../src/components/ConnectionStatus.tsx";
import { renderWithServices } from "./helpers/render-with-services.tsx";
import { createStreamKit, fakeClientOptions } from "./helpers/stream-kit.ts";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** Let `ms` of fake time pass (0: the zero-delay timers and promise chains due now). */
const settle = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

function greet(socket: FakeSocket) {
  handshake(socket);
  socket.receive({ type: "pong", id: 1, clientTime: Date.now() - 12, serverTime: Date.now() });
}

describe("ConnectionStatus", () => {
  it("is a polite live region", () => {
    const { options } = fakeClientOptions({ connect: false });
    renderWithServices(options, () => <ConnectionStatus />);
    const status = screen.getByRole("status");
    expect(status.getAttribute("aria-live")).toBe("polite");
    expect(status.textContent).toContain("Idle");
  });

  it("follows connecting, open, reconnecting with a countdown, failed with the reason, closed", async () => {
    const { sockets, options } = fakeClientOptions();
    const { services } = renderWithServices(options, () => <ConnectionStatus />);
    const status = screen.getByRole("status");
    expect(status.dataset.state).toBe("connecting");
    expect(status.textContent).toContain("Connecting");

    await settle();
    greet(sockets.last());
    expect(status.dataset.state).toBe("open");
    expect(status.textContent).toContain("Live");
    expect(status.textContent).toContain("WebSocket");

    sockets.last().fail();
    await settle();
    expect(status.dataset.state).toBe("reconnecting");
    // random 0.5 x backoff 4 s: the next attempt is 2 s away.
    expect(status.textContent).toMatch(/Reconnecting in 2 s/);
    await settle(1100);
    // The label reads "1 s" from 1 s to 2 s into the wait.
    expect(status.textContent).toMatch(/Reconnecting in 1 s/);
    expect(sockets.sockets.length).toBe(1);
    await settle(900); // the wait is over: the next attempt
    expect(sockets.sockets.length).toBe(2);

    sockets.last().serverClose(4401, "token rejected");
    await settle();
    expect(status.dataset.state).toBe("failed");
    expect(status.textContent).toContain("Connection failed");
    expect(status.textContent).toContain("4401");

    services.realtime.manager.connect();
    await settle();
    greet(sockets.last());
    expect(status.dataset.state).toBe("open");
    services.realtime.manager.close();
    expect(status.dataset.state).toBe("closed");
    expect(status.textContent).toContain("Disconnected");
  });

  it("counts down for an adopted client too: the wait comes from the client, not from its options", async () => {
    const kit = createStreamKit({ random: () => 0.25, backoff: { minMs: 8000, maxMs: 8000 } }, () => settle());
    renderWithServices(kit, () => <ConnectionStatus />);
    await kit.open();
    const status = screen.getByRole("status");
    expect(status.dataset.state).toBe("open");
    kit.socket().fail();
    await kit.settle();
    // random 0.25 x backoff 8 s: the next attempt is 2 s away.
    expect(status.dataset.state).toBe("reconnecting");
    expect(status.textContent).toMatch(/Reconnecting in 2 s/);
    kit.manager.close();
    expect(status.textContent).toContain("Disconnected");
  });

  it("says Live (polling) once a poll gets a reply, without the round trip the WebSocket measured", async () => {
    const http = pollServer();
    const { sockets, options } = fakeClientOptions({
      fetch: http.fetch,
      fallback: { enabled: true, afterFailures: 1, probeIntervalMs: 60_000 },
      heartbeat: { intervalMs: 20, timeoutMs: 120_000 },
    });
    renderWithServices(options, () => <ConnectionStatus />);
    const status = screen.getByRole("status");
    await settle();
    const socket = sockets.last();
    handshake(socket);
    // Answer the first ping: the WebSocket has a measured round trip.
    await settle(20); // one heartbeat interval
    expect(socket.sent.some((m) => m.type === "ping")).toBe(true);
    const ping = socket.sent.find((m) => m.type === "ping")!;
    socket.receive({ type: "pong", id: (ping as { id: number }).id, clientTime: (ping as { clientTime: number }).clientTime, serverTime: Date.now() });
    await settle(250); // the adapter's stats refresh
    expect(status.textContent).toMatch(/RTT \d+ ms/);
    http.down = true;
    sockets.last().fail();
    await settle();
    expect(status.dataset.state, "no reply yet: not Live").not.toBe("polling");
    http.down = false;
    await settle(2000); // the failed poll's backoff wait (random 0.5 x 4 s), then a reply
    expect(status.dataset.state).toBe("polling");
    expect(status.textContent).toContain("Live (polling)");
    expect(status.textContent).toContain("HTTP polling");
    expect(status.textContent, "the round trip is the WebSocket's, not the poll's").not.toContain("RTT");
  });

  it("says Server unreachable with a countdown while every transport fails, then Live again", async () => {
    const http = pollServer();
    http.down = true;
    const { sockets, options } = fakeClientOptions({ fetch: http.fetch, fallback: { enabled: true, afterFailures: 2, probeIntervalMs: 60_000 } });
    renderWithServices(options, () => <ConnectionStatus />);
    const status = screen.getByRole("status");
    await settle();
    greet(sockets.last());
    // The server goes down: the socket is lost, the reconnect refused, the poll fails.
    sockets.last().fail();
    await settle(2000); // the reconnect's backoff wait
    expect(sockets.sockets.length).toBe(2);
    sockets.last().fail();
    await settle();
    expect(status.dataset.state).toBe("unreachable");
    // random 0.5 x backoff 4 s: the next poll is 2 s away.
    expect(status.querySelector(".connection__label")?.textContent).toBe("Server unreachable — retrying in 2 s");
    expect(status.querySelector(".connection__reason")?.textContent).toMatch(/^server unreachable: poll: .*connection refused.*; WebSocket: WebSocket connection failed/);
    expect(status.textContent).not.toContain("Live");
    expect(status.textContent).not.toContain("RTT");
    await settle(1100);
    expect(status.querySelector(".connection__label")?.textContent).toBe("Server unreachable — retrying in 1 s");

    http.down = false;
    await settle(900); // the wait is over: the poll is answered
    expect(status.dataset.state).toBe("polling");
    expect(status.querySelector(".connection__label")?.textContent).toBe("Live (polling)");
  });
});

/** HTTP of a server that answers polls at once (nothing new), or, while `down`, refuses every request. */
function pollServer() {
  const http = {
    down: false,
    fetch: (url: string): Promise<FetchResponseLike> => {
      if (http.down) return Promise.reject(new TypeError("fetch failed (connection refused)"));
      const body: PollResponse = { type: "poll", source: "default", epoch: TEST_EPOCH, serverTime: Date.now(), seq: 0, oldestSeq: 1, frames: [], more: false };
      // A long-poll with nothing new is held (here: forever); an immediate one is answered.
      if (new URL(url).searchParams.get("wait") !== "0") return new Promise(() => {});
      return Promise.resolve({ ok: true, status: 200, text: () => Promise.resolve(JSON.stringify(body)) });
    },
  };
  return http;
}
