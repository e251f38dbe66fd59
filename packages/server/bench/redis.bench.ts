/**
 * Redis engine benchmark: appends per second through the append script (seq, XADD, the time
 * index, retention, latest samples and three rollup tiers in one atomic call), against a
 * redis-server of its own on a free loopback port (as the tests start it).
 *
 *   npm run bench -w @pulseboard/server        (this and bench/ingest.bench.ts)
 *   npx tsx bench/redis.bench.ts               (from packages/server)
 *
 * Three loads, each the median of several runs into a fresh source:
 * - one append in flight at a time (a single producer waiting for each answer);
 * - 16 in flight (many producers on one gateway; ioredis pipelines them on its connection);
 * - 16 in flight of 100 series x 10 samples (bulk ingest: samples per second).
 * Targets: the load a gateway of 64 sources at 20 frames/s each makes is 1 280 appends/s;
 * the targets ask for several times that.
 */
import { performance } from "node:perf_hooks";
import { RedisEngine, emptyBatch, type IngestBatch } from "../src/index.js";
import { RedisServer } from "../test/helpers/redis-server.js";

const RUNS = 5;

function makeBatch(series: number, samples: number, t0: number, seq: number): IngestBatch {
  const batch = emptyBatch();
  for (let s = 0; s < series; s++) {
    const t: number[] = [];
    const v: number[] = [];
    for (let i = 0; i < samples; i++) {
      t.push(t0 + seq * samples * 10 + i * 10);
      v.push(Math.round(Math.sin(seq + i + s) * 10_000) / 100);
    }
    batch.series.set(`bench.s${s}`, { t, v });
  }
  return batch;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

async function load(engine: RedisEngine, source: string, appends: number, inFlight: number, series: number, samples: number): Promise<number> {
  const t0 = Date.now();
  // Batches are built before the clock starts: this measures the engine, not the builder.
  const batches = Array.from({ length: appends }, (_, i) => makeBatch(series, samples, t0, i));
  const first = await engine.append(source, batches[0]);
  if (!first.ok) throw new Error(first.error.message);
  let next = 1;
  const start = performance.now();
  const worker = async (): Promise<void> => {
    while (next < appends) {
      const batch = batches[next++];
      const result = await engine.append(source, batch);
      if (!result.ok) throw new Error(result.error.message);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const seconds = (performance.now() - start) / 1000;
  const state = await engine.state(source);
  if (!state.ok || state.value.seq !== appends) throw new Error(`expected seq ${appends}, got ${state.ok ? state.value.seq : state.error.message}`);
  return (appends - 1) / seconds;
}

const server = await RedisServer.start();
const engine = new RedisEngine({ port: server.port, keyPrefix: "bench" });
try {
  const ready = await engine.ready();
  if (!ready.ok) throw new Error(ready.error.message);
  const cases = [
    { name: "1 in flight, 10 series x 1 sample ", appends: 2000, inFlight: 1, series: 10, samples: 1, target: 2000 },
    { name: "16 in flight, 10 series x 1 sample", appends: 6000, inFlight: 16, series: 10, samples: 1, target: 5000 },
    { name: "16 in flight, 100 series x 10     ", appends: 600, inFlight: 16, series: 100, samples: 10, target: 300 },
  ];
  let run = 0;
  console.log(`redis engine appends (redis-server on 127.0.0.1:${server.port}, median of ${RUNS} runs)`);
  let below = false;
  for (const c of cases) {
    await load(engine, `warm${run++}`, Math.min(c.appends, 500), c.inFlight, c.series, c.samples);
    const rates: number[] = [];
    for (let r = 0; r < RUNS; r++) rates.push(await load(engine, `run${run++}`, c.appends, c.inFlight, c.series, c.samples));
    const rate = median(rates);
    const samplesPerSecond = rate * c.series * c.samples;
    const verdict = rate >= c.target ? "meets" : "BELOW";
    if (rate < c.target) below = true;
    console.log(`  ${c.name}  ${rate.toFixed(0).padStart(6)} appends/s  ${(samplesPerSecond / 1000).toFixed(0).padStart(5)} k samples/s  target >= ${c.target} appends/s: ${verdict}`);
  }
  if (below) process.exitCode = 1;
} finally {
  await engine.close();
  await server.stop();
}
