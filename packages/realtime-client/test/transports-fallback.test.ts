/**
 * WebSocket -> polling -> WebSocket against the real mock server: upgrades refused (HTTP 503,
 * which a browser only sees as a failed connection) push the client to long-polling, and it
 * returns make-before-break once a probe socket has caught up with the cursor. No frame is
 * lost or applied twice, and every value matches the generator.
 */
import { expect, it } from "vitest";
import type { ManagerEventMap } from "../src/client/types.js";
import { checkSeries, serverPosition, sleep, until, useLiveServer } from "./helpers/live.js";

const live = useLiveServer();

it("falls back to polling when upgrades are refused and returns make-before-break", async () => {
  const server = await live.start({ tickMs: 20, rateHz: 50, hosts: 4, eventsRate: 10 });
  const m = live.manager({
    startFrom: "retained",
    backoff: { minMs: 10, maxMs: 40 },
    heartbeat: { intervalMs: 200, timeoutMs: 600 },
    fallback: { afterFailures: 3, pollWaitMs: 200, probeIntervalMs: 250 },
  });
  const states: ManagerEventMap["state"][] = [];
  const transports: (ManagerEventMap["transport"] & { at: number })[] = [];
  m.on("state", (s) => states.push(s));
  m.on("transport", (t) => transports.push({ ...t, at: Date.now() }));
  m.connect();
  await until(() => m.state === "open", 3000, "open");
  await sleep(100);

  const refusedAt = Date.now();
  server.service.faults.inject({ kind: "refuse-upgrades", durationMs: 800 });
  server.service.faults.inject({ kind: "drop" });
  await until(() => m.transport === "polling", 3000, "fallback");
  const fallbackMs = transports[0].at - refusedAt;
  const seqAtFallback = m.stats().seq;
  await until(() => m.stats().seq > seqAtFallback + 10, 3000, "data over polling");
  await until(() => transports.length === 2, 4000, "return to WebSocket");
  const returnMs = transports[1].at - (refusedAt + 800);
  await sleep(200);

  expect(transports.map((t) => `${t.from}>${t.to}`)).toEqual(["websocket>polling", "polling>websocket"]);
  // Make-before-break: polling hands over straight to an open socket, never through a gap.
  const path = states.map((s) => s.to);
  expect(path.slice(path.indexOf("polling"))).toEqual(["polling", "open"]);
  const stats = m.stats();
  expect(stats).toMatchObject({ state: "open", transport: "websocket", fallbacks: 1, gapsReported: 0 });
  expect(stats.framesApplied).toBe(stats.seq); // 1..N, each exactly once
  const position = await serverPosition(server.url);
  expect(position.seq - stats.seq).toBeLessThanOrEqual(2); // caught up with the server
  const check = checkSeries(m);
  expect(check.samples).toBeGreaterThan(100);
  expect(check.broken).toEqual([]);
  expect(check.wrongValues).toBe(0);
  console.info(`fallback after ${fallbackMs} ms, back on WebSocket ${returnMs} ms after upgrades were accepted again; ${stats.duplicatesDropped} overlapping frames dropped`);
});

it("close() while polling and probing leaves the server with no connection or pending poll", async () => {
  const srv = await live.start({ tickMs: 20, hosts: 2, eventsRate: 0 });
  const m = live.manager({
    backoff: { minMs: 10, maxMs: 20 },
    fallback: { afterFailures: 2, pollWaitMs: 5000, probeIntervalMs: 50 },
  });
  m.connect();
  await until(() => m.state === "open", 3000, "open");
  srv.service.faults.inject({ kind: "refuse-upgrades", durationMs: 60_000 });
  srv.service.faults.inject({ kind: "drop" });
  await until(() => m.state === "polling", 3000, "polling");
  await until(() => srv.service.stats().pendingPolls === 1, 3000, "a long-poll held by the server");
  m.close();
  await until(() => srv.service.stats().pendingPolls === 0 && srv.service.stats().connections === 0, 2000, "server idle");
  const before = srv.service.stats();
  await sleep(200); // no probe, no poll after close()
  const after = srv.service.stats();
  expect(after.httpRequests).toBe(before.httpRequests);
  expect(after.connectionsAccepted).toBe(before.connectionsAccepted);
  expect(after.pendingPolls).toBe(0);
});
