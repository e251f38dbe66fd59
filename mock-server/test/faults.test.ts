// Fault injection: each fault does what docs/protocol.md says, and seq contiguity of real
// frames survives all of them.
import { describe, expect, it } from "vitest";
import type { HelloFrame, PollResponse, StreamFrame } from "@pulseboard/protocol";
import { TestClient, contiguous, getJson, seqsOf, startServer, waitFor } from "./helpers.js";

const finiteNumbers = (x: unknown): x is number[] => Array.isArray(x) && x.every((n) => typeof n === "number" && Number.isFinite(n));

/** Validates a stream frame the way a careful client would: shape, types, finite numbers. */
function isValidStreamFrame(m: unknown): m is StreamFrame {
  if (typeof m !== "object" || m === null || Array.isArray(m)) return false;
  const f = m as Record<string, unknown>;
  if (!Number.isSafeInteger(f.seq) || (f.seq as number) < 1) return false;
  if (f.type === "data") {
    if (typeof f.series !== "object" || f.series === null || Array.isArray(f.series)) return false;
    return Object.values(f.series as Record<string, { t: unknown; v: unknown }>).every(
      (s) => finiteNumbers(s?.t) && finiteNumbers(s?.v) && s.t.length === s.v.length,
    );
  }
  if (f.type === "events") {
    return Array.isArray(f.events) && f.events.every((e: Record<string, unknown>) => typeof e?.id === "number" && typeof e.text === "string" && e.text.length < 10_000);
  }
  return false;
}

/** Splits what a client received into real frames (valid, first of their seq) and the rest. */
function sortOut(received: unknown[]): { real: StreamFrame[]; garbage: unknown[] } {
  const real: StreamFrame[] = [];
  const garbage: unknown[] = [];
  const seen = new Set<number>();
  for (const m of received) {
    const type = (m as { type?: unknown })?.type;
    if (type === "hello" || type === "subscribed") continue;
    if (isValidStreamFrame(m) && !seen.has(m.seq)) {
      seen.add(m.seq);
      real.push(m);
    } else {
      garbage.push(m);
    }
  }
  return { real, garbage };
}

describe("faults", () => {
  it("drop: terminates every WebSocket abruptly; new connections work", async () => {
    const server = await startServer();
    const [a, b] = [await TestClient.connect(server), await TestClient.connect(server)];
    server.service.faults.inject({ kind: "drop" });
    expect((await a.waitClosed()).code).toBe(1006);
    expect((await b.waitClosed()).code).toBe(1006);
    const c = await TestClient.connect(server);
    await c.waitFor((x) => x.ofType("hello").length === 1, "hello after drop");
  });

  it("stall: sends nothing and ignores pings, then catches up from retention without a hole", async () => {
    const server = await startServer();
    const client = await TestClient.connect(server);
    client.subscribe();
    await client.waitFor((c) => c.stream.length >= 5, "frames");
    server.service.faults.inject({ kind: "stall", durationMs: 400 });
    const atStall = client.received.length;
    client.send({ type: "ping", id: 1, clientTime: 0 });
    let wsPongs = 0;
    client.ws.on("pong", () => wsPongs++);
    client.ws.ping();
    expect(server.service.faults.active()).toMatchObject([{ kind: "stall" }]);
    // HTTP keeps working during a stall, and the stream keeps producing into retention.
    const cursor = await getJson<PollResponse>(`${server.url}/api/poll`);
    await waitFor(() => server.service.stats().framesProduced > cursor.body.seq + 5, "frames produced during the stall");
    expect(client.received.length).toBe(atStall);
    expect(wsPongs).toBe(0);
    await client.waitFor((c) => c.lastSeq > cursor.body.seq + 5, "catch-up after the stall");
    expect(client.ofType("pong")).toEqual([]);
    expect(client.ofType("gap")).toEqual([]);
    expect(contiguous(seqsOf(client.stream))).toBe(true);
    expect(server.service.faults.active()).toEqual([]);
  });

  it("refuse-upgrades: WebSocket gets HTTP 503 while polling keeps working, until it expires", async () => {
    const server = await startServer();
    server.service.faults.inject({ kind: "refuse-upgrades", durationMs: 300 });
    await expect(TestClient.connect(server)).rejects.toThrow(/503/);
    const poll = await getJson<PollResponse>(`${server.url}/api/poll?since=0`);
    expect(poll.status).toBe(200);
    await waitFor(() => server.service.faults.active().length === 0, "the fault to expire");
    const client = await TestClient.connect(server);
    await client.waitFor((c) => c.ofType("hello").length === 1, "hello");
  });

  for (const variant of ["json", "shape", "nan", "huge", "mixed"] as const) {
    it(`garbage (${variant}): invalid frames arrive, but never consume a seq`, async () => {
      const server = await startServer();
      const client = await TestClient.connect(server);
      client.subscribe();
      await client.waitFor((c) => c.stream.length >= 3, "frames");
      const count = variant === "huge" ? 1 : 16;
      const before = client.raw.length;
      server.service.faults.inject({ kind: "garbage", count, variant });
      await client.waitFor((c) => c.raw.length >= before + count + 5, "garbage and more frames");
      const { real, garbage } = sortOut(client.received);
      expect(garbage.length).toBe(count);
      expect(contiguous(seqsOf(real))).toBe(true);
      // Garbage carrying a seq repeats one the client already has.
      const seqs = new Set(real.map((f) => f.seq));
      for (const g of garbage) {
        const seq = (g as { seq?: unknown })?.seq;
        if (typeof seq === "number" && seq > 0) expect(seqs.has(seq)).toBe(true);
      }
      if (variant === "huge") expect(client.raw.some((text) => text.length > 5 * 1024 * 1024)).toBe(true);
      if (variant === "nan") expect(client.raw.some((text) => text.includes('"NaN"') && text.includes("null"))).toBe(true);
      expect(server.service.stats().garbageSent).toBe(count);
    });
  }

  it("garbage: a burst larger than the send buffer cap is paced by the client's reading, never closed with 1013", async () => {
    // A mixed burst of 32 holds two 6 MiB frames: 12 MiB against the 8 MiB cap when queued at once.
    const server = await startServer({ tickMs: 50 });
    const client = await TestClient.connect(server);
    client.subscribe();
    await client.waitFor((c) => c.stream.length >= 3, "frames");
    const before = client.raw.length;
    server.service.faults.inject({ kind: "garbage", count: 32, variant: "mixed" });
    await client.waitFor((c) => c.raw.length >= before + 32 + 5 || c.closed !== undefined, "the garbage and more frames", 10_000);
    expect(client.closed, "the server did not close its own client for the fault's bytes").toBeUndefined();
    expect(server.service.stats().slowConsumersClosed).toBe(0);
    const { real, garbage } = sortOut(client.received);
    expect(garbage.length).toBe(32);
    expect(client.raw.filter((text) => text.length > 5 * 1024 * 1024)).toHaveLength(2);
    expect(contiguous(seqsOf(real))).toBe(true);
    expect(server.service.stats()).toMatchObject({ garbageSent: 32, garbageSkipped: 0 });
  });

  it("garbage: a message that can never fit under maxBufferedBytes is skipped and counted, the client stays connected", async () => {
    const server = await startServer({ tickMs: 50, maxBufferedBytes: 4 * 1024 * 1024 });
    const client = await TestClient.connect(server);
    client.subscribe();
    await client.waitFor((c) => c.stream.length >= 3, "frames");
    const before = client.raw.length;
    server.service.faults.inject({ kind: "garbage", count: 3, variant: "huge" });
    server.service.faults.inject({ kind: "garbage", count: 2, variant: "json" });
    await client.waitFor((c) => c.raw.length >= before + 2 + 5 || c.closed !== undefined, "the small garbage and more frames");
    await new Promise((resolve) => setTimeout(resolve, 200)); // a few ticks: a 1013 would have come by now
    expect(client.closed).toBeUndefined();
    expect(sortOut(client.received).garbage).toHaveLength(2);
    expect(server.service.stats()).toMatchObject({ garbageSent: 2, garbageSkipped: 3, slowConsumersClosed: 0 });
  });

  it("lose-frames (count): every connected client loses its next N frames on an open socket; a resubscribe from the cursor replays them", async () => {
    const server = await startServer();
    const [a, b] = [await TestClient.connect(server), await TestClient.connect(server)];
    a.subscribe();
    b.subscribe();
    await a.waitFor((c) => c.stream.length >= 3, "frames");
    await b.waitFor((c) => c.stream.length >= 3, "frames");
    const held = { a: a.lastSeq, b: b.lastSeq };
    server.service.faults.inject({ kind: "lose-frames", count: 5 });
    await a.waitFor((c) => c.lastSeq > held.a + 10, "frames after the loss");
    await b.waitFor((c) => c.lastSeq > held.b + 10, "frames after the loss");
    const holes = new Map<TestClient, { before: number; after: number }>();
    for (const [client, last] of [[a, held.a], [b, held.b]] as const) {
      const seqs = seqsOf(client.stream);
      const jumps = seqs.flatMap((seq, i) => (i > 0 && seq !== seqs[i - 1] + 1 ? [{ before: seqs[i - 1], after: seq }] : []));
      // One hole of exactly five seqs, at or after what the client held when the fault struck
      // (a frame may have been on its way); no gap frame, no close.
      expect(jumps).toHaveLength(1);
      expect(jumps[0].after - jumps[0].before - 1).toBe(5);
      expect(jumps[0].before).toBeGreaterThanOrEqual(last);
      expect(client.ofType("gap")).toEqual([]);
      expect(client.closed).toBeUndefined();
      holes.set(client, jumps[0]);
    }
    expect(server.service.stats().framesLost).toBe(10);
    // The lost frames are still retained: resubscribing from the cursor fills the hole.
    const { before } = holes.get(a)!;
    const newest = a.lastSeq;
    const from = a.stream.length;
    a.subscribe({ since: before, epoch: a.ofType("hello")[0].epoch });
    await a.waitFor((c) => c.lastSeq > newest + 2, "the replay");
    const replay = seqsOf(a.stream.slice(from));
    expect(replay.slice(replay.indexOf(before + 1)).length).toBeGreaterThan(newest - before);
    expect(contiguous(replay.slice(replay.indexOf(before + 1)))).toBe(true);
    expect(a.ofType("gap")).toEqual([]);
  });

  it("lose-frames (durationMs): every frame sent while it lasts is lost, pongs still come, and the stream goes on after it", async () => {
    const server = await startServer();
    const client = await TestClient.connect(server);
    client.subscribe();
    await client.waitFor((c) => c.stream.length >= 3, "frames");
    server.service.faults.inject({ kind: "lose-frames", durationMs: 200 });
    expect(server.service.faults.active()).toMatchObject([{ kind: "lose-frames" }]);
    const atFault = client.stream.length;
    client.send({ type: "ping", id: 7, clientTime: 1 });
    await client.waitFor((c) => c.ofType("pong").length === 1, "a pong during the loss");
    expect(client.stream.length - atFault, "at most the frames of a tick already on their way").toBeLessThanOrEqual(2);
    await waitFor(() => server.service.faults.active().length === 0, "the fault to end");
    await client.waitFor((c) => c.stream.length >= atFault + 5, "frames after the fault");
    // One hole, exactly as long as what the server lost (200 ms of 10 ms ticks), on a socket
    // that stayed open.
    const seqs = seqsOf(client.stream);
    const jumps = seqs.flatMap((seq, i) => (i > 0 && seq !== seqs[i - 1] + 1 ? [seq - seqs[i - 1] - 1] : []));
    expect(jumps).toEqual([server.service.stats().framesLost]);
    expect(jumps[0]).toBeGreaterThan(5);
    expect(client.ofType("gap")).toEqual([]);
    expect(client.closed).toBeUndefined();
  });

  it("drop-hello: a socket that opens while it lasts gets no hello, only pongs; one that opens after it gets its hello", async () => {
    const server = await startServer();
    server.service.faults.inject({ kind: "drop-hello", durationMs: 300 });
    const lost = await TestClient.connect(server);
    lost.send({ type: "ping", id: 1, clientTime: 1 });
    await lost.waitFor((c) => c.ofType("pong").length === 1, "pong");
    await waitFor(() => server.service.faults.active().length === 0, "the fault to end");
    const later = await TestClient.connect(server);
    await later.waitFor((c) => c.ofType("hello").length === 1, "hello after the fault");
    lost.send({ type: "ping", id: 2, clientTime: 2 });
    await lost.waitFor((c) => c.ofType("pong").length === 2, "a second pong");
    expect(lost.ofType("hello")).toEqual([]);
    expect(lost.closed).toBeUndefined();
    expect(server.service.stats().hellosDropped).toBe(1);
  });

  it("rejects a lose-frames spec without exactly one of count and durationMs", async () => {
    const server = await startServer();
    expect(() => server.service.faults.inject({ kind: "lose-frames" } as never)).toThrow(/exactly one/);
    expect(() => server.service.faults.inject({ kind: "lose-frames", count: 3, durationMs: 10 } as never)).toThrow(/exactly one/);
    expect(() => server.service.faults.inject({ kind: "lose-frames", count: 0 })).toThrow(/count/);
    expect(() => server.service.faults.inject({ kind: "drop-hello", durationMs: 0 })).toThrow(/durationMs/);
  });

  it("slow: delays WebSocket sends and HTTP replies", async () => {
    const server = await startServer();
    const client = await TestClient.connect(server);
    await client.waitFor((c) => c.ofType("hello").length === 1, "hello");
    server.service.faults.inject({ kind: "slow", durationMs: 2000, delayMs: 150 });
    const sent = Date.now();
    client.send({ type: "ping", id: 1, clientTime: sent });
    await client.waitFor((c) => c.ofType("pong").length === 1, "pong");
    expect(Date.now() - sent).toBeGreaterThanOrEqual(140);
    const t0 = Date.now();
    await getJson(`${server.url}/healthz`);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    server.service.faults.clear();
    const t1 = Date.now();
    await getJson(`${server.url}/healthz`);
    expect(Date.now() - t1).toBeLessThan(140);
  });

  it("restart: drops everything and starts a new epoch with seq from 1", async () => {
    const server = await startServer();
    const client = await TestClient.connect(server);
    client.subscribe();
    await client.waitFor((c) => c.stream.length >= 20, "frames");
    const oldHello = client.ofType("hello")[0];
    const held = client.lastSeq;
    server.service.faults.inject({ kind: "restart" });
    expect((await client.waitClosed()).code).toBe(1006);
    const back = await TestClient.connect(server);
    back.subscribe({ since: held, epoch: oldHello.epoch });
    await back.waitFor((c) => c.stream.length >= 2, "frames of the new epoch");
    const hello = back.frames[0] as HelloFrame;
    expect(hello.epoch).not.toBe(oldHello.epoch);
    expect(hello.seq).toBeLessThan(held);
    // The new epoch is retained from its first frame: it is replayed from seq 1, no gap.
    expect(back.ofType("subscribed")[0].since).toBe(0);
    expect(back.ofType("gap")).toEqual([]);
    expect(back.stream[0].seq).toBe(1);
    expect(contiguous(seqsOf(back.stream))).toBe(true);
  });

  it("clear: ends every timed fault at once", async () => {
    const server = await startServer();
    server.service.faults.inject({ kind: "stall", durationMs: 60_000 });
    server.service.faults.inject({ kind: "refuse-upgrades", durationMs: 60_000 });
    expect(server.service.faults.active().map((f) => f.kind).sort()).toEqual(["refuse-upgrades", "stall"]);
    server.service.faults.inject({ kind: "clear" });
    expect(server.service.faults.active()).toEqual([]);
    const client = await TestClient.connect(server);
    client.subscribe();
    await client.waitFor((c) => c.stream.length >= 2, "frames");
  });

  it("rejects invalid specs from the programmatic API", async () => {
    const server = await startServer();
    expect(() => server.service.faults.inject({ kind: "stall", durationMs: -1 })).toThrow(RangeError);
    expect(() => server.service.faults.inject({ kind: "nope" } as never)).toThrow(/kind/);
  });

  it("exposes POST/GET /admin/faults when enabled, validating the body", async () => {
    const server = await startServer({ faults: true });
    const post = (body: string) => getJson<{ ok?: boolean; active?: unknown[]; error?: { code: string } }>(`${server.url}/admin/faults`, { method: "POST", body, headers: { "content-type": "application/json" } });
    const ok = await post(JSON.stringify({ kind: "refuse-upgrades", durationMs: 5000 }));
    expect(ok.status).toBe(200);
    expect(ok.body.active).toMatchObject([{ kind: "refuse-upgrades" }]);
    const listed = await getJson<{ active: { kind: string; remainingMs: number }[] }>(`${server.url}/admin/faults`);
    expect(listed.body.active[0].kind).toBe("refuse-upgrades");
    expect(listed.body.active[0].remainingMs).toBeGreaterThan(4000);
    await expect(TestClient.connect(server)).rejects.toThrow(/503/);
    expect((await post("{not json")).body.error?.code).toBe("bad_json");
    const bad = await post(JSON.stringify({ kind: "slow", durationMs: 10 }));
    expect([bad.status, bad.body.error?.code]).toEqual([400, "bad_message"]);
    expect((await post(JSON.stringify({ kind: "clear" }))).body.active).toEqual([]);
  });
});
