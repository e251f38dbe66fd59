/**
 * `@pulseboard/realtime-client/testing`: the README's example runs as written, and each double
 * behaves like the thing it stands in for where client code can tell the difference.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { WebSocketManager } from "../src/client/manager.js";
import {
  createFakeWebSocket,
  createManualClock,
  createManualEnvironment,
  createManualFrameScheduler,
  createStreamScript,
  dataFrame,
  eventsFrame,
  handshake,
  helloFrame,
  sampleValue,
  subscribedFrame,
  TEST_CATALOGUE,
  TEST_START_TIME,
  TEST_TICK_MS,
  type FakeSocketEvent,
} from "../src/testing/index.js";

// The README's example, word for word but for the import specifiers (checked below).
// --- README example start ---
import { noopEnvironment } from "../src/index.js";

it("holds the value the server sent and announces it at the next frame", async () => {
  const ws = createFakeWebSocket();
  const frames = createManualFrameScheduler();
  const manager = new WebSocketManager({
    url: "ws://127.0.0.1:9/ws",
    WebSocket: ws.WebSocket,
    frameScheduler: frames,
    environment: noopEnvironment,
  });
  const changed: string[] = [];
  manager.on("data", (event) => changed.push(...event.changed));

  manager.connect();
  const socket = await ws.waitForSocket(); // the client creates its socket asynchronously
  socket.acceptUpgrade();
  socket.receive(helloFrame()); // catalogue: cpu.usage, memory.usage, requests.rate
  expect(socket.sent).toContainEqual(expect.objectContaining({ type: "subscribe", metrics: "*", since: null }));
  socket.receive(subscribedFrame());
  expect(manager.state).toBe("open");

  socket.receive(dataFrame(1, { "cpu.usage": 42 }));
  expect(manager.series("cpu.usage")?.lastValue).toBe(42); // stored at once...
  expect(changed).toEqual([]); // ...announced at the next frame
  frames.runFrame();
  expect(changed).toEqual(["cpu.usage"]);

  manager.close();
});
// --- README example end ---

describe("the README", () => {
  it("shows the example above, with the package's own import specifiers", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const section = readme.slice(readme.indexOf("## Testing code that uses the client"));
    const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    expect(block, "a ts code block in the section").toBeDefined();
    const source = readFileSync(new URL(import.meta.url), "utf8");
    const example = source.slice(source.indexOf("// --- README example start ---\n") + 32, source.indexOf("// --- README example end ---"));
    const header = [
      'import { expect, it } from "vitest";',
      'import { noopEnvironment, WebSocketManager } from "@pulseboard/realtime-client";',
      "import {",
      "  createFakeWebSocket,",
      "  createManualFrameScheduler,",
      "  dataFrame,",
      "  helloFrame,",
      "  subscribedFrame,",
      '} from "@pulseboard/realtime-client/testing";',
      "",
      "",
    ].join("\n");
    expect(block).toBe(header + example.replace('import { noopEnvironment } from "../src/index.js";\n\n', ""));
  });
});

describe("fake WebSocket", () => {
  it("follows the WebSocket's states: send throws while connecting, is discarded once closing", async () => {
    const ws = createFakeWebSocket();
    const socket = new ws.WebSocket("ws://x/ws", "v1");
    expect(socket.protocols).toEqual(["v1"]);
    expect(ws.WebSocket.CLOSING).toBe(2);
    expect(() => socket.send("{}")).toThrow(expect.objectContaining({ name: "InvalidStateError" }));
    socket.acceptUpgrade();
    socket.send('{"type":"ping","id":1,"clientTime":5}');
    socket.send("not json");
    expect(socket.sent).toEqual([{ type: "ping", id: 1, clientTime: 5 }]);
    expect(socket.sentText).toEqual(['{"type":"ping","id":1,"clientTime":5}', "not json"]);
    socket.close(1000, "bye");
    socket.send("{}");
    expect(socket.sentText).toHaveLength(2);
    expect(socket.readyState).toBe(2);
    await Promise.resolve();
    expect(socket.readyState).toBe(3);
    expect(socket.closedByClient).toEqual({ code: 1000, reason: "bye" });
  });

  it("validates close() like a browser", () => {
    const socket = new (createFakeWebSocket().WebSocket)("ws://x/ws");
    expect(() => socket.close(1001)).toThrow(expect.objectContaining({ name: "InvalidAccessError" }));
    expect(() => socket.close(1000, "x".repeat(124))).toThrow(expect.objectContaining({ name: "SyntaxError" }));
    expect(socket.readyState).toBe(0);
    expect(() => socket.close(4000)).not.toThrow();
  });

  it("dispatches to listeners and on* handlers: a client close while connecting fails with 1006", async () => {
    const socket = new (createFakeWebSocket().WebSocket)("ws://x/ws");
    const seen: string[] = [];
    socket.addEventListener("error", () => seen.push("error"));
    socket.onclose = (event: FakeSocketEvent) => seen.push(`close ${event.code} ${event.wasClean}`);
    socket.close(1000);
    expect(seen).toEqual([]);
    await Promise.resolve();
    expect(seen).toEqual(["error", "close 1006 false"]);
  });

  it("holds a client close until completeClose() when asked, delivering messages in flight meanwhile", () => {
    const socket = new (createFakeWebSocket().WebSocket)("ws://x/ws");
    const data: unknown[] = [];
    socket.onmessage = (event) => data.push(event.data);
    socket.acceptUpgrade();
    socket.holdClose = true;
    socket.close(4000, "replaced");
    socket.receive({ type: "pong", id: 1, clientTime: 1, serverTime: 2 });
    expect(socket.readyState).toBe(2);
    socket.completeClose();
    expect(socket.readyState).toBe(3);
    expect(() => socket.receive("late")).toThrow(/not open/);
    expect(data).toEqual(['{"type":"pong","id":1,"clientTime":1,"serverTime":2}']);
  });

  it("passes binary and text messages through, JSON-encodes objects", () => {
    const socket = new (createFakeWebSocket().WebSocket)("ws://x/ws");
    const data: unknown[] = [];
    socket.addEventListener("message", (event: FakeSocketEvent) => data.push(event.data));
    socket.acceptUpgrade();
    const buffer = new ArrayBuffer(4);
    socket.receive(buffer);
    socket.receive("text");
    socket.receive([1, 2]);
    expect(data).toEqual([buffer, "text", "[1,2]"]);
    expect(data[0]).toBe(buffer);
  });

  it("records sockets, finds the live ones and waits for the next", async () => {
    let now = 500;
    const created: string[] = [];
    const ws = createFakeWebSocket({ now: () => now, onCreate: (socket) => created.push(socket.url) });
    expect(() => ws.last()).toThrow(/no socket/);
    const second = ws.waitForSocket(2);
    const first = new ws.WebSocket("ws://x/1");
    now = 700;
    new ws.WebSocket("ws://x/2");
    expect(await ws.waitForSocket()).toBe(first);
    expect((await second).createdAt).toBe(700);
    expect(first.createdAt).toBe(500);
    expect(created).toEqual(["ws://x/1", "ws://x/2"]);
    first.fail();
    expect(ws.live()).toEqual([ws.last()]);
    await expect(ws.waitForSocket(0)).rejects.toThrow(RangeError);
  });
});

describe("frame builders", () => {
  it("put frame n's samples at TEST_START_TIME + n ticks, valued by sampleValue", () => {
    const t = TEST_START_TIME + 3 * TEST_TICK_MS;
    expect(dataFrame(3).series).toEqual(Object.fromEntries(TEST_CATALOGUE.map(({ id }) => [id, { t: [t], v: [sampleValue(id, t)] }])));
    expect(Object.keys(dataFrame(3, ["cpu.usage"]).series)).toEqual(["cpu.usage"]);
    expect(dataFrame(3, { "cpu.usage": 7, "memory.usage": { t: [1, 2], v: [3, 4] } }).series).toEqual({
      "cpu.usage": { t: [t], v: [7] },
      "memory.usage": { t: [1, 2], v: [3, 4] },
    });
    expect(sampleValue("cpu.usage", t)).not.toBe(sampleValue("memory.usage", t));
    expect(eventsFrame(5, 2).events.map((e) => e.id)).toEqual([5000, 5001]);
    expect(eventsFrame(6, [{ level: "error" }]).events[0]).toMatchObject({ id: 6000, level: "error", t: TEST_START_TIME + 600 });
    expect(helloFrame({ seq: 4 })).toMatchObject({ type: "hello", seq: 4, metrics: TEST_CATALOGUE });
    expect(Object.isFrozen(TEST_CATALOGUE[0])).toBe(true);
  });

  it("handshake confirms what the client asked for, and fails loudly when it asked nothing", async () => {
    const ws = createFakeWebSocket();
    const manager = new WebSocketManager({ url: "ws://127.0.0.1:9/ws", WebSocket: ws.WebSocket, environment: noopEnvironment, metrics: ["cpu.usage"] });
    manager.connect();
    const subscribe = handshake(await ws.waitForSocket(), { hello: { seq: 7 } });
    expect(subscribe).toMatchObject({ type: "subscribe", metrics: ["cpu.usage"], since: null });
    expect(manager.state).toBe("open");
    expect(manager.stats().seq).toBe(7);
    manager.close();

    const silent = new ws.WebSocket("ws://x/ws");
    expect(() => handshake(silent)).toThrow(/sent no subscribe after hello/);
  });

  it("a stream script numbers frames and moves time; data() alone matches dataFrame()", () => {
    const script = createStreamScript();
    expect(script.data()).toEqual(dataFrame(1));
    const frame = script.data({ "cpu.usage": [1, 2, 3], "memory.usage": 9 });
    expect(frame.seq).toBe(2);
    expect(frame.series["cpu.usage"].t).toEqual([200, 300, 400].map((ms) => TEST_START_TIME + ms));
    expect(frame.series["memory.usage"]).toEqual({ t: [TEST_START_TIME + 200], v: [9] });
    expect(script.time).toBe(TEST_START_TIME + 400);
    expect(script.events(2).events).toMatchObject([{ id: 1, t: script.time }, { id: 2 }]);
    expect(script.events([{ text: "deployed" }]).events).toMatchObject([{ id: 3, text: "deployed" }]);
    expect(script.seq).toBe(4);
    expect(script.hello()).toMatchObject({ seq: 4, serverTime: script.time });
    expect(script.subscribed(2)).toEqual({ type: "subscribed", metrics: "*", since: 2, seq: 4 });
  });
});

describe("manual scheduling", () => {
  it("a frame scheduler runs what was requested before the frame, not what a callback requests", () => {
    const frames = createManualFrameScheduler();
    const ran: string[] = [];
    frames.request(() => {
      ran.push("a");
      frames.request(() => ran.push("c"));
    });
    frames.cancel(frames.request(() => ran.push("cancelled")));
    expect(frames.pending).toBe(1);
    expect(frames.runFrame()).toBe(1);
    expect(ran).toEqual(["a"]);
    frames.runFrame();
    expect(ran).toEqual(["a", "c"]);
  });

  it("a clock runs due timers in time order, at their own time", () => {
    const clock = createManualClock(100);
    const fired: number[] = [];
    clock.setTimeout(() => fired.push(clock.now()), 50);
    clock.setTimeout(() => {
      fired.push(clock.now());
      clock.setTimeout(() => fired.push(clock.now()), 5);
    }, 10);
    clock.clearTimeout(clock.setTimeout(() => fired.push(-1), 1));
    clock.advance(60);
    expect(fired).toEqual([110, 115, 150]);
    expect(clock.now()).toBe(160);
    expect(clock.pending).toBe(0);
  });

  it("an environment calls its listeners until they unsubscribe", () => {
    const environment = createManualEnvironment();
    const signals: string[] = [];
    const stop = environment.subscribe((signal) => signals.push(signal));
    environment.emit("online");
    stop();
    environment.emit("visible");
    expect(signals).toEqual(["online"]);
    expect(environment.listeners).toBe(0);
  });
});
