/**
 * An open socket that carries no stream, against the real mock server on 127.0.0.1: frames
 * lost on the way while the socket stays open (the `lose-frames` fault), and a hello that
 * never comes (`drop-hello`). In both the socket answers pings, so the heartbeat is happy;
 * the client must notice by itself, and recover without a gap: every seq the server produced
 * applied exactly once, every sample equal to the generator's value.
 */
import { expect, it } from "vitest";
import type { ManagerErrorCode } from "../src/client/types.js";
import { checkSeries, serverPosition, sleep, until, useLiveServer } from "./helpers/live.js";

const live = useLiveServer();

/**
 * A fast server and a manager that starts from its first frame, with every error code recorded.
 * The heartbeat deadline is generous: on a busy 2-core machine an event-loop pause of a few
 * hundred ms must not replace the socket (that would be a reconnect these tests rule out), nor
 * may a replay that is slow to come (more resubscribes are allowed before the socket is
 * replaced than by default; manager-holes.test.ts proves that limit on a manual clock).
 */
async function streaming(options: Parameters<typeof live.manager>[0] = {}) {
  const srv = await live.start({ tickMs: 20, rateHz: 50, hosts: 2, eventsRate: 20 });
  const m = live.manager({ startFrom: "retained", backoff: { minMs: 10, maxMs: 50 }, heartbeat: { intervalMs: 100, timeoutMs: 2000 }, holeRepair: { waitMs: 300, maxResubscribes: 6 }, ...options });
  const errors: ManagerErrorCode[] = [];
  m.on("error", (e) => errors.push(e.code));
  const states: string[] = [];
  m.on("state", (e) => states.push(e.to));
  m.connect();
  await until(() => m.state === "open", 3000, "open");
  await until(() => m.stats().seq > 10, 3000, "a few frames");
  return { srv, m, errors, states };
}

/** Wait until the client holds everything the server produced, then check it all. */
async function expectCaughtUpAndIntact(m: ReturnType<typeof live.manager>, httpUrl: string): Promise<void> {
  const position = await serverPosition(httpUrl);
  await until(() => m.stats().seq >= position.seq, 3000, `the client's seq (${m.stats().seq}) to reach the server's (${position.seq})`);
  const stats = m.stats();
  expect(stats.epoch).toBe(position.epoch);
  expect(stats.gapsReported).toBe(0);
  // The cursor moves one seq per applied frame unless a gap skips: every seq 1..N once.
  expect(stats.framesApplied).toBe(stats.seq);
  const check = checkSeries(m);
  expect(check.broken).toEqual([]);
  expect(check.wrongValues).toBe(0);
  expect(check.samples).toBeGreaterThan(0);
}

it("repairs frames lost on an open socket (lose-frames, count) with a resubscribe: no gap, no reconnect", async () => {
  const { srv, m, errors, states } = await streaming();
  const before = srv.service.stats().framesLost;
  srv.service.faults.inject({ kind: "lose-frames", count: 15 });
  await until(() => srv.service.stats().framesLost === before + 15, 3000, "15 frames lost");
  await expectCaughtUpAndIntact(m, srv.url);
  const stats = m.stats();
  expect(stats).toMatchObject({ state: "open", reconnects: 0 });
  expect(stats.holesRepaired).toBeGreaterThanOrEqual(1);
  expect(stats.resubscribes).toBeGreaterThanOrEqual(1);
  expect(stats.duplicatesDropped, "the held frames came again with the replay").toBeGreaterThan(0);
  expect(errors.filter((code) => code !== "seq_hole")).toEqual([]);
  expect(states).toEqual(["connecting", "open"]);
});

it("repairs a loss that lasts (lose-frames, durationMs) once the frames flow again", async () => {
  const { srv, m, states } = await streaming();
  srv.service.faults.inject({ kind: "lose-frames", durationMs: 300 });
  await until(() => srv.service.faults.active().length === 0, 3000, "the fault to end");
  await sleep(50);
  await expectCaughtUpAndIntact(m, srv.url);
  expect(m.stats()).toMatchObject({ state: "open", reconnects: 0, holesRepaired: 1 });
  expect(states).toEqual(["connecting", "open"]);
});

it("replaces a socket whose hello was lost (drop-hello) after handshakeTimeoutMs, and resumes without a gap", async () => {
  // WebSocket only: two hellos lost in a row would otherwise be enough to fall back to polling.
  const { srv, m, errors, states } = await streaming({ handshakeTimeoutMs: 250, fallback: { enabled: false } });
  srv.service.faults.inject({ kind: "drop-hello", durationMs: 400 });
  srv.service.faults.inject({ kind: "drop" });
  await until(() => errors.includes("handshake_timeout"), 3000, "a handshake timeout");
  // While the hello is missing, pongs keep the heartbeat satisfied: only the deadline helps.
  expect(errors).not.toContain("heartbeat_timeout");
  await until(() => m.state === "open", 3000, "open again");
  expect(srv.service.stats().hellosDropped).toBeGreaterThanOrEqual(1);
  expect(states.slice(0, 3)).toEqual(["connecting", "open", "reconnecting"]);
  expect(states.at(-1)).toBe("open");
  await expectCaughtUpAndIntact(m, srv.url);
});
