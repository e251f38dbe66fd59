/**
 * Throughput benchmark: can the server stream each profile to one client in real time?
 *
 * For each profile it starts the CLI in a child process on an ephemeral port of 127.0.0.1,
 * connects one WebSocket client subscribed to everything, and measures for a bounded time
 * (BENCH_SECONDS, default 5) after a short warm-up:
 *   - points/s, frames/s and bytes/s received;
 *   - whether it kept up: points received vs the grid points due in the elapsed time, and the
 *     lag of the newest sample time behind the wall clock (median and max);
 *   - CPU % of the server process (from /proc) and of this client process.
 * A profile "keeps up" when it delivered >= 97% of the due points, seqs were contiguous and
 * the median lag stayed under 3 ticks.
 *
 * Run: npm run bench -w @pulseboard/mock-server
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";
import type { HelloFrame, ServerFrame } from "@pulseboard/protocol";
import { intervalForRate } from "../src/generator.js";

const SECONDS = Math.min(30, Math.max(1, Number(process.env.BENCH_SECONDS ?? 5)));
const WARM_UP_MS = 700;
const serverDir = fileURLToPath(new URL("..", import.meta.url));

interface Profile {
  name: string;
  flags: string[];
}

const PROFILES: Profile[] = [
  { name: "default (20 core @ 10 Hz + 200 hosts @ 1 Hz)", flags: [] },
  { name: "20 metrics @ 1000 Hz", flags: ["--rate", "1000", "--hosts", "0"] },
  { name: "10 000 hosts @ 1 Hz + core @ 10 Hz", flags: ["--hosts", "10000"] },
  { name: "firehose (220 channels @ 1000 Hz + 200 hosts)", flags: ["--profile", "firehose"] },
];

/** CPU time (user + system) of a process in ms, from /proc; undefined elsewhere. */
function processCpuMs(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    const ticksPerSecond = 100; // USER_HZ is 100 on Linux
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

async function startServer(flags: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ["--conditions=@pulseboard/source", "--import", "tsx", "src/cli.ts", "--port", "0", "--quiet", ...flags], {
    cwd: serverDir,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 20_000);
    child.stdout!.on("data", (chunk) => {
      out += String(chunk);
      const match = out.match(/http:\/\/127\.0\.0\.1:\d+/);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    });
    child.on("exit", (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
  return { child, url };
}

interface Result {
  profile: string;
  pointsPerSecond: number;
  duePerSecond: number;
  framesPerSecond: number;
  mbPerSecond: number;
  delivered: number;
  lagMedianMs: number;
  lagMaxMs: number;
  contiguous: boolean;
  serverCpu: number | undefined;
  clientCpu: number;
  keptUp: boolean;
}

async function measure(profile: Profile): Promise<Result> {
  const { child, url } = await startServer(profile.flags);
  const ws = new WebSocket(`${url.replace("http", "ws")}/ws`);
  let hello: HelloFrame | undefined;
  let measuring = false;
  let points = 0;
  let frames = 0;
  let bytes = 0;
  let lastSeq = 0;
  let contiguous = true;
  let newestT = 0;
  const lags: number[] = [];
  ws.on("message", (data: Buffer) => {
    const frame = JSON.parse(data.toString()) as ServerFrame;
    if (frame.type === "hello") {
      hello = frame;
      ws.send(JSON.stringify({ type: "subscribe", metrics: "*" }));
      return;
    }
    if (frame.type !== "data" && frame.type !== "events") return;
    if (lastSeq !== 0 && frame.seq !== lastSeq + 1) contiguous = false;
    lastSeq = frame.seq;
    if (!measuring || frame.type !== "data") return;
    frames += 1;
    bytes += data.length;
    for (const id in frame.series) {
      const { t } = frame.series[id];
      points += t.length;
      if (t[t.length - 1] > newestT) newestT = t[t.length - 1];
    }
    lags.push(Date.now() - newestT);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  await new Promise((resolve) => setTimeout(resolve, WARM_UP_MS));
  const serverCpu0 = processCpuMs(child.pid!);
  const clientCpu0 = process.cpuUsage();
  const started = performance.now();
  measuring = true;
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
  measuring = false;
  const elapsedMs = performance.now() - started;
  const serverCpu1 = processCpuMs(child.pid!);
  const clientCpu = process.cpuUsage(clientCpu0);
  ws.terminate();
  child.kill("SIGTERM");
  await new Promise((resolve) => child.once("exit", resolve));

  const duePerSecond = (hello?.metrics ?? []).reduce((sum, m) => sum + 1000 / intervalForRate(m.rateHz), 0);
  const seconds = elapsedMs / 1000;
  const sorted = [...lags].sort((a, b) => a - b);
  const lagMedianMs = sorted[Math.floor(sorted.length / 2)] ?? Infinity;
  const delivered = points / (duePerSecond * seconds);
  const tickMs = hello?.tickMs ?? 50;
  return {
    profile: profile.name,
    pointsPerSecond: points / seconds,
    duePerSecond,
    framesPerSecond: frames / seconds,
    mbPerSecond: bytes / seconds / 1e6,
    delivered,
    lagMedianMs,
    lagMaxMs: sorted[sorted.length - 1] ?? Infinity,
    contiguous,
    serverCpu: serverCpu0 === undefined || serverCpu1 === undefined ? undefined : ((serverCpu1 - serverCpu0) / elapsedMs) * 100,
    clientCpu: ((clientCpu.user + clientCpu.system) / 1000 / elapsedMs) * 100,
    keptUp: delivered >= 0.97 && contiguous && lagMedianMs < 3 * tickMs,
  };
}

const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

console.log(`Pulseboard mock server throughput: one client subscribed to "*", ${SECONDS} s per profile, Node ${process.version}\n`);
const results: Result[] = [];
for (const profile of PROFILES) {
  const r = await measure(profile);
  results.push(r);
  console.log(
    `${r.profile}\n` +
      `  points/s ${fmt(r.pointsPerSecond)} (due ${fmt(r.duePerSecond)}, delivered ${fmt(r.delivered * 100, 1)}%)  ` +
      `frames/s ${fmt(r.framesPerSecond, 1)}  ${fmt(r.mbPerSecond, 2)} MB/s\n` +
      `  lag of newest sample: median ${fmt(r.lagMedianMs)} ms, max ${fmt(r.lagMaxMs)} ms  seq contiguous: ${r.contiguous}\n` +
      `  CPU: server ${r.serverCpu === undefined ? "n/a" : `${fmt(r.serverCpu, 1)}%`}, client ${fmt(r.clientCpu, 1)}%  ` +
      `kept up: ${r.keptUp ? "yes" : "NO"}\n`,
  );
}
if (results.some((r) => !r.keptUp)) process.exitCode = 1;
