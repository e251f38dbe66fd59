// The WebSocket protocol end to end, over real sockets on 127.0.0.1.
import { describe, expect, it } from "vitest";
import type { DataFrame, EventsFrame, HelloFrame, StreamFrame } from "@pulseboard/protocol";
import { generateValue } from "../src/index.js";
import { TestClient, contiguous, seqsOf, startServer } from "./helpers.js";

const dataFrames = (frames: StreamFrame[]) => frames.filter((f): f is DataFrame => f.type === "data");

describe("WebSocket /ws", () => {
  it("sends hello, then subscribed, then data frames whose values equal the generator", async () => {
    const server = await startServer({ seed: 42 });
    const client = await TestClient.connect(server, { source: "default" });
    await client.waitFor((c) => c.frames.length >= 1, "hello");
    const hello = client.frames[0] as HelloFrame;
    expect(hello).toMatchObject({ type: "hello", protocol: 1, source: "default", retentionMs: 120_000, tickMs: 10 });
    expect(typeof hello.epoch).toBe("string");
    expect(hello.seq).toBeGreaterThanOrEqual(0);
    expect(hello.oldestSeq).toBeLessThanOrEqual(hello.seq + 1);
    expect(hello.metrics.map((m) => m.id)).toContain("host.h-00002.cpu");
    expect(Math.abs(hello.serverTime - Date.now())).toBeLessThan(1000);

    client.subscribe();
    await client.waitFor((c) => dataFrames(c.stream).length >= 5, "five data frames");
    expect(client.frames[1]).toMatchObject({ type: "subscribed", metrics: "*", since: null });
    const subscribedSeq = (client.frames[1] as { seq: number }).seq;
    expect(client.stream[0].seq).toBe(subscribedSeq + 1);
    let checked = 0;
    for (const frame of dataFrames(client.stream)) {
      for (const [id, { t, v }] of Object.entries(frame.series)) {
        expect(t.length).toBe(v.length);
        t.forEach((time, i) => expect(v[i]).toBe(generateValue(42, "default", id, time)));
        checked += t.length;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it("keeps seqs contiguous per source, and sources independent", async () => {
    const server = await startServer();
    const a = await TestClient.connect(server, { source: "alpha" });
    const b = await TestClient.connect(server, { source: "beta" });
    a.subscribe();
    b.subscribe();
    await a.waitFor((c) => c.stream.length >= 30, "30 frames on alpha");
    await b.waitFor((c) => c.stream.length >= 30, "30 frames on beta");
    expect(contiguous(seqsOf(a.stream))).toBe(true);
    expect(contiguous(seqsOf(b.stream))).toBe(true);
    const [helloA, helloB] = [a.frames[0] as HelloFrame, b.frames[0] as HelloFrame];
    expect(helloA.source).toBe("alpha");
    expect(helloB.source).toBe("beta");
    expect(helloA.epoch).not.toBe(helloB.epoch);
    // Same time, different source: different values.
    const cpuA = dataFrames(a.stream).find((f) => f.series["cpu.usage"])!.series["cpu.usage"];
    expect(cpuA.v[0]).toBe(generateValue(1, "alpha", "cpu.usage", cpuA.t[0]));
    expect(cpuA.v[0]).not.toBe(generateValue(1, "beta", "cpu.usage", cpuA.t[0]));
  });

  it("resumes with since: replays exactly the missed frames, as a connected client saw them", async () => {
    const server = await startServer({ eventsRate: 50 });
    const witness = await TestClient.connect(server);
    witness.subscribe({ since: 0 });
    const leaver = await TestClient.connect(server);
    leaver.subscribe({ since: 0 });
    await leaver.waitFor((c) => c.stream.length >= 10, "frames before leaving");
    leaver.close();
    await leaver.waitClosed();
    const held = leaver.lastSeq;
    const epoch = (leaver.frames[0] as HelloFrame).epoch;
    // Let frames go by while the client is away.
    await witness.waitFor((c) => c.lastSeq >= held + 20, "20 frames missed");
    const back = await TestClient.connect(server);
    back.subscribe({ since: held, epoch });
    await back.waitFor((c) => c.lastSeq >= held + 30, "replay and live frames");
    await witness.waitFor((c) => c.lastSeq >= back.lastSeq, "witness to catch up");
    expect(back.ofType("gap")).toEqual([]);
    expect(back.stream[0].seq).toBe(held + 1);
    expect(contiguous(seqsOf(back.stream))).toBe(true);
    const fromWitness = witness.stream.filter((f) => f.seq > held && f.seq <= back.lastSeq);
    expect(back.stream).toEqual(fromWitness);
    // And the part before leaving matched the witness too.
    expect(leaver.stream).toEqual(witness.stream.filter((f) => f.seq <= held));
  });

  it("sends a gap with the exact unreplayable range when since is older than retention", async () => {
    const server = await startServer({ retentionMs: 200, rateHz: 100 });
    const client = await TestClient.connect(server);
    // Wait until frames 1..n have been evicted.
    await client.waitFor((c) => (c.frames[0] as HelloFrame | undefined) !== undefined, "hello");
    await new Promise((resolve) => setTimeout(resolve, 400));
    client.subscribe({ since: 1 });
    await client.waitFor((c) => c.stream.length >= 3, "frames after the gap");
    const gap = client.ofType("gap");
    expect(gap.length).toBe(1);
    expect(gap[0].reason).toBe("retention");
    expect(gap[0].from).toBe(2);
    // The frame after the gap is the oldest retained one: the range is exact.
    expect(client.stream[0].seq).toBe(gap[0].to + 1);
    expect(gap[0].to).toBeGreaterThan(2);
    expect(contiguous(seqsOf(client.stream))).toBe(true);
    const order = client.frames.map((f) => f.type);
    expect(order.indexOf("gap")).toBe(order.indexOf("subscribed") + 1);
  });

  it("sends an epoch gap for the evicted start of the epoch when the client's epoch is another one", async () => {
    const server = await startServer({ retentionMs: 100 });
    const client = await TestClient.connect(server);
    await client.waitFor((c) => c.ofType("hello").length === 1, "hello");
    await new Promise((resolve) => setTimeout(resolve, 250));
    client.subscribe({ since: 3, epoch: "some-older-epoch" });
    await client.waitFor((c) => c.stream.length >= 2, "frames");
    expect(client.frames[1]).toMatchObject({ type: "subscribed", since: 0 });
    const [gap] = client.ofType("gap");
    expect(gap).toMatchObject({ type: "gap", reason: "epoch", from: 1 });
    expect(gap.to).toBeGreaterThanOrEqual(1);
    expect(client.stream[0].seq).toBe(gap.to + 1);
  });

  it("replays a fully retained epoch from seq 1, without a gap, for a cursor of another epoch", async () => {
    const server = await startServer();
    const client = await TestClient.connect(server);
    client.subscribe({ since: 3, epoch: "some-older-epoch" });
    await client.waitFor((c) => c.stream.length >= 2, "frames");
    expect(client.frames[1]).toMatchObject({ type: "subscribed", since: 0 });
    expect(client.ofType("gap")).toEqual([]);
    expect(client.stream[0].seq).toBe(1);
  });

  it("answers since ahead of the stream with bad_since and no subscription", async () => {
    const server = await startServer();
    const client = await TestClient.connect(server);
    client.subscribe({ since: 1_000_000 });
    await client.waitFor((c) => c.ofType("error").length === 1, "an error");
    expect(client.ofType("error")[0].code).toBe("bad_since");
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(client.stream).toEqual([]);
  });

  it("filters series by subscription but still delivers every seq", async () => {
    const server = await startServer({ eventsRate: 100 });
    const client = await TestClient.connect(server);
    client.subscribe({ metrics: ["latency.p99", "host.h-00001.cpu"], events: false });
    await client.waitFor((c) => c.stream.length >= 40, "40 frames");
    expect(client.frames[1]).toMatchObject({ type: "subscribed", metrics: ["latency.p99", "host.h-00001.cpu"] });
    expect(contiguous(seqsOf(client.stream))).toBe(true);
    const data = dataFrames(client.stream);
    for (const f of data) expect(Object.keys(f.series).every((id) => id === "latency.p99" || id === "host.h-00001.cpu")).toBe(true);
    expect(data.some((f) => f.series["latency.p99"])).toBe(true);
    const events = client.stream.filter((f): f is EventsFrame => f.type === "events");
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((f) => f.events.length === 0)).toBe(true);
  });

  it("replaces the subscription on re-subscribe; the new filter applies from the next frame", async () => {
    const server = await startServer();
    const client = await TestClient.connect(server);
    client.subscribe({ metrics: ["cpu.usage"] });
    await client.waitFor((c) => dataFrames(c.stream).length >= 3, "cpu frames");
    client.subscribe({ metrics: ["memory.usage"] });
    await client.waitFor((c) => c.ofType("subscribed").length === 2 && c.stream.at(-1)!.seq > c.ofType("subscribed")[1].seq + 3, "memory frames");
    const switchSeq = client.ofType("subscribed")[1].seq;
    for (const f of dataFrames(client.stream)) {
      const ids = Object.keys(f.series);
      expect(ids.every((id) => id === (f.seq <= switchSeq ? "cpu.usage" : "memory.usage"))).toBe(true);
    }
    // Live re-subscribe without since continues the stream without a hole.
    expect(contiguous(seqsOf(client.stream))).toBe(true);
  });

  it("answers ping with pong and the server time", async () => {
    const server = await startServer();
    const client = await TestClient.connect(server);
    const before = Date.now();
    client.send({ type: "ping", id: 7, clientTime: 123.5 });
    await client.waitFor((c) => c.ofType("pong").length === 1, "pong");
    const pong = client.ofType("pong")[0];
    expect(pong).toMatchObject({ type: "pong", id: 7, clientTime: 123.5 });
    expect(pong.serverTime).toBeGreaterThanOrEqual(before);
    expect(pong.serverTime).toBeLessThanOrEqual(Date.now());
  });

  it("shares one serialization between clients with the same subscription", async () => {
    const server = await startServer();
    const [a, b] = [await TestClient.connect(server), await TestClient.connect(server)];
    a.subscribe({ metrics: ["cpu.usage"] });
    b.subscribe({ metrics: ["cpu.usage"] });
    await a.waitFor((c) => c.stream.length >= 10, "frames");
    await b.waitFor((c) => c.lastSeq >= a.stream[9].seq, "frames");
    const seq = dataFrames(a.stream).find((f) => f.seq >= b.stream[0].seq)!.seq;
    const rawOf = (c: TestClient) => c.raw.find((text) => text.startsWith(`{"type":"data","seq":${seq},`));
    expect(rawOf(a)).toBeDefined();
    expect(rawOf(a)).toBe(rawOf(b));
  });

  it("handles 10 000 hosts: a 10 020-metric catalogue and per-host subscriptions", async () => {
    const server = await startServer({ hosts: 10_000, rateHz: 10 });
    const client = await TestClient.connect(server);
    client.subscribe({ metrics: ["host.h-10000.cpu", "host.h-00001.cpu"] });
    await client.waitFor((c) => dataFrames(c.stream).filter((f) => f.series["host.h-10000.cpu"]).length >= 1, "a host sample", 5000);
    expect(client.ofType("hello")[0].metrics.length).toBe(10_020);
    const frame = dataFrames(client.stream).find((f) => f.series["host.h-10000.cpu"])!;
    expect(Object.keys(frame.series).sort()).toEqual(["host.h-00001.cpu", "host.h-10000.cpu"]);
    const { t, v } = frame.series["host.h-10000.cpu"];
    expect(t[0] % 1000).toBe(0);
    expect(v[0]).toBe(generateValue(1, "default", "host.h-10000.cpu", t[0]));
  });
});
