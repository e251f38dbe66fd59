/**
 * The HTTP long-polling fallback, against msw handlers: entering polling after refused
 * WebSocket attempts, resuming on the cursor, and the HTTP failures a poller must survive
 * (500s, malformed JSON, slow replies, 401) plus aborting on close().
 */
import { http, HttpResponse, delay } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { WebSocketManager } from "../src/client/manager.js";
import type { PollResponse, StreamFrame } from "@pulseboard/protocol";
import type { ManagerEventMap, WebSocketManagerOptions } from "../src/client/types.js";
import { createFakeWebSocket, dataFrame, TEST_CATALOGUE, TEST_START_TIME as T0 } from "../src/testing/index.js";

const BASE = "http://127.0.0.1:9";
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function poll(seq: number, frames: StreamFrame[], extra: Partial<PollResponse> = {}): PollResponse {
  return { type: "poll", source: "default", epoch: "e1", serverTime: T0, seq, oldestSeq: 1, frames, more: false, ...extra };
}

interface PollRequest {
  since: string | null;
  epoch: string | null;
  wait: string | null;
}

/**
 * A manager whose WebSocket attempts are all refused, so it polls after three failures.
 * `reply` answers each poll; the catalogue endpoint is served.
 */
function pollingManager(reply: (request: PollRequest, n: number, signal: AbortSignal) => Promise<Response> | Response, options: Partial<WebSocketManagerOptions> = {}) {
  const requests: PollRequest[] = [];
  server.use(
    http.get(`${BASE}/api/metrics`, () => HttpResponse.json({ source: "default", metrics: TEST_CATALOGUE })),
    http.get(`${BASE}/api/poll`, ({ request }) => {
      const q = new URL(request.url).searchParams;
      const r = { since: q.get("since"), epoch: q.get("epoch"), wait: q.get("wait") };
      requests.push(r);
      return reply(r, requests.length, request.signal);
    }),
  );
  const refused = createFakeWebSocket({ onCreate: (socket) => queueMicrotask(() => socket.fail()) });
  const manager = new WebSocketManager({
    url: "ws://127.0.0.1:9/ws",
    WebSocket: refused.WebSocket,
    backoff: { minMs: 1, maxMs: 5 },
    fallback: { afterFailures: 3, pollWaitMs: 50, probeIntervalMs: 60_000 },
    connectTimeoutMs: 200,
    ...options,
  });
  const seen = { state: [] as ManagerEventMap["state"][], error: [] as ManagerEventMap["error"][], transport: [] as ManagerEventMap["transport"][], hello: [] as ManagerEventMap["hello"][] };
  manager.on("state", (e) => seen.state.push(e));
  manager.on("error", (e) => seen.error.push(e));
  manager.on("transport", (e) => seen.transport.push(e));
  manager.on("hello", (e) => seen.hello.push(e));
  return { manager, requests, seen, sockets: refused.sockets };
}

async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Nothing new: answer like a long-poll that timed out. */
async function idle(): Promise<Response> {
  await delay(30);
  return HttpResponse.json(poll(13, []));
}

describe("fallback to polling", () => {
  it("polls on the same cursor after afterFailures refused WebSocket attempts", async () => {
    const { manager, requests, seen, sockets } = pollingManager((r) => {
      if (r.since === null) return HttpResponse.json(poll(10, []));
      if (r.since === "10") return HttpResponse.json(poll(12, [dataFrame(11), dataFrame(12)]));
      if (r.since === "12") return HttpResponse.json(poll(13, [dataFrame(12), dataFrame(13)])); // 12 again: dropped
      return idle();
    });
    manager.connect();
    await until(() => manager.stats().seq === 13);
    expect(sockets).toHaveLength(3);
    expect(seen.state.map((s) => s.to)).toEqual(["connecting", "reconnecting", "polling"]);
    expect(seen.transport).toEqual([{ from: "websocket", to: "polling", reason: expect.stringContaining("3 WebSocket attempts failed") }]);
    expect(seen.hello).toEqual([expect.objectContaining({ transport: "polling", epoch: "e1", seq: 10, metrics: TEST_CATALOGUE })]);
    expect(requests.slice(0, 3)).toEqual([
      { since: null, epoch: null, wait: "0" },
      { since: "10", epoch: "e1", wait: "50" },
      { since: "12", epoch: "e1", wait: "50" },
    ]);
    expect(Array.from(manager.series("cpu.usage")?.times() ?? [])).toEqual([11, 12, 13].map((s) => T0 + s * 100));
    expect(manager.stats()).toMatchObject({ transport: "polling", fallbacks: 1, duplicatesDropped: 1 });
    manager.close();
  });
});

describe("a hole in a poll reply", () => {
  it("is filled by the next poll, which asks from the cursor anyway: no wait, no resubscribe, no gap", async () => {
    const { manager, requests } = pollingManager((r) => {
      if (r.since === null) return HttpResponse.json(poll(10, []));
      // 12 was lost on the way (a gateway shedding frames): 13 and 14 are held.
      if (r.since === "10") return HttpResponse.json(poll(14, [dataFrame(11), dataFrame(13), dataFrame(14)]));
      if (r.since === "11") return HttpResponse.json(poll(15, [dataFrame(12), dataFrame(13), dataFrame(14), dataFrame(15)]));
      return idle();
    }, { history: { backfill: false } });
    const gaps: unknown[] = [];
    manager.on("gap", (g) => gaps.push(g));
    manager.connect();
    await until(() => manager.stats().seq === 15);
    expect(requests.slice(1, 3).map((r) => r.since)).toEqual(["10", "11"]);
    expect(manager.stats()).toMatchObject({ seq: 15, framesApplied: 5, duplicatesDropped: 2, holesRepaired: 1, resubscribes: 0, gapsReported: 0 });
    expect(gaps).toEqual([]);
    manager.close();
  });
});

describe("unknown metrics while polling", () => {
  it("reports each unknown id the server names once, and keeps the stream going", async () => {
    const { manager, seen } = pollingManager((r) => {
      if (r.since === null) return HttpResponse.json(poll(10, [], { unknownMetrics: ["gone.metric"] }));
      if (r.since === "10") return HttpResponse.json(poll(11, [dataFrame(11)], { unknownMetrics: ["gone.metric"] }));
      return idle();
    });
    manager.connect();
    await until(() => manager.stats().seq === 11);
    expect(seen.error.filter((e) => e.code === "unknown_metric")).toEqual([
      expect.objectContaining({ fatal: false, message: expect.stringContaining('"gone.metric"') }),
    ]);
    expect(manager.state).toBe("polling");
    manager.close();
  });
});

describe("HTTP failures while polling", () => {
  it("backs off on 500s and recovers", async () => {
    const { manager, seen } = pollingManager((r, n) => {
      if (r.since === null) return HttpResponse.json(poll(0, []));
      if (n <= 3) return HttpResponse.json({ error: { code: "internal" } }, { status: 500 });
      if (r.since === "0") return HttpResponse.json(poll(1, [dataFrame(1)]));
      return idle();
    });
    manager.connect();
    await until(() => manager.stats().seq === 1);
    expect(seen.error.filter((e) => e.code === "poll_failed").map((e) => e.message)).toEqual([
      "poll: HTTP 500 (1 in a row)",
      "poll: HTTP 500 (2 in a row)",
    ]);
    expect(manager.state).toBe("polling");
    manager.close();
  });

  it("counts a malformed reply as a parse error and polls again", async () => {
    const { manager, seen } = pollingManager((r, n) => {
      if (r.since === null) return HttpResponse.json(poll(0, []));
      if (n === 2) return new HttpResponse('{"type":"poll","frames":[', { headers: { "content-type": "application/json" } });
      if (n === 3) return HttpResponse.json({ ...poll(1, []), frames: [{ type: "data", seq: 1, series: { "cpu.usage": { t: [1, 2], v: [3] } } }] });
      if (r.since === "0") return HttpResponse.json(poll(1, [dataFrame(1)]));
      return idle();
    });
    manager.connect();
    await until(() => manager.stats().seq === 1);
    expect(manager.stats().parseErrors).toMatchObject({ bad_json: 1, bad_shape: 1 });
    expect(seen.error.filter((e) => e.code === "poll_failed")).toHaveLength(2);
    manager.close();
  });

  it("aborts a reply slower than pollWaitMs + connectTimeoutMs and retries", async () => {
    const started: number[] = [];
    const { manager, seen } = pollingManager(async (r, n) => {
      if (r.since === null) return HttpResponse.json(poll(0, []));
      started.push(Date.now());
      if (n === 2) {
        await delay("infinite");
      }
      if (r.since === "0" && n === 3) return HttpResponse.json(poll(1, [dataFrame(1)]));
      return idle();
    });
    manager.connect();
    await until(() => manager.stats().seq === 1);
    const timeout = seen.error.find((e) => e.code === "poll_failed");
    expect(timeout?.message).toBe("poll: no reply within 250 ms (1 in a row)");
    expect(started[1] - started[0]).toBeGreaterThanOrEqual(240);
    manager.close();
  });

  it("treats HTTP 401 as terminal", async () => {
    const { manager, seen } = pollingManager(() => HttpResponse.json({ error: { code: "unauthorized" } }, { status: 401 }));
    manager.connect();
    await until(() => manager.state === "failed");
    expect(seen.error.at(-1)).toMatchObject({ code: "unauthorized", fatal: true });
    // The first poll ended it: the state never said "polling" without a reply.
    expect(seen.state.at(-1)).toMatchObject({ from: "reconnecting", to: "failed" });
  });

  it("close() aborts the poll in flight", async () => {
    let aborted: (() => void) | undefined;
    const wasAborted = new Promise<void>((resolve) => (aborted = resolve));
    const { manager } = pollingManager(async (r, _n, signal) => {
      if (r.since === null) return HttpResponse.json(poll(0, []));
      signal.addEventListener("abort", () => aborted?.());
      await delay("infinite");
      return HttpResponse.json(poll(0, []));
    });
    manager.connect();
    await until(() => manager.state === "polling");
    await new Promise((r) => setTimeout(r, 20));
    manager.close();
    await wasAborted;
    expect(manager.state).toBe("closed");
  });
});
