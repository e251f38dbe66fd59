/**
 * createWebSocketResource: the familiar resource shape over the client. Data starts from the
 * initial fetch, then follows the stream; callbacks report connect, disconnect and errors;
 * `reconnect: false` gives up at the first failure.
 */
import { createRoot } from "solid-js";
import { afterEach, describe, expect, it } from "vitest";
import { noopEnvironment, type FetchLike } from "@pulseboard/realtime-client";
import { createFakeWebSocket, createManualFrameScheduler, dataFrame, handshake, settle, TEST_CATALOGUE, TEST_START_TIME as T0 } from "@pulseboard/realtime-client/testing";
import { createWebSocketResource, type LatestValues } from "../src/index.js";

let dispose = () => {};
afterEach(() => dispose());

function setup(options: { reconnect?: boolean } = {}) {
  const sockets = createFakeWebSocket();
  const frames = createManualFrameScheduler();
  const log: string[] = [];
  const snapshot: LatestValues = { metrics: [...TEST_CATALOGUE], latest: { "cpu.usage": { t: T0 - 100, v: 5 }, "memory.usage": { t: T0 - 100, v: 50 } } };
  const [data, actions] = createRoot((d) => {
    dispose = d;
    return createWebSocketResource("ws://127.0.0.1:9/ws", {
      WebSocket: sockets.WebSocket,
      frameScheduler: frames,
      environment: noopEnvironment,
      history: { backfill: false },
      fallback: { enabled: false },
      initialFetcher: async ({ httpUrl, source }) => {
        log.push(`fetch ${httpUrl} ${source}`);
        return snapshot;
      },
      onConnect: () => log.push("connect"),
      onDisconnect: (reason) => log.push(`disconnect: ${reason}`),
      onError: (error) => log.push(`error: ${error.code}`),
      reconnectDelay: 100,
      ...options,
    });
  });
  const greet = () => {
    const socket = sockets.last();
    handshake(socket);
    return socket;
  };
  return { sockets, frames, log, data, actions, greet };
}

describe("createWebSocketResource", () => {
  it("starts from the initial fetch, then follows the stream", async () => {
    const { data, greet, frames, log, actions } = setup();
    expect(data.loading).toBe(true);
    await settle();
    expect(log).toContain("fetch http://127.0.0.1:9 default");
    expect(data()?.latest["cpu.usage"].v).toBe(5);

    const socket = greet();
    expect(log).toContain("connect");
    socket.receive(dataFrame(1, { "cpu.usage": 7.5 }));
    frames.runFrame();
    expect(data()?.latest["cpu.usage"]).toEqual({ t: T0 + 100, v: 7.5 });
    expect(data()?.latest["memory.usage"].v).toBe(50); // untouched metrics keep the snapshot

    actions.mutate({ metrics: [...TEST_CATALOGUE], latest: {} });
    expect(data()?.latest).toEqual({});
    expect(actions.realtime.state()).toBe("open");
  });

  it("reports disconnects and errors, and retries when reconnect is on", async () => {
    const { greet, sockets, log } = setup();
    await settle();
    greet();
    sockets.last().fail();
    await settle();
    expect(log.some((l) => l.startsWith("disconnect: WebSocket closed"))).toBe(true);
    expect(log).toContain("error: connection_lost");
    await expect.poll(() => sockets.sockets.length, { timeout: 2000 }).toBe(2); // retried within reconnectDelay
  });

  it("gives up at the first failure with reconnect: false", async () => {
    const { greet, sockets, actions } = setup({ reconnect: false });
    await settle();
    greet();
    sockets.last().fail();
    await settle();
    expect(actions.realtime.state()).toBe("failed");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sockets.sockets.length).toBe(1);
  });

  it("loads its first value through the client: the client's fetch, token, size cap", async () => {
    const requests: { url: string; authorization: string | undefined }[] = [];
    const snapshotBody = { source: "default", epoch: "e1", serverTime: T0, seq: 0, metrics: TEST_CATALOGUE, latest: { "cpu.usage": { t: T0 - 100, v: 12 } } };
    const fetch: FetchLike = (url, init) => {
      requests.push({ url, authorization: init.headers.authorization });
      return Promise.resolve({ ok: true, status: 200, text: () => Promise.resolve(JSON.stringify(snapshotBody)) });
    };
    const resource = (maxFrameBytes?: number) =>
      createRoot((d) => {
        dispose = d;
        return createWebSocketResource("ws://127.0.0.1:9/ws", { WebSocket: createFakeWebSocket().WebSocket, environment: noopEnvironment, fetch, token: "s3cret", maxFrameBytes });
      });
    const [data] = resource();
    await settle();
    expect(requests).toEqual([{ url: "http://127.0.0.1:9/api/snapshot?source=default", authorization: "Bearer s3cret" }]);
    expect(data()?.latest["cpu.usage"].v).toBe(12);
    dispose();

    // A reply over the client's size cap is refused before parsing: the resource errors, readably.
    const [capped] = resource(64);
    await settle();
    expect(capped.error).toBeInstanceOf(Error);
    expect(String((capped.error as Error).message)).toMatch(/exceeds 64 bytes/);
  });
});
