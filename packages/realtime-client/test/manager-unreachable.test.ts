/**
 * A server that is down: the manager says so. While every transport fails (the WebSocket
 * attempts never open and the polls fail) the state is `unreachable`, never `polling` or
 * `open`; each wait before the next attempt is announced with its time (`retry`,
 * `stats().nextRetryAt`), so a status line can count down to it; `polling` starts with a poll
 * reply, not with the switch. First with the testing kit's fake socket, a scripted fetch and
 * fake timers (exact order), then against the real mock server, stopped and started again on
 * the same port.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startMockServer, type RunningMockServer } from "@pulseboard/mock-server";
import { WebSocket } from "ws";
import { WebSocketManager } from "../src/client/manager.js";
import type { PollResponse } from "@pulseboard/protocol";
import { TEST_EPOCH, TEST_START_TIME as T0 } from "../src/testing/index.js";
import type { FetchLike } from "../src/transports/types.js";
import type { ConnectionState, ManagerEventMap } from "../src/client/types.js";
import { checkSeries, sleep, until } from "./helpers/live.js";
import { createKit } from "./helpers/manager-kit.js";

/**
 * HTTP of a server that is up or down: down, every request fails like a refused connection;
 * up, a poll is held for its `wait` and answered with nothing new (a long-poll that timed out).
 */
function switchableServer() {
  const server = { down: false, polls: 0, waits: [] as string[] };
  const reply = (seq: number): PollResponse => ({ type: "poll", source: "default", epoch: TEST_EPOCH, serverTime: Date.now(), seq, oldestSeq: 1, frames: [], more: false });
  const fetch: FetchLike = (url) => {
    server.polls++;
    if (server.down) return Promise.reject(new TypeError("fetch failed (connection refused)"));
    const wait = Number(new URL(url).searchParams.get("wait") ?? 0);
    server.waits.push(String(wait));
    return new Promise((resolve) => setTimeout(() => resolve({ ok: true, status: 200, text: () => Promise.resolve(JSON.stringify(reply(0))) }), wait));
  };
  return { server, fetch };
}

describe("every transport failing (testing kit)", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: T0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("says unreachable, announces each next attempt, and says polling only once a poll gets a reply", async () => {
    const { server, fetch } = switchableServer();
    const kit = createKit({
      fetch,
      random: () => 0.5,
      backoff: { minMs: 1000, maxMs: 1000 }, // every wait 500 ms
      fallback: { afterFailures: 2, pollWaitMs: 1000, probeIntervalMs: 3000 },
    });
    await kit.open();
    expect(kit.manager.state).toBe("open");

    // The server goes down: the open socket is lost, the reconnect is refused.
    server.down = true;
    kit.ws.last().fail();
    expect(kit.manager.state).toBe("reconnecting");
    await kit.advance(500);
    kit.ws.last().fail(); // never opened: the second failure moves the stream to polling
    expect(kit.manager.transport).toBe("polling");
    expect(kit.manager.state, "no poll has answered yet").toBe("reconnecting");
    await kit.tick(); // the first poll fails
    expect(kit.manager.state).toBe("unreachable");
    expect(kit.seen.state.at(-1)?.reason).toMatch(/^server unreachable: poll: .*connection refused.*; WebSocket: WebSocket connection failed/);
    const wait = kit.seen.retry.at(-1)!;
    expect(wait).toEqual({ attempt: 1, delayMs: 500, at: Date.now() + 500, transport: "polling" });
    expect(kit.manager.stats().nextRetryAt).toBe(wait.at);

    // Ten seconds down: polls every 500 ms, probes every 3 s, all failing.
    const retriesBefore = kit.seen.retry.length;
    const pollsBefore = server.polls;
    for (let t = 0; t < 10_000; t += 100) {
      await kit.advance(100);
      const probe = kit.ws.last();
      if (probe.readyState === 0) probe.fail();
      expect(kit.manager.state).toBe("unreachable");
      const next = kit.manager.stats().nextRetryAt;
      if (next !== null) expect(next, "an announced retry lies ahead").toBeGreaterThan(Date.now());
    }
    expect(server.polls - pollsBefore).toBeGreaterThanOrEqual(15);
    expect(kit.seen.retry.length - retriesBefore).toBe(server.polls - pollsBefore);
    expect(kit.ws.sockets.length, "the first socket, its reconnect and three probes").toBe(5);

    // Back up: the next poll answers, and only now does the state say the stream flows.
    server.down = false;
    await kit.advance(600); // the next poll is due within 500 ms, and asks for an immediate reply
    expect(kit.manager.state).toBe("polling");
    expect(server.waits.at(-2), "after failures, a poll asks for an immediate reply").toBe("0");
    expect(server.waits.at(-1), "then long-polls again").toBe("1000");
    expect(kit.seen.state.at(-1)?.reason).toBe("a poll reply arrived after failed polls");
    expect(kit.manager.stats().nextRetryAt).toBeNull();
    const path = kit.seen.state.map((s) => s.to);
    expect(path).toEqual(["connecting", "open", "reconnecting", "unreachable", "polling"]);
    kit.manager.close();
  });

  it("without the fallback, an attempt that never opens is unreachable; a lost socket is reconnecting", async () => {
    const kit = createKit({ random: () => 0.5, backoff: { minMs: 1000, maxMs: 1000 }, fallback: { enabled: false } });
    await kit.open();
    kit.ws.last().fail(); // the open socket is lost: nothing known about the next attempt yet
    expect(kit.manager.state).toBe("reconnecting");
    await kit.advance(500);
    kit.ws.last().fail(); // refused
    expect(kit.manager.state).toBe("unreachable");
    expect(kit.seen.state.at(-1)?.reason).toMatch(/^server unreachable over WebSocket: WebSocket connection failed/);
    await kit.tick(); // the transport asks for the wait before its next attempt
    expect(kit.seen.retry.at(-1)).toMatchObject({ transport: "websocket", delayMs: 500, at: Date.now() + 500 });
    expect(kit.manager.stats().nextRetryAt).toBe(kit.seen.retry.at(-1)?.at);
    await kit.advance(500);
    (await kit.open()).receive({ type: "pong", id: 1, serverTime: Date.now() });
    expect(kit.manager.state).toBe("open");
    expect(kit.seen.state.map((s) => s.to)).toEqual(["connecting", "open", "reconnecting", "unreachable", "open"]);
    kit.manager.close();
  });
});

describe("a real server stopped and started again on the same port", () => {
  let server: RunningMockServer | undefined;
  let manager: WebSocketManager | undefined;
  afterEach(async () => {
    manager?.close();
    await server?.close();
  });

  it("is unreachable with announced retries while down, never Live, and streams again from the restarted server", async () => {
    server = await startMockServer({ port: 0, host: "127.0.0.1", tickMs: 20, rateHz: 50, hosts: 2, eventsRate: 0 });
    const port = server.port;
    const m = new WebSocketManager({
      url: server.wsUrl,
      WebSocket,
      startFrom: "retained",
      backoff: { minMs: 40, maxMs: 160 },
      connectTimeoutMs: 500,
      heartbeat: { intervalMs: 200, timeoutMs: 600 },
      fallback: { afterFailures: 2, pollWaitMs: 200, probeIntervalMs: 150 },
    });
    manager = m;
    const states: (ManagerEventMap["state"] & { at: number })[] = [];
    const retries: (ManagerEventMap["retry"] & { emittedAt: number })[] = [];
    m.on("state", (s) => states.push({ ...s, at: Date.now() }));
    m.on("retry", (r) => retries.push({ ...r, emittedAt: Date.now() }));
    m.connect();
    await until(() => m.state === "open" && m.stats().seq > 10, 3000, "open with data");

    const downAt = Date.now();
    await server.close();
    server = undefined;
    await until(() => m.state === "unreachable", 5000, "unreachable");
    const unreachableAt = Date.now();
    await sleep(1500);
    const upAt = Date.now();
    const during = states.filter((s) => s.at > downAt && s.at <= upAt).map((s) => s.to);
    const retriesDuring = retries.filter((r) => r.emittedAt > unreachableAt && r.emittedAt <= upAt);

    server = await startMockServer({ port, host: "127.0.0.1", tickMs: 20, rateHz: 50, hosts: 2, eventsRate: 0 });
    await until(() => m.state === "open" && m.transport === "websocket", 5000, "open again");
    const seqAtReturn = m.stats().seq;
    await until(() => m.stats().seq > seqAtReturn + 10, 3000, "data from the restarted server");

    // While the server was down: out of "open", into "unreachable", and never a state that
    // says the stream flows.
    const flowing: ConnectionState[] = ["open", "polling"];
    expect(during.filter((s) => flowing.includes(s)), `states while down: ${during.join(" > ")}`).toEqual([]);
    expect(during).toContain("unreachable");
    expect(during.at(-1)).toBe("unreachable");
    expect(unreachableAt - downAt, "unreachable within a few failed attempts").toBeLessThan(3000);
    // Every wait while down announced, each with a time ahead of its announcement.
    expect(retriesDuring.length).toBeGreaterThanOrEqual(5);
    for (const r of retriesDuring) expect(r.at).toBeGreaterThanOrEqual(r.emittedAt);
    expect(new Set(retriesDuring.map((r) => r.transport))).toEqual(new Set(["polling"]));

    // The restarted server is a new epoch: reported as such, its stream complete and correct.
    const stats = m.stats();
    expect(stats.state).toBe("open");
    expect(stats.gapsReported).toBeGreaterThanOrEqual(1);
    const check = checkSeries(m, 1, "default", stats.epoch === null ? -Infinity : Date.now() - 1000);
    expect(check.samples).toBeGreaterThan(0);
    expect(check.wrongValues).toBe(0);
    console.info(`server down ${upAt - downAt} ms: "unreachable" after ${unreachableAt - downAt} ms, ${retriesDuring.length} announced retries; states ${during.join(" > ")}`);
  });
});
