/**
 * Ingest benchmark: InfluxDB line protocol parsed and appended into the memory engine, in
 * samples per second on one core.
 *
 *   npm run bench -w @pulseboard/server        (this and bench/redis.bench.ts)
 *   npx tsx bench/ingest.bench.ts              (from packages/server)
 *
 * Two Telegraf-shaped workloads (the cpu input, 4 fields per line, nanosecond timestamps,
 * bodies of 1000 lines as Telegraf batches them, 4000 samples per body, a body per 10 s of
 * data time):
 * - "many series": 250 hosts x 4 cores sampled every 10 s, 4000 series with one sample each
 *   per body. The worst case: every sample is a series of its own (a cold cache line) and
 *   opens a new bucket in each rollup tier.
 * - "dense": 25 hosts x 4 cores sampled every second, 400 series with ten samples each.
 * One engine takes every pass of a workload in turn (the steady state of a long-running
 * gateway: its series known, its rollups warm), each pass over the next stretch of time; the
 * figure is the median of the passes. Target: parse + append >= 500 000 samples/s.
 */
import { performance } from "node:perf_hooks";
import { LineProtocolParser, MemoryEngine } from "../src/index.js";

const CPUS = 4;
const LINES = 1000;
const BODIES = 50; // 200 000 samples per pass
const RUNS = 7;
const TARGET_SAMPLES_PER_S = 500_000;
const BODY_SPAN_MS = 10_000;
const T0_MS = Math.floor(Date.now() / 60_000) * 60_000;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function bodyTime(pass: number, body: number): number {
  return T0_MS + (pass * BODIES + body) * BODY_SPAN_MS;
}

/** The bodies of one pass: `hosts` x 4 cores, each sampled LINES / (hosts x 4) times per body. */
function buildBodies(pass: number, hosts: number): string[] {
  const bodies: string[] = [];
  const perBody = LINES / (hosts * CPUS);
  let seed = 7 + pass;
  const random = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  for (let b = 0; b < BODIES; b++) {
    const lines: string[] = [];
    for (let k = 0; k < perBody; k++) {
      const ns = `${bodyTime(pass, b) + k * (BODY_SPAN_MS / perBody)}000000`;
      for (let h = 0; h < hosts; h++) {
        for (let c = 0; c < CPUS; c++) {
          const user = (random() * 60).toFixed(2);
          const system = (random() * 20).toFixed(2);
          const iowait = (random() * 5).toFixed(2);
          const idle = (100 - Number(user) - Number(system) - Number(iowait)).toFixed(2);
          lines.push(`cpu,cpu=cpu${c},host=h-${String(h).padStart(5, "0")} usage_user=${user},usage_system=${system},usage_idle=${idle},usage_iowait=${iowait} ${ns}`);
        }
      }
    }
    bodies.push(lines.join("\n"));
  }
  return bodies;
}

let sink = 0;
const samplesPerPass = BODIES * LINES * 4;
let failed = false;

async function workload(name: string, hosts: number): Promise<void> {
  // Pass 0 warms up (JIT, the parser's key cache, the engine's series); passes 1..RUNS measure.
  const passes = Array.from({ length: RUNS + 1 }, (_, pass) => buildBodies(pass, hosts));
  const parser = new LineProtocolParser();
  let now = T0_MS;
  const engine = new MemoryEngine({ clock: () => now });
  const parsePass = (pass: number): number => {
    const start = performance.now();
    for (const body of passes[pass]) {
      const result = parser.parse(body, { now });
      if (result.errorCount > 0) throw new Error(`benchmark body rejected: ${result.errors[0].message}`);
      sink += result.samples;
    }
    return performance.now() - start;
  };
  const ingestPass = async (pass: number): Promise<number> => {
    const start = performance.now();
    for (let b = 0; b < BODIES; b++) {
      now = bodyTime(pass, b) + BODY_SPAN_MS;
      const result = parser.parse(passes[pass][b], { now });
      const appended = await engine.append("bench", result.batch);
      if (!appended.ok) throw new Error(appended.error.message);
      sink += appended.value.samples;
    }
    return performance.now() - start;
  };
  parsePass(0);
  await ingestPass(0);
  const parseMs: number[] = [];
  const ingestMs: number[] = [];
  for (let r = 1; r <= RUNS; r++) {
    parseMs.push(parsePass(r));
    ingestMs.push(await ingestPass(r));
  }
  await engine.close();
  const parseRate = samplesPerPass / (median(parseMs) / 1000);
  const ingestRate = samplesPerPass / (median(ingestMs) / 1000);
  const verdict = ingestRate >= TARGET_SAMPLES_PER_S ? "meets" : "BELOW";
  if (ingestRate < TARGET_SAMPLES_PER_S) failed = true;
  const series = hosts * CPUS * 4;
  console.log(`  ${name.padEnd(12)} ${String(series).padStart(5)} series  parse ${(parseRate / 1e6).toFixed(2)} M samples/s   parse + append ${(ingestRate / 1e6).toFixed(2)} M samples/s (${(median(ingestMs) / BODIES).toFixed(2)} ms per body)   target >= ${(TARGET_SAMPLES_PER_S / 1e6).toFixed(2)} M: ${verdict}`);
}

console.log(`line protocol -> memory engine: ${BODIES} bodies of ${LINES} lines (${samplesPerPass} samples) per pass, median of ${RUNS} passes`);
await workload("many series", 250);
await workload("dense", 25);
if (sink === 0) console.log("(no samples?)");
if (failed) process.exitCode = 1;
