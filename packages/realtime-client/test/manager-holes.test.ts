/**
 * Two ways an open socket can carry no stream, with the testing kit's fake WebSocket and
 * fake timers so that every wait is exact:
 *
 * - A hole in the seqs: frames lost on the way (a proxy or a gateway shedding them) while
 *   later frames arrive. The cursor holds the later frames; after `holeRepair.waitMs` the
 *   client resubscribes from its cursor, the server replays, and no gap is reported. A hole
 *   that resubscribing does not fill is asked for again with doubling waits, then the socket
 *   is replaced: never a tight loop.
 * - A handshake that never completes: the socket opens and answers pings, but the `hello`
 *   (or the `subscribed`) never comes. Pongs are no proof that a stream flows: after
 *   `handshakeTimeoutMs` the socket is replaced.
 *
 * And the `gap` event after a restart of the server's stream, whose end is unknown.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { WebSocketManager } from "../src/client/manager.js";
import type { ClientMessage, SubscribeMessage } from "@pulseboard/protocol";
import {
  createFakeWebSocket,
  createManualClock,
  createManualEnvironment,
  createManualFrameScheduler,
  dataFrame,
  handshake,
  helloFrame,
  subscribedFrame,
  TEST_EPOCH,
  TEST_START_TIME as T0,
  type FakeSocket,
} from "../src/testing/index.js";
import { createKit, type Kit } from "./helpers/manager-kit.js";

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

const subscribes = (socket: FakeSocket): SubscribeMessage[] => socket.sent.filter((m: ClientMessage): m is SubscribeMessage => m.type === "subscribe");
const states = (kit: Kit): string[] => kit.seen.state.map((s) => s.to);

/** Receive data frames `from..to` (inclusive) on `socket`. */
function frames(socket: FakeSocket, from: number, to: number): void {
  for (let seq = from; seq <= to; seq++) socket.receive(dataFrame(seq));
}

describe("a hole in the seqs on an open socket", () => {
  it("resubscribes from the cursor after holeRepair.waitMs; the replay fills the hole, no gap, no reconnect", async () => {
    const kit = createKit({ history: { backfill: false } });
    const socket = await kit.open();
    frames(socket, 1, 5);
    // 6..8 are lost on the way; the stream goes on and the cursor holds what follows.
    frames(socket, 9, 12);
    expect(kit.manager.stats()).toMatchObject({ state: "open", seq: 5, framesApplied: 5 });
    expect(subscribes(socket)).toHaveLength(1);

    // More frames keep arriving during the wait: they do not bring the request forward.
    await kit.advance(150);
    frames(socket, 13, 14);
    await kit.advance(149);
    expect(subscribes(socket), "not before the wait").toHaveLength(1);
    await kit.advance(1);
    expect(subscribes(socket)).toHaveLength(2);
    expect(subscribes(socket)[1]).toMatchObject({ since: 5, epoch: TEST_EPOCH, metrics: "*" });
    expect(kit.seen.error.map((e) => e.code)).toEqual(["seq_hole"]);
    expect(kit.seen.error[0]).toMatchObject({ fatal: false, message: expect.stringMatching(/^seqs 6\.\.8 missing for 300 ms .*resubscribing from 5$/) });

    // The server replays everything after the cursor: the hole fills, the held frames follow,
    // and the replayed copies of 9..14 are dropped as duplicates.
    socket.receive(subscribedFrame({ since: 5, seq: 14 }));
    frames(socket, 6, 15);
    expect(kit.manager.stats()).toMatchObject({
      state: "open",
      seq: 15,
      framesApplied: 15,
      duplicatesDropped: 6,
      gapsReported: 0,
      holesRepaired: 1,
      resubscribes: 1,
      reconnects: 0,
    });
    expect(kit.seen.gap).toEqual([]);
    expect(states(kit)).toEqual(["connecting", "open"]);
    const cpu = kit.manager.series("cpu.usage")!;
    expect(Array.from(cpu.times())).toEqual(Array.from({ length: 15 }, (_, i) => T0 + (i + 1) * 100));

    // Filled: nothing more is asked.
    await kit.advance(10_000);
    expect(subscribes(socket)).toHaveLength(2);
    kit.manager.close();
  });

  it("reports a gap, as before, only where the server answers the resubscribe with one", async () => {
    const kit = createKit({ history: { backfill: false } });
    const socket = await kit.open();
    frames(socket, 1, 5);
    frames(socket, 9, 10);
    await kit.advance(300);
    expect(subscribes(socket).at(-1)).toMatchObject({ since: 5 });
    // The lost frames were evicted in the meantime: the server says so.
    socket.receive(subscribedFrame({ since: 5, seq: 10 }));
    socket.receive({ type: "gap", from: 6, to: 8, reason: "retention" });
    frames(socket, 9, 11);
    expect(kit.seen.gap).toEqual([expect.objectContaining({ from: 6, to: 8, reason: "retention" })]);
    expect(kit.manager.stats()).toMatchObject({ seq: 11, framesApplied: 8, gapsReported: 1, holesRepaired: 0, resubscribes: 1 });
    await kit.advance(10_000);
    expect(subscribes(socket)).toHaveLength(2);
    kit.manager.close();
  });

  it("backs off while resubscribing does not fill the hole, then replaces the socket; never a tight loop", async () => {
    const kit = createKit({ random: () => 0, history: { backfill: false }, heartbeat: { intervalMs: 60_000, timeoutMs: 120_000 } });
    const first = await kit.open();
    frames(first, 1, 5);
    frames(first, 9, 9); // 6..8 lost, and this server never replays them
    const openedAt = Date.now();
    // Every request for the hole is reported: a resubscribe, or the socket's replacement.
    const requests: { at: number; message: string }[] = [];
    kit.manager.on("error", ({ code, message }) => {
      if (code === "seq_hole") requests.push({ at: Date.now() - openedAt, message });
    });
    // A server that confirms every subscribe and keeps streaming, but never replays 6..8.
    const confirmed = new Map<FakeSocket, number>([[first, 1]]); // kit.open() confirmed the first subscribe
    let next = 10;
    for (let ms = 0; ms < 60_000; ms += 10) {
      await kit.advance(10);
      const socket = kit.ws.last();
      if (socket.readyState === 0) {
        socket.acceptUpgrade();
        socket.receive(helloFrame({ seq: next - 1 }));
      }
      if (socket.readyState !== 1) continue;
      const subs = subscribes(socket);
      for (let i = confirmed.get(socket) ?? 0; i < subs.length; i++) socket.receive(subscribedFrame({ since: subs[i].since ?? null, seq: next - 1 }));
      confirmed.set(socket, subs.length);
      socket.receive(dataFrame(next++));
    }
    // 300 ms, then twice as long after each request: two resubscribes, then the socket is
    // replaced; its own subscribe from the cursor is the next request.
    expect(requests.slice(0, 3)).toEqual([
      { at: 300, message: expect.stringMatching(/^seqs 6\.\.8 missing for 300 ms .*resubscribing from 5$/) },
      { at: 900, message: expect.stringMatching(/^seqs 6\.\.8 missing for 900 ms /) },
      { at: 2100, message: "seqs 6..8 still missing after 2 resubscribes; replacing the socket" },
    ]);
    expect(first.closedByClient).toEqual({ code: 4000, reason: "seqs 6..8 still missing after 2 resubscribes; replacing the socket" });
    // On the next socket the waits go on doubling (2400, 4800, then the 10 s backoff cap),
    // counted from its subscription.
    const waits = requests.slice(3).map((r, i) => r.at - requests[i + 2].at);
    expect(waits.length).toBeGreaterThanOrEqual(3);
    expect(waits[0]).toBeGreaterThanOrEqual(2400);
    expect(waits[1]).toBeGreaterThanOrEqual(4800);
    for (const wait of waits.slice(2)) expect(wait).toBeGreaterThanOrEqual(9600);
    for (const wait of waits) expect(wait).toBeLessThanOrEqual(10_100);
    expect(requests.length, "requests for one hole in 60 s").toBeLessThanOrEqual(10);
    // Each replacement went through the disconnect funnel: announced and counted.
    expect(states(kit).slice(0, 4)).toEqual(["connecting", "open", "reconnecting", "open"]);
    expect(kit.seen.retry.length).toBeGreaterThan(0);
    expect(kit.manager.stats()).toMatchObject({ seq: 5, gapsReported: 0, holesRepaired: 0 });
    expect(kit.manager.stats().resubscribes).toBe(requests.filter((r) => r.message.includes("resubscribing")).length);
    expect(kit.ws.live()).toHaveLength(1);
    kit.manager.close();
  });

  it("acts with the next frame when a throttled timer is late (a background tab)", async () => {
    const clock = createManualClock(T0);
    clock.throttleTo = 60_000; // timers run once a minute at most
    const ws = createFakeWebSocket({ now: clock.now });
    const manager = new WebSocketManager({
      url: "ws://127.0.0.1:9/ws",
      WebSocket: ws.WebSocket,
      clock,
      frameScheduler: createManualFrameScheduler(),
      environment: createManualEnvironment(),
      history: { backfill: false },
      heartbeat: { intervalMs: 120_000, timeoutMs: 300_000 },
    });
    manager.connect();
    await vi.advanceTimersByTimeAsync(0); // the socket is created on a zero-delay global timer
    const socket = ws.last();
    handshake(socket);
    frames(socket, 1, 3);
    frames(socket, 5, 5);
    clock.advance(299);
    frames(socket, 6, 6);
    expect(subscribes(socket)).toHaveLength(1);
    clock.advance(1); // due now, but the throttled timer will not run for a minute
    expect(subscribes(socket)).toHaveLength(1);
    frames(socket, 7, 7);
    expect(subscribes(socket)).toHaveLength(2);
    expect(subscribes(socket)[1]).toMatchObject({ since: 3 });
    manager.close();
  });

  it("starts over when the cursor moves: a second hole gets its full wait", async () => {
    const kit = createKit({ history: { backfill: false } });
    const socket = await kit.open();
    frames(socket, 1, 2);
    frames(socket, 4, 4); // 3 lost
    await kit.advance(300);
    socket.receive(subscribedFrame({ since: 2, seq: 4 }));
    frames(socket, 3, 5);
    expect(kit.manager.stats()).toMatchObject({ seq: 5, holesRepaired: 1, resubscribes: 1 });
    frames(socket, 7, 7); // 6 lost
    await kit.advance(299);
    expect(subscribes(socket)).toHaveLength(2);
    await kit.advance(1);
    expect(subscribes(socket).at(-1)).toMatchObject({ since: 5 });
    socket.receive(subscribedFrame({ since: 5, seq: 7 }));
    frames(socket, 6, 7);
    expect(kit.manager.stats()).toMatchObject({ seq: 7, framesApplied: 7, holesRepaired: 2, resubscribes: 2, gapsReported: 0 });
    kit.manager.close();
  });

  it("uses the holeRepair options and validates them", async () => {
    const kit = createKit({ history: { backfill: false }, holeRepair: { waitMs: 1000, maxResubscribes: 0 } });
    const socket = await kit.open();
    frames(socket, 1, 1);
    frames(socket, 3, 3);
    await kit.advance(999);
    expect(kit.manager.state).toBe("open");
    await kit.advance(1);
    // No resubscribe allowed: the socket is replaced at once.
    expect(kit.manager.state).toBe("reconnecting");
    expect(socket.closedByClient?.code).toBe(4000);
    expect(subscribes(socket)).toHaveLength(1);
    kit.manager.close();
    expect(() => new WebSocketManager({ url: "ws://127.0.0.1:9/ws", WebSocket: kit.ws.WebSocket, holeRepair: { waitMs: 0 } })).toThrow(/holeRepair\.waitMs/);
    expect(() => new WebSocketManager({ url: "ws://127.0.0.1:9/ws", WebSocket: kit.ws.WebSocket, holeRepair: { maxResubscribes: 1.5 } })).toThrow(/holeRepair\.maxResubscribes/);
  });
});

describe("a handshake that never completes", () => {
  it("replaces a socket whose hello never comes after handshakeTimeoutMs, although it answers every ping", async () => {
    const kit = createKit({ random: () => 0, handshakeTimeoutMs: 5000 });
    const first = await kit.open();
    frames(first, 1, 3);
    first.fail(); // dropped: the next socket opens, but its hello is lost
    await kit.advance(0);
    const second = kit.ws.last();
    second.acceptUpgrade();
    // A server that lost the hello, or a proxy in front of it, still answers every ping.
    const answered = new Set<number>();
    for (let ms = 0; ms < 4999; ms += 1) {
      await kit.advance(1);
      for (const ping of second.sent) {
        if (ping.type !== "ping" || answered.has(ping.id)) continue;
        answered.add(ping.id);
        second.receive({ type: "pong", id: ping.id, clientTime: ping.clientTime, serverTime: Date.now() });
      }
    }
    expect(kit.seen.heartbeat.length, "the socket answers pings").toBeGreaterThan(1);
    expect(kit.manager.state).toBe("reconnecting");
    expect(second.readyState).toBe(1);
    await kit.advance(1);
    expect(kit.seen.error.at(-1)).toMatchObject({ code: "handshake_timeout", fatal: false, message: "no hello within 5000 ms of the socket opening" });
    expect(second.closedByClient).toMatchObject({ code: 4000 });
    // The next socket completes its handshake: the stream resumes from the cursor.
    await kit.advance(10);
    const third = kit.ws.last();
    expect(third).not.toBe(second);
    expect(handshake(third, { hello: { seq: 3 } })).toMatchObject({ since: 3 });
    expect(kit.manager.state).toBe("open");
    expect(states(kit)).toEqual(["connecting", "open", "reconnecting", "open"]);
    kit.manager.close();
  });

  it("replaces a socket that said hello but never confirmed the subscription", async () => {
    const kit = createKit({ random: () => 0, handshakeTimeoutMs: 2000 });
    kit.manager.connect();
    await kit.tick();
    const socket = kit.ws.last();
    socket.acceptUpgrade();
    socket.receive(helloFrame());
    expect(subscribes(socket)).toHaveLength(1);
    await kit.advance(1999);
    expect(kit.manager.state).toBe("connecting");
    await kit.advance(1);
    expect(kit.seen.error.at(-1)).toMatchObject({ code: "handshake_timeout", message: "no subscribed within 2000 ms of the socket opening" });
    expect(kit.manager.state).toBe("reconnecting");
    kit.manager.close();
  });

  it("leaves a socket that completes its handshake in time alone, and defaults to 10 s", async () => {
    const kit = createKit({ heartbeat: { intervalMs: 60_000, timeoutMs: 120_000 } });
    kit.manager.connect();
    await kit.tick();
    const socket = kit.ws.last();
    socket.acceptUpgrade();
    await kit.advance(9999);
    socket.receive(helloFrame());
    socket.receive(subscribedFrame());
    socket.receive(dataFrame(1));
    await kit.advance(60_000);
    expect(kit.seen.error.filter((e) => e.code === "handshake_timeout")).toEqual([]);
    expect(kit.manager.state).toBe("open");
    expect(kit.ws.sockets).toHaveLength(1);
    kit.manager.close();
    expect(() => new WebSocketManager({ url: "ws://127.0.0.1:9/ws", WebSocket: kit.ws.WebSocket, handshakeTimeoutMs: 0 })).toThrow(/handshakeTimeoutMs/);
  });
});

describe("the gap event after a restart of the server's stream", () => {
  it("says the end is unknown with to: null, instead of a range that ends before it starts", async () => {
    const kit = createKit({ random: () => 0, history: { backfill: false } });
    const first = await kit.open();
    frames(first, 1, 3);
    frames(first, 5, 5); // held ahead of a hole when the server restarts
    first.fail();
    await kit.advance(0);
    // The server came back with a new epoch: the old one's frames from 4 on are gone.
    handshake(kit.ws.last(), { hello: { epoch: "epoch-2", seq: 2 }, since: 0 });
    frames(kit.ws.last(), 1, 2);
    expect(kit.seen.gap).toEqual([expect.objectContaining({ from: 4, to: null, reason: "epoch" })]);
    expect(kit.manager.stats()).toMatchObject({ epoch: "epoch-2", seq: 2, gapsReported: 1 });
    kit.manager.close();
  });
});
