/**
 * WebSocketManager basics, on a scripted socket and fake timers: options, the state machine,
 * resume with the cursor, frame-batched notifications, the event log and clean shutdown.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { WebSocketManager } from "../src/client/manager.js";
import {
  createFakeWebSocket,
  dataFrame,
  eventsFrame,
  helloFrame,
  sampleValue,
  subscribedFrame,
  TEST_START_TIME as T0,
} from "../src/testing/index.js";
import { createKit } from "./helpers/manager-kit.js";

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("options", () => {
  const { WebSocket } = createFakeWebSocket();

  it("requires a ws:// or wss:// url", () => {
    expect(() => new WebSocketManager({} as never)).toThrow(TypeError);
    expect(() => new WebSocketManager({ url: "http://x/ws", WebSocket })).toThrow(/url must use ws: or wss:/);
  });

  it("names the option in range errors", () => {
    expect(() => new WebSocketManager({ url: "ws://x/ws", WebSocket, heartbeat: { intervalMs: 5000, timeoutMs: 5000 } })).toThrow(
      /heartbeat.timeoutMs \(5000\) must be greater than heartbeat.intervalMs/,
    );
    expect(() => new WebSocketManager({ url: "ws://x/ws", WebSocket, backoff: { minMs: 500, maxMs: 100 } })).toThrow(RangeError);
    expect(() => new WebSocketManager({ url: "ws://x/ws", WebSocket, fallback: { afterFailures: 0 } })).toThrow(/fallback.afterFailures/);
    expect(() => new WebSocketManager({ url: "ws://x/ws", WebSocket, maxRetries: -1 })).toThrow(/maxRetries/);
    expect(() => new WebSocketManager({ url: "ws://x/ws", WebSocket, bufferCapacity: 1.5 })).toThrow(/bufferCapacity/);
    expect(() => new WebSocketManager({ url: "ws://x/ws", WebSocket, metrics: [""] })).toThrow(/metrics/);
  });

  it("explains how to inject a WebSocket when the runtime has none", () => {
    const saved = (globalThis as { WebSocket?: unknown }).WebSocket;
    delete (globalThis as { WebSocket?: unknown }).WebSocket;
    try {
      expect(() => new WebSocketManager({ url: "ws://x/ws" })).toThrow(/import \{ WebSocket \} from "ws"/);
    } finally {
      if (saved !== undefined) (globalThis as { WebSocket?: unknown }).WebSocket = saved;
    }
  });

  it("exposes the HTTP base it uses: derived from url, or the httpUrl option", () => {
    expect(new WebSocketManager({ url: "ws://127.0.0.1:8787/ws", WebSocket }).httpUrl).toBe("http://127.0.0.1:8787");
    expect(new WebSocketManager({ url: "wss://example.com/pulse/ws/", WebSocket }).httpUrl).toBe("https://example.com/pulse");
    expect(new WebSocketManager({ url: "ws://x/ws", WebSocket, httpUrl: "https://api.example.com/base/" }).httpUrl).toBe("https://api.example.com/base");
  });

  it("puts source and token in the WebSocket URL", async () => {
    const kit = createKit({ source: "tenant-a", token: "s3cret" });
    kit.manager.connect();
    await kit.tick();
    const url = new URL(kit.ws.last().url);
    expect(url.searchParams.get("source")).toBe("tenant-a");
    expect(url.searchParams.get("token")).toBe("s3cret");
    kit.manager.close();
  });
});

describe("state machine", () => {
  it("emits each transition exactly once, through one funnel", async () => {
    const kit = createKit({ random: () => 0.5 });
    await kit.open();
    kit.ws.last().fail();
    await kit.advance(200); // backoff attempt 0: 0.5 * 250 ms = 125 ms
    const second = kit.ws.last();
    expect(kit.ws.sockets).toHaveLength(2);
    second.acceptUpgrade();
    second.receive(helloFrame());
    second.receive(subscribedFrame({ since: 0, seq: 0 }));
    second.receive(subscribedFrame({ since: 0, seq: 0 })); // a repeated confirmation changes nothing
    kit.manager.close();
    kit.manager.close();
    expect(kit.seen.state.map((s) => `${s.from}>${s.to}`)).toEqual([
      "idle>connecting",
      "connecting>open",
      "open>reconnecting",
      "reconnecting>open",
      "open>closed",
    ]);
    expect(kit.seen.state[2].reason).toMatch(/WebSocket closed \(code 1006/);
    expect(kit.manager.stats().reconnects).toBe(1);
  });

  it("never has two live sockets while reconnecting", async () => {
    const kit = createKit({ random: () => 0.3, fallback: { enabled: false }, connectTimeoutMs: 60_000 });
    await kit.open();
    for (let i = 0; i < 10; i++) {
      kit.ws.last().fail();
      expect(kit.ws.live().length).toBe(0);
      await kit.advance(3000); // the longest jittered wait: 0.3 * maxMs
      expect(kit.ws.live().length).toBe(1);
    }
    expect(kit.ws.sockets).toHaveLength(11);
    kit.manager.close();
  });

  it("ignores callbacks of a socket it gave up on", async () => {
    const kit = createKit({ random: () => 0 });
    const first = await kit.open();
    first.holdClose = true; // its closing handshake will take a while
    await kit.advance(3000); // silent for timeoutMs: replaced
    expect(first.closedByClient?.code).toBe(4000);
    const staleBefore = kit.manager.stats().staleCallbacks;
    first.receive(dataFrame(1)); // a late message of the old socket
    expect(kit.manager.stats().staleCallbacks).toBe(staleBefore + 1);
    first.completeClose(); // and its close arrives after the manager moved on
    expect(kit.manager.series("cpu.usage")?.length).toBe(0);
    expect(kit.manager.state).toBe("reconnecting");
    kit.manager.close();
  });
});

describe("resume", () => {
  it("subscribes live first, then with the cursor after a reconnect; replayed frames are dropped", async () => {
    const kit = createKit({ random: () => 0 });
    const first = await kit.open({ since: null, seq: 10 });
    const firstSubscribe = first.sent.find((m) => m.type === "subscribe");
    expect(firstSubscribe).toMatchObject({ type: "subscribe", metrics: "*", since: null, events: true });
    expect(firstSubscribe).not.toHaveProperty("epoch");
    for (let seq = 11; seq <= 15; seq++) first.receive(dataFrame(seq));
    first.fail();
    await kit.advance(0);
    const second = kit.ws.last();
    second.acceptUpgrade();
    second.receive(helloFrame({ seq: 20 }));
    const subscribe = second.sent.find((m) => m.type === "subscribe");
    expect(subscribe).toMatchObject({ since: 15, epoch: "epoch-1" });
    second.receive(subscribedFrame({ since: 15, seq: 20 }));
    for (let seq = 13; seq <= 20; seq++) second.receive(dataFrame(seq)); // overlapping replay
    const ring = kit.manager.series("cpu.usage");
    expect(Array.from(ring?.times() ?? [])).toEqual(Array.from({ length: 10 }, (_, i) => T0 + (11 + i) * 100));
    expect(Array.from(ring?.values() ?? [])).toEqual(Array.from(ring?.times() ?? [], (t) => sampleValue("cpu.usage", t)));
    expect(kit.manager.stats()).toMatchObject({ duplicatesDropped: 3, seq: 20, epoch: "epoch-1", framesApplied: 10 });
    kit.manager.close();
  });

  it("re-subscribes from the cursor when the metric set changes", async () => {
    const kit = createKit();
    const socket = await kit.open({ since: null, seq: 4 });
    socket.receive(dataFrame(5));
    kit.manager.subscribe(["cpu.usage"]);
    expect(socket.sent.at(-1)).toMatchObject({ type: "subscribe", metrics: ["cpu.usage"], since: 5, epoch: "epoch-1" });
    kit.manager.close();
  });
});

describe("notifications", () => {
  it("delivers one data notification per frame, however many messages arrive", async () => {
    const kit = createKit();
    const socket = await kit.open({ since: 0 });
    const slow: number[] = [];
    kit.manager.on("data", ({ changed }) => slow.push(changed.size), { intervalMs: 1000 });
    for (let seq = 1; seq <= 1000; seq++) socket.receive(dataFrame(seq));
    expect(kit.seen.data).toHaveLength(0);
    expect(kit.scheduler.pending).toBe(1);
    kit.scheduler.runFrame();
    expect(kit.seen.data).toHaveLength(1);
    expect([...kit.seen.data[0].changed].sort()).toEqual(["cpu.usage", "memory.usage", "requests.rate"]);
    expect(kit.manager.series("cpu.usage")?.length).toBe(1000);
    for (let seq = 1001; seq <= 2000; seq++) socket.receive(dataFrame(seq));
    kit.scheduler.runFrame();
    expect(kit.seen.data).toHaveLength(2);
    expect(slow).toHaveLength(1); // the interval listener waits for its trailing call
    await kit.advance(1000);
    kit.scheduler.runFrame();
    expect(slow).toHaveLength(2);
    expect(kit.manager.stats().notifications).toBeGreaterThanOrEqual(2);
    kit.manager.close();
  });

  it("keeps a bounded event log and hands each listener only what is new", async () => {
    const kit = createKit({ eventCapacity: 5 });
    const socket = await kit.open({ since: 0 });
    for (let seq = 1; seq <= 4; seq++) socket.receive(eventsFrame(seq, 3));
    kit.scheduler.runFrame();
    expect(kit.seen.events).toHaveLength(1);
    expect(kit.seen.events[0].events).toHaveLength(5);
    expect(kit.seen.events[0].missed).toBe(7);
    expect(kit.manager.events().map((e) => e.id)).toEqual([3001, 3002, 4000, 4001, 4002]);
    socket.receive(eventsFrame(5, 1));
    kit.scheduler.runFrame();
    expect(kit.seen.events[1]).toEqual({ events: [expect.objectContaining({ id: 5000 })], missed: 0 });
    expect(kit.manager.stats()).toMatchObject({ eventsReceived: 13, eventsDropped: 8 });
    kit.manager.close();
  });
});

describe("close()", () => {
  it("leaves no timer, socket, frame request or environment listener behind", async () => {
    const kit = createKit();
    const socket = await kit.open({ since: 0 });
    socket.receive(dataFrame(1));
    expect(kit.scheduler.pending).toBe(1);
    expect(vi.getTimerCount()).toBeGreaterThan(0); // heartbeat, the reconnecting socket's uptime timer
    kit.manager.close();
    expect(kit.seen.data).toHaveLength(1); // the pending notification was delivered
    await kit.tick();
    expect(vi.getTimerCount()).toBe(0);
    expect(kit.ws.live()).toHaveLength(0);
    expect(kit.scheduler.pending).toBe(0);
    expect(kit.environment.listeners).toBe(0);
    expect(kit.manager.state).toBe("closed");
  });

  it("cancels a pending reconnect wait", async () => {
    const kit = createKit({ random: () => 0.99, backoff: { minMs: 5000, maxMs: 5000 } });
    await kit.open();
    kit.ws.last().fail();
    await kit.tick();
    expect(vi.getTimerCount()).toBeGreaterThan(0); // the backoff wait
    kit.manager.close();
    await kit.tick();
    expect(vi.getTimerCount()).toBe(0);
    await kit.advance(10_000);
    expect(kit.ws.sockets).toHaveLength(1);
  });

  it("can connect again and resumes from the cursor", async () => {
    const kit = createKit();
    const first = await kit.open({ since: null, seq: 3 });
    first.receive(dataFrame(4));
    kit.manager.close();
    await kit.tick();
    kit.manager.connect();
    await kit.tick();
    const second = kit.ws.last();
    second.acceptUpgrade();
    second.receive(helloFrame({ seq: 9 }));
    expect(second.sent.find((m) => m.type === "subscribe")).toMatchObject({ since: 4 });
    kit.manager.close();
  });
});
