/**
 * The Redis Streams engine against a redis-server of its own (test/helpers/redis-server.ts):
 * the engine contract, then what only a shared store has: restarts, several gateways, Redis
 * down.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { RedisEngine, type Engine, type RedisEngineOptions } from "../src/index.js";
import { FeedRecorder, batch, must } from "./helpers/batches.js";
import { engineContract } from "./helpers/engine-contract.js";
import { RedisServer, freePort } from "./helpers/redis-server.js";

let server: RedisServer;
let prefixes = 0;

beforeAll(async () => {
  server = await RedisServer.start();
});

afterAll(async () => {
  await server?.stop();
});

async function redisEngine(options: Omit<RedisEngineOptions, "port"> & { port?: number } = {}): Promise<RedisEngine> {
  const engine = new RedisEngine({ port: server.port, keyPrefix: `t${prefixes++}`, log: () => undefined, tailBlockMs: 200, ...options });
  must(await engine.ready());
  return engine;
}

engineContract("redis", (options) => redisEngine(options), { propertyRuns: 60 });

describe("redis engine: a shared store", () => {
  const open: Engine[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((engine) => engine.close()));
    // A test that stopped the server leaves it running again for the next.
    if (server.pid === undefined) await server.launch();
  });
  const track = <T extends Engine>(engine: T): T => {
    open.push(engine);
    return engine;
  };

  it("two gateways appending into one source concurrently keep seq contiguous, each seq once", async () => {
    const keyPrefix = `shared${prefixes++}`;
    const a = track(await redisEngine({ keyPrefix }));
    const b = track(await redisEngine({ keyPrefix }));
    const now = Date.now();
    const appends: Array<Promise<unknown>> = [];
    for (let i = 0; i < 200; i++) {
      const gateway = i % 2 === 0 ? a : b;
      appends.push(gateway.append("s", batch({ [`g${i % 2}.x`]: [[now + i, i]] })).then(must));
    }
    const results = (await Promise.all(appends)) as Array<{ seq: number; frames: Array<{ seq: number }> }>;
    const seqs = results.flatMap((r) => r.frames.map((f) => f.seq)).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    const read = must(await a.read("s", { since: 0, epoch: must(await a.state("s")).epoch, max: 500 }));
    expect(read.frames.map((f) => f.seq)).toEqual(seqs);
    // Either gateway serves the same frames, byte for byte.
    const viaB = must(await b.read("s", { since: 0, epoch: read.epoch, max: 500 }));
    expect(viaB.frames.map((f) => f.json)).toEqual(read.frames.map((f) => f.json));
    expect(must(await b.catalogue("s")).map((m) => m.id)).toEqual(["g0.x", "g1.x"]);
  });

  it("a feed on one gateway receives what another gateway appends", async () => {
    const keyPrefix = `fan${prefixes++}`;
    const writer = track(await redisEngine({ keyPrefix }));
    const reader = track(await redisEngine({ keyPrefix }));
    const now = Date.now();
    must(await writer.append("s", batch({ x: [[now, 0]] })));
    const rec = new FeedRecorder();
    const feed = must(await reader.subscribe("s", rec.listener));
    expect(feed.seq).toBe(1);
    for (let i = 1; i <= 20; i++) must(await writer.append("s", batch({ x: [[now + i, i]] })));
    await rec.until(() => rec.seqs.length === 20);
    expect(rec.seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
    feed.close();
  });

  it("a restart of redis-server without persistence: exactly one new epoch, and the old cursor's gap is exact", async () => {
    const keyPrefix = `restart${prefixes++}`;
    const engine = track(await redisEngine({ keyPrefix, retention: { maxFrames: 2 } }));
    const now = Date.now();
    for (let i = 0; i < 3; i++) must(await engine.append("s", batch({ x: [[now + i, i]] })));
    const before = must(await engine.state("s"));
    const rec = new FeedRecorder();
    const feed = must(await engine.subscribe("s", rec.listener));
    await server.restart();
    must(await engine.ready(8000));
    // The first append after the restart finds the meta gone: a new epoch, from seq 1.
    let first = await engine.append("s", batch({ x: [[now + 10, 10]] }));
    for (let i = 0; i < 50 && !first.ok; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      first = await engine.append("s", batch({ x: [[now + 10, 10]] }));
    }
    const after = must(first);
    expect(after.newEpoch).toBe(true);
    expect(after.epoch).not.toBe(before.epoch);
    expect(after.frames[0].seq).toBe(1);
    for (let i = 0; i < 3; i++) must(await engine.append("s", batch({ x: [[now + 20 + i, i]] })));
    const state = must(await engine.state("s"));
    expect(state).toMatchObject({ epoch: after.epoch, seq: 4, oldestSeq: 3 });
    const resumed = must(await engine.read("s", { since: before.seq, epoch: before.epoch }));
    expect(resumed.gap).toEqual({ type: "gap", from: 1, to: 2, reason: "epoch" });
    expect(resumed.frames.map((f) => f.seq)).toEqual([3, 4]);
    await rec.until(() => rec.events.filter((e) => e.type === "epoch").length === 1 && rec.seqs.length >= 2);
    // Exactly one epoch change, and every epoch's appends counted once.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(rec.events.filter((e) => e.type === "epoch")).toEqual([{ type: "epoch", epoch: after.epoch, previous: before.epoch }]);
    const later = must(await engine.append("s", batch({ x: [[now + 30, 1]] })));
    expect(later).toMatchObject({ newEpoch: false, epoch: after.epoch, seq: 5 });
    feed.close();
  });

  it("a restart that reloads a snapshot (same meta, new run_id) is a new epoch too, once", async () => {
    const keyPrefix = `reload${prefixes++}`;
    const engine = track(await redisEngine({ keyPrefix }));
    const now = Date.now();
    for (let i = 0; i < 3; i++) must(await engine.append("s", batch({ x: [[now + i, i]] })));
    const before = must(await engine.state("s"));
    // Saved at seq 3; appends after the save are lost by the restart, so seqs 4-5 would be reused.
    await server.save();
    for (let i = 0; i < 2; i++) must(await engine.append("s", batch({ x: [[now + 5 + i, i]] })));
    await server.restart();
    must(await engine.ready(8000));
    let state = await engine.state("s");
    for (let i = 0; i < 50 && !state.ok; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      state = await engine.state("s");
    }
    const reloaded = must(state);
    expect(reloaded.epoch).not.toBe(before.epoch);
    expect(reloaded).toMatchObject({ seq: 0, oldestSeq: 1 });
    const next = must(await engine.append("s", batch({ x: [[now + 9, 9]] })));
    expect(next).toMatchObject({ newEpoch: false, epoch: reloaded.epoch, seq: 1 });
    // The catalogue survived with the snapshot.
    expect(must(await engine.catalogue("s")).map((m) => m.id)).toEqual(["x"]);
    // Later restarts start empty.
    await server.wipe();
  });

  it("Redis down: every call answers the unavailable error value, promptly; it recovers when Redis is back", async () => {
    const engine = track(await redisEngine({ commandTimeoutMs: 500 }));
    must(await engine.append("s", batch({ x: [[Date.now(), 1]] })));
    const rec = new FeedRecorder();
    const feed = must(await engine.subscribe("s", rec.listener));
    await server.stop({ keepDir: true });
    const started = Date.now();
    const calls = [
      await engine.append("s", batch({ x: [[Date.now(), 2]] })),
      await engine.read("s", { since: 0 }),
      await engine.state("s"),
      await engine.catalogue("s"),
      await engine.history("s", { ids: ["x"], from: Date.now() - 60_000, to: Date.now() }),
      await engine.snapshot("s"),
      await engine.sources(),
      await engine.subscribe("t", () => undefined),
    ];
    expect(Date.now() - started).toBeLessThan(5000);
    for (const call of calls) {
      expect(call.ok).toBe(false);
      if (!call.ok) {
        expect(call.error.code).toBe("unavailable");
        expect(call.error.message).toMatch(/^Redis at 127\.0\.0\.1:\d+ is unreachable: /);
      }
    }
    await rec.until(() => rec.events.some((e) => e.type === "unavailable"));
    await server.launch();
    must(await engine.ready(8000));
    await rec.until(() => rec.events.some((e) => e.type === "available"));
    let back = await engine.append("s", batch({ x: [[Date.now(), 3]] }));
    for (let i = 0; i < 50 && !back.ok; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      back = await engine.append("s", batch({ x: [[Date.now(), 3]] }));
    }
    expect(must(back).newEpoch).toBe(true);
    feed.close();
  });

  it("a port where nothing listens answers unavailable, never a local fallback", async () => {
    const engine = track(new RedisEngine({ port: await freePort(), commandTimeoutMs: 300, log: () => undefined }));
    const ready = await engine.ready(500);
    expect(ready.ok).toBe(false);
    const append = await engine.append("s", batch({ x: [[Date.now(), 1]] }));
    expect(append.ok).toBe(false);
    if (!append.ok) expect(append.error.code).toBe("unavailable");
  });
});
