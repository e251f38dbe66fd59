/**
 * `manager.snapshot()`: the latest sample of every metric over HTTP, sent like the client's
 * other requests (its token, timeout and size cap) and validated. Against the real mock
 * server on 127.0.0.1 for what a server answers; with a scripted fetch for what a server
 * should never send.
 */
import { WebSocket } from "ws";
import { describe, expect, it } from "vitest";
import { generateValue } from "@pulseboard/mock-server";
import { WebSocketManager } from "../src/client/manager.js";
import type { FetchLike } from "../src/transports/types.js";
import { useLiveServer } from "./helpers/live.js";

const live = useLiveServer();

/** A manager that never connects: snapshot() works in any state. */
const offline = (fetch: FetchLike, options: { connectTimeoutMs?: number; maxFrameBytes?: number; token?: string } = {}) =>
  new WebSocketManager({ url: "ws://127.0.0.1:9/ws", WebSocket, fetch, ...options });

describe("manager.snapshot()", () => {
  it("sends the client's token: 401 without the right one, the generator's values with it", async () => {
    const server = await live.start({ tickMs: 20, hosts: 1, eventsRate: 0, token: "right", seed: 7 });
    const wrong = await live.manager({ token: "wrong" }).snapshot();
    expect(wrong).toMatchObject({ ok: false, code: "http", status: 401 });

    const result = await live.manager({ token: "right", source: "shop" }).snapshot();
    if (!result.ok) throw new Error(result.message);
    const { snapshot } = result;
    expect(snapshot.source).toBe("shop");
    expect(snapshot.metrics.length).toBeGreaterThan(0);
    let checked = 0;
    for (const [id, sample] of Object.entries(snapshot.latest)) {
      expect(sample.v).toBeCloseTo(generateValue(server.service.options.seed, "shop", id, sample.t), 9);
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });

  it("gives up after connectTimeoutMs", async () => {
    const hang: FetchLike = (_url, init) => new Promise((_resolve, reject) => init.signal.addEventListener("abort", () => reject(new Error("aborted"))));
    const result = await offline(hang, { connectTimeoutMs: 50 }).snapshot();
    expect(result).toMatchObject({ ok: false, code: "timeout" });
  });

  it("refuses a body over maxFrameBytes before parsing it, and a body of the wrong shape", async () => {
    const body = (text: string): FetchLike => () => Promise.resolve({ ok: true, status: 200, text: () => Promise.resolve(text) });
    const big = `{"pad":"${"x".repeat(5000)}"}`;
    expect(await offline(body(big), { maxFrameBytes: 4096 }).snapshot()).toMatchObject({ ok: false, code: "too_large" });
    expect(await offline(body('{"latest": 5}')).snapshot()).toMatchObject({ ok: false, code: "bad_shape" });
    expect(await offline(body("not json")).snapshot()).toMatchObject({ ok: false, code: "bad_json" });
  });

  it("is aborted by close() and by the caller's signal", async () => {
    const hang: FetchLike = (_url, init) => new Promise((_resolve, reject) => init.signal.addEventListener("abort", () => reject(new Error("aborted"))));
    const manager = offline(hang);
    const pending = manager.snapshot();
    manager.close();
    expect(await pending).toMatchObject({ ok: false, code: "aborted" });

    const controller = new AbortController();
    const mine = offline(hang).snapshot({ signal: controller.signal });
    controller.abort();
    expect(await mine).toMatchObject({ ok: false, code: "aborted" });
  });
});
