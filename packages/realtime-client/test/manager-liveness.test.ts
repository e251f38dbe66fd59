/**
 * `stats().lastMessageAt`: when the transport carrying the stream last said anything. A socket
 * that stays "open" but goes silent (a half-open connection, a stalled proxy) is only replaced
 * at `heartbeat.timeoutMs`; until then this is what tells a UI the stream has stopped.
 *
 * The socket is the testing kit's fake, fetch is scripted here, and time is vitest's fake
 * timers (the default clock reads the globals).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { WebSocketManager } from "../src/client/manager.js";
import type { DataFrame, MetricInfo, PollResponse } from "@pulseboard/protocol";
import { createFakeWebSocket, helloFrame, subscribedFrame } from "../src/testing/index.js";
import type { WebSocketManagerOptions } from "../src/client/types.js";
import { scriptedFetch } from "./helpers/scripted-fetch.js";

const T0 = 1_700_000_000_000;
const CATALOGUE: MetricInfo[] = [{ id: "cpu.usage", label: "CPU", unit: "%", kind: "gauge", rateHz: 10 }];

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

const hello = (seq = 0) => helloFrame({ epoch: "e1", serverTime: Date.now(), seq, tickMs: 100, metrics: CATALOGUE });
const subscribed = (seq = 0) => subscribedFrame({ seq });
const data = (seq: number): DataFrame => ({ type: "data", seq, series: { "cpu.usage": { t: [T0 + seq * 100], v: [seq] } } });
const poll = (seq: number, frames: DataFrame[]): PollResponse => ({ type: "poll", source: "default", epoch: "e1", serverTime: Date.now(), seq, oldestSeq: 1, frames, more: false });

function manager(WebSocket: WebSocketManagerOptions["WebSocket"], options: Partial<WebSocketManagerOptions> = {}) {
  return new WebSocketManager({
    url: "ws://127.0.0.1:9/ws",
    WebSocket,
    frameScheduler: { request: (cb) => setTimeout(cb, 0), cancel: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) },
    environment: { subscribe: () => () => {} },
    fetch: () => Promise.reject(new Error("no HTTP in this test")),
    history: { backfill: false },
    random: () => 0.5,
    backoff: { minMs: 200, maxMs: 200 },
    heartbeat: { intervalMs: 1000, timeoutMs: 6000 },
    ...options,
  });
}

const tick = () => vi.advanceTimersByTimeAsync(0);
const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);

/** A connected manager whose first socket said hello and confirmed the subscription. */
async function subscribedManager(options: Partial<WebSocketManagerOptions> = { fallback: { enabled: false } }) {
  const ws = createFakeWebSocket();
  const m = manager(ws.WebSocket, options);
  m.connect();
  await tick();
  const first = ws.last();
  first.acceptUpgrade();
  first.receive(hello());
  first.receive(subscribed());
  return { ws, m, first };
}

describe("stats().lastMessageAt", () => {
  it("is null before any message and follows every kind of message", async () => {
    const ws = createFakeWebSocket();
    const m = manager(ws.WebSocket, { fallback: { enabled: false } });
    expect(m.stats().lastMessageAt).toBeNull();
    m.connect();
    await tick();
    ws.last().acceptUpgrade();
    await advance(50);
    expect(m.stats().lastMessageAt, "an open socket that said nothing yet").toBeNull();

    ws.last().receive(hello());
    expect(m.stats().lastMessageAt).toBe(T0 + 50);
    await advance(100);
    ws.last().receive(subscribed());
    expect(m.state).toBe("open");
    expect(m.stats().lastMessageAt).toBe(T0 + 150);

    await advance(100);
    ws.last().receive(data(1));
    expect(m.stats().lastMessageAt).toBe(T0 + 250);
    await advance(100);
    ws.last().receive({ type: "pong", id: 1, clientTime: T0 + 50, serverTime: T0 + 300 });
    expect(m.stats().lastMessageAt).toBe(T0 + 350);
    // Even one the client rejects: the connection is alive, whatever it carries.
    await advance(100);
    ws.last().receive("{not json");
    expect(m.stats().lastMessageAt).toBe(T0 + 450);
    m.close();
  });

  it("stands still while an open socket is silent, well before the heartbeat gives up on it", async () => {
    const { ws, m, first } = await subscribedManager();
    first.receive(data(1));
    const last = Date.now();

    // Half-open: nothing arrives (pings go out, no pong comes back).
    await advance(3000);
    expect(m.state).toBe("open");
    const stats = m.stats();
    expect(stats.lastMessageAt).toBe(last);
    expect(Date.now() - stats.lastMessageAt!).toBe(3000);

    // At the heartbeat deadline the socket is replaced; the silence is still measured from
    // the last message, across the reconnect, until the new socket speaks.
    await advance(3000);
    expect(m.state).toBe("reconnecting");
    expect(m.stats().lastMessageAt).toBe(last);
    await advance(200);
    expect(ws.sockets).toHaveLength(2);
    ws.last().acceptUpgrade();
    expect(m.stats().lastMessageAt).toBe(last);
    ws.last().receive(hello(1));
    expect(m.stats().lastMessageAt).toBe(Date.now());
    m.close();
  });

  it("ignores a replaced socket, is kept after close() and cleared by connect()", async () => {
    const { m, first } = await subscribedManager();
    first.holdClose = true; // its closing handshake takes a while: messages can still arrive
    const last = Date.now();
    await advance(6000); // heartbeat timeout: `first` is replaced
    expect(m.state).toBe("reconnecting");
    first.receive(data(1)); // late, from the socket given up on
    expect(m.stats().lastMessageAt).toBe(last);

    m.close();
    expect(m.stats().lastMessageAt, "close() keeps when the stream last spoke").toBe(last);
    await advance(1000);
    m.connect();
    expect(m.stats().lastMessageAt, "a new connect() starts over").toBeNull();
    m.close();
  });

  it("while polling: null until the first reply, then poll replies; probes count once the stream moves to them", async () => {
    const http = scriptedFetch(CATALOGUE);
    const { ws, m, first } = await subscribedManager({ fetch: http.fetch, fallback: { afterFailures: 1, pollWaitMs: 1000, probeIntervalMs: 5000 } });
    first.receive(data(1));
    expect(m.stats().lastMessageAt).toBe(T0);

    await advance(500);
    ws.last().fail();
    await tick();
    expect(m.transport).toBe("polling");
    expect(m.state, "not polling before a reply").toBe("reconnecting");
    expect(m.stats().lastMessageAt, "nothing arrived over HTTP yet").toBeNull();

    await advance(300);
    expect(http.polls).toHaveLength(1);
    http.polls[0](poll(2, [data(2)]));
    await tick();
    expect(m.state).toBe("polling");
    expect(m.stats().seq).toBe(2);
    expect(m.stats().lastMessageAt).toBe(T0 + 800);

    // The probe (5 s after the fallback) opens and says hello: not the stream's transport yet.
    await advance(4700);
    expect(ws.sockets).toHaveLength(2);
    const probe = ws.last();
    probe.acceptUpgrade();
    probe.receive(hello(2));
    probe.receive(subscribed(2));
    expect(m.transport).toBe("polling");
    expect(m.stats().lastMessageAt).toBe(T0 + 800);

    // Its replay reaches the cursor: the stream moves to it, and so does lastMessageAt.
    await advance(100);
    probe.receive(data(3));
    expect(m.transport).toBe("websocket");
    expect(m.state).toBe("open");
    expect(m.stats().lastMessageAt).toBe(Date.now());
    m.close();
  });
});
