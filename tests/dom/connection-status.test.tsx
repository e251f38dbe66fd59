/**
 * The status indicator through every client state, driven by the real client over a fake
 * socket: idle, connecting, open, reconnecting (with its countdown, from the client's `retry`
 * event), failed (with the reason), closed, and polling after a fallback.
 */
import { screen } from "@solidjs/testing-library";
import { describe, expect, it } from "vitest";
import { handshake, type FakeSocket } from "@pulseboard/realtime-client/testing";
import { ConnectionStatus } from "../../src/components/ConnectionStatus.tsx";
import { renderWithServices } from "./helpers/render-with-services.tsx";
import { createStreamKit, fakeClientOptions, settle } from "./helpers/stream-kit.ts";

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
    await new Promise((resolve) => setTimeout(resolve, 1100));
    // The label reads "1 s" from 1 s to 2 s into the wait; polling for it tolerates a late
    // timer on a busy test machine without accepting a countdown that never moves.
    await expect.poll(() => status.textContent, { timeout: 700, interval: 50 }).toMatch(/Reconnecting in 1 s/);
    await expect.poll(() => sockets.sockets.length, { timeout: 3000 }).toBe(2);

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
    const kit = createStreamKit({ random: () => 0.25, backoff: { minMs: 8000, maxMs: 8000 } });
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

  it("shows polling after the fallback", async () => {
    const { sockets, options } = fakeClientOptions({ fallback: { enabled: true, afterFailures: 1, probeIntervalMs: 60_000 } });
    renderWithServices(options, () => <ConnectionStatus />);
    await settle();
    sockets.last().fail();
    await settle();
    const status = screen.getByRole("status");
    expect(status.dataset.state).toBe("polling");
    expect(status.textContent).toContain("Live (polling)");
    expect(status.textContent).toContain("HTTP polling");
  });
});
