/**
 * Ingest benchmark: InfluxDB line protocol parsed and appended into the memory engine, in
 * samples per second on one core.
 *
 *   npm run bench -w @pulseboard/server        (this and bench/redis.bench.ts)
 *   npx tsx bench/ingest.bench.ts              (from packages/server)
 *
 * Workload: what Telegraf's cpu input sends for 250 hosts of 4 cores, in bodies of 1000 lines
 * (Telegraf's default batch), 4 fields per line, nanosecond timestamps: 4000 samples per body,
 * 4000 series, a body every 10 s of data time. One engine takes every pass in turn (the
 * steady state of a long-running gateway: its series known, its rollups warm), each pass
 * over the next stretch of time; the figure is the median of the passes. Target: parse +
 * append >= 500 000 samples/s.
 */
import { performance } from "node:perf_hooks";
import { LineProtocolParser, MemoryEngine } from "../src/index.js";

const HOSTS = 250;
const CPUS = 4;
const BODIES = 50; // 200 000 samples per pass
const RUNS = 7;
const TARGET_SAMPLES_PER_S = 500_000;
const T0_MS = Math.floor(Date.now() / 60_000) * 60_000;

function buildBodies(pass: number): string[] {
  const bodies: string[] = [];
  let seed = 7 + pass;
  const random = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  for (let b = 0; b < BODIES; b++) {
    const ns = `${bodyTime(pass, b)}000000`;
    const lines: string[] = [];
    for (let h = 0; h < HOSTS; h++) {
      for (let c = 0; c < CPUS; c++) {
        const user = (random() * 60).toFixed(2);
        const system = (random() * 20).toFixed(2);
        const iowait = (random() * 5).toFixed(2);
        const idle = (100 - Number(user) - Number(system) - Number(iowait)).toFixed(2);
        lines.push(`cpu,cpu=cpu${c},host=h-${String(h).padStart(5, "0")} usage_user=${user},usage_system=${system},usage_idle=${idle},usage_iowait=${iowait} ${ns}`);
      }
    }
    bodies.push(lines.join("\n"));
  }
  return bodies;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function bodyTime(pass: number, body: number): number {
  return T0_MS + (pass * BODIES + body) * 10_000;
}

// Pass 0 warms up (JIT, the parser's key cache, the engine's series); passes 1..RUNS measure.
const passes = Array.from({ length: RUNS + 1 }, (_, pass) => buildBodies(pass));
const samplesPerPass = BODIES * HOSTS * CPUS * 4;
const megabytes = passes[0].reduce((n, b) => n + b.length, 0) / 1e6;

let sink = 0;
const parser = new LineProtocolParser();
let now = T0_MS;
const engine = new MemoryEngine({ clock: () => now });

function parsePass(pass: number): number {
  const start = performance.now();
  for (const body of passes[pass]) {
    const result = parser.parse(body, { now });
    if (result.errorCount > 0) throw new Error(`benchmark body rejected: ${result.errors[0].message}`);
    sink += result.samples;
  }
  return performance.now() - start;
}

async function ingestPass(pass: number): Promise<number> {
  const start = performance.now();
  for (let b = 0; b < BODIES; b++) {
    now = bodyTime(pass, b);
    const result = parser.parse(passes[pass][b], { now });
    const appended = await engine.append("bench", result.batch);
    if (!appended.ok) throw new Error(appended.error.message);
    sink += appended.value.samples;
  }
  return performance.now() - start;
}

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
const verdict = (rate: number): string => (rate >= TARGET_SAMPLES_PER_S ? "meets" : "BELOW");

console.log(`line protocol -> memory engine: ${BODIES} bodies of ${HOSTS * CPUS} lines (${samplesPerPass} samples, ${megabytes.toFixed(1)} MB), median of ${RUNS} passes`);
console.log(`  parse only              ${(parseRate / 1e6).toFixed(2).padStart(6)} M samples/s  (${(median(parseMs) / BODIES).toFixed(2)} ms per body)`);
console.log(`  parse + append          ${(ingestRate / 1e6).toFixed(2).padStart(6)} M samples/s  (${(median(ingestMs) / BODIES).toFixed(2)} ms per body)  target >= ${(TARGET_SAMPLES_PER_S / 1e6).toFixed(2)} M: ${verdict(ingestRate)}`);
if (sink === 0) console.log("(no samples?)");
if (ingestRate < TARGET_SAMPLES_PER_S) process.exitCode = 1;
