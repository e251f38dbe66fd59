/**
 * The Node example, examples/node-tail.ts, run as its header says (with tsx) against the real
 * mock server on 127.0.0.1: it connects, prints what it promises (state changes, the hello,
 * then once a second the newest value of a few metrics with their units and the transport's
 * figures), every printed value is the generator's value at one recent grid time, and it
 * closes the client and exits 0 on Ctrl-C (SIGINT) or after `--seconds`.
 *
 * examples/vanilla is type-checked with the package (tsconfig.json includes examples/); the
 * browser path of the client is covered by the dashboard's end-to-end tests.
 *
 * The README's code: every `ts` and `tsx` block is marked. `<!-- example: PATH -->` blocks are files of
 * this package, word for word, that run (node-import.ts here; quick-start/main.ts in Chromium,
 * tests/e2e/readme-quick-start.test.ts); `<!-- checked: PATH -->` blocks are checked word for
 * word by that test file; `<!-- fragment -->` blocks are excerpts that need a program around
 * them. A block without a marker fails here, so no runnable block can drift from the code.
 * The framework section's examples are the adapters' files (packages/solid/examples, rendered
 * by its readme test; packages/react/examples/live, run in Chromium by
 * tests/e2e/react-example.test.ts; examples/vue, tested beside it).
 */
import { spawn, spawnSync, type ChildProcessByStdio } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULTS, generateValue, intervalForRate, startMockServer, type RunningMockServer } from "@pulseboard/mock-server";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const EXAMPLE = "packages/realtime-client/examples/node-tail.ts";
/** The server's defaults: seed 1, and the example watches source `default`. */
const SEED = DEFAULTS.seed;
const SOURCE = "default";
/** How far before its print time the newest printed sample may lie. */
const MAX_SAMPLE_AGE_MS = 5000;
const DAY_MS = 86_400_000;

interface Line {
  text: string;
  /** Date.now() when the test read it. */
  receivedAt: number;
}

interface Tail {
  lines: Line[];
  stderr(): string;
  /** Resolves when the process exits. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  child: ChildProcessByStdio<null, Readable, Readable>;
  /** Waits until `find` returns something for the lines so far; fails with `what` and the output. */
  waitFor<T>(find: (lines: Line[]) => T | undefined, timeoutMs: number, what: string): Promise<T>;
}

const tails: Tail[] = [];
let server: RunningMockServer | undefined;

afterEach(async () => {
  for (const tail of tails.splice(0)) {
    if (tail.child.exitCode === null && tail.child.signalCode === null) tail.child.kill("SIGKILL");
    await tail.exited;
  }
  await server?.close();
  server = undefined;
});

function runTail(args: string[]): Tail {
  const child = spawn(process.execPath, ["--conditions=@pulseboard/source", "--import", "tsx", EXAMPLE, ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  const lines: Line[] = [];
  let partial = "";
  let stderr = "";
  const waiters = new Set<() => void>();
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    const parts = (partial + chunk).split("\n");
    partial = parts.pop() ?? "";
    const receivedAt = Date.now();
    for (const text of parts) lines.push({ text, receivedAt });
    for (const wake of waiters) wake();
  });
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      for (const wake of waiters) wake();
      resolve({ code, signal });
    });
  });
  const output = () => `stdout:\n  ${lines.map((l) => l.text).join("\n  ") || "(nothing)"}\nstderr:\n  ${stderr || "(nothing)"}`;
  const tail: Tail = {
    lines,
    stderr: () => stderr,
    exited,
    child,
    waitFor: (find, timeoutMs, what) =>
      new Promise((resolve, reject) => {
        const done = (error?: Error, value?: unknown) => {
          clearTimeout(timer);
          waiters.delete(check);
          if (error) reject(error);
          else resolve(value as never);
        };
        const check = () => {
          const found = find(lines);
          if (found !== undefined) done(undefined, found);
          else if (child.exitCode !== null || child.signalCode !== null) {
            done(new Error(`${what}: node-tail exited (code ${child.exitCode}, signal ${child.signalCode}) first\n${output()}`));
          }
        };
        const timer = setTimeout(() => done(new Error(`${what}: not within ${timeoutMs / 1000} s\n${output()}`)), timeoutMs);
        waiters.add(check);
        check();
      }),
  };
  tails.push(tail);
  return tail;
}

/** `HH:MM:SS.mmm` (UTC) as printed, to epoch ms: the instant of that time of day nearest `near`. */
function printedTime(stamp: string, near: number): number {
  const [h, m, s] = stamp.split(":").map(Number);
  const midnight = Math.floor(near / DAY_MS) * DAY_MS;
  const t = midnight + Math.round(((h * 60 + m) * 60 + s) * 1000);
  return [t - DAY_MS, t, t + DAY_MS].reduce((best, c) => (Math.abs(c - near) < Math.abs(best - near) ? c : best));
}

interface Cell {
  id: string;
  /** As printed: two decimals, or "-" before the first sample. */
  value: string;
  unit: string;
}

interface DataLine {
  text: string;
  /** Epoch ms of the print. */
  at: number;
  receivedAt: number;
  cells: Cell[];
  transport: string;
  messagesPerSecond: number;
}

const DATA_LINE = /^(\d\d:\d\d:\d\d\.\d{3}) (.+?) {2}\| (\S+) (\d+) msg\/s, rtt (?:\d+(?:\.\d+)?|-) ms, lag (?:-?\d+(?:\.\d+)?|-) ms$/;
const CELL = /^([^=\s]+)=(-|-?\d+\.\d{2})(\S*)$/;

/** The once-a-second value line, or undefined for any other line. */
function parseDataLine(line: Line): DataLine | undefined {
  const match = DATA_LINE.exec(line.text);
  if (!match) return undefined;
  const cells = match[2].split(/ {2}/).map((cell): Cell => {
    const parts = CELL.exec(cell);
    if (!parts) throw new Error(`unexpected cell "${cell}" in: ${line.text}`);
    return { id: parts[1], value: parts[2], unit: parts[3] };
  });
  return { text: line.text, at: printedTime(match[1], line.receivedAt), receivedAt: line.receivedAt, cells, transport: match[3], messagesPerSecond: Number(match[4]) };
}

/** The first `count` value lines in which every metric has a value. */
const liveLines = (count: number) => (lines: Line[]) => {
  const live = lines.map(parseDataLine).filter((d): d is DataLine => d !== undefined && d.cells.every((c) => c.value !== "-"));
  return live.length >= count ? live.slice(0, count) : undefined;
};

/**
 * Checks one value line against the server: the ids and units are the catalogue's, and one
 * grid time t, at most MAX_SAMPLE_AGE_MS before the print, gives every printed value (the
 * printed metrics share one grid, so the newest value of each comes from the same frame).
 * @returns that t.
 */
function checkAgainstGenerator(line: DataLine, ids: readonly string[]): number {
  const catalogue = server!.service.metrics;
  expect(line.cells.map((c) => c.id), line.text).toEqual(ids);
  for (const cell of line.cells) expect(cell.unit, `unit of ${cell.id}`).toBe(catalogue.find((m) => m.id === cell.id)?.unit);
  const rates = new Set(line.cells.map((c) => catalogue.find((m) => m.id === c.id)!.rateHz));
  expect(rates.size, "the printed metrics share one rate").toBe(1);
  const interval = intervalForRate([...rates][0]);
  const printed = (t: number) => line.cells.map((c) => generateValue(SEED, SOURCE, c.id, t).toFixed(2));
  const newest = Math.floor(line.at / interval) * interval;
  for (let t = newest; t > line.at - MAX_SAMPLE_AGE_MS; t -= interval) {
    if (printed(t).join(" ") === line.cells.map((c) => c.value).join(" ")) return t;
  }
  throw new Error(
    `no grid time in the ${MAX_SAMPLE_AGE_MS} ms before the print gives these values\n  printed:   ${line.text}\n` +
      `  generator at ${new Date(newest).toISOString()}: ${printed(newest).join(" ")}`,
  );
}

describe("examples/node-tail.ts", () => {
  it("prints the connection, then live values equal to the generator's, and exits 0 on SIGINT", async () => {
    server = await startMockServer({ port: 0, host: "127.0.0.1" });
    const tail = runTail(["--url", server.wsUrl]);
    const [first, second] = await tail.waitFor(liveLines(2), 15_000, "two lines of live values");

    // What comes before the values: the connection, the hello with the whole catalogue.
    const texts = tail.lines.map((l) => l.text);
    const stamp = String.raw`\d\d:\d\d:\d\d\.\d{3}`;
    expect(texts[0]).toMatch(new RegExp(`^${stamp} state idle -> connecting \\(connect\\(\\) called\\)$`));
    expect(texts).toContainEqual(expect.stringMatching(new RegExp(`^${stamp} hello over websocket: epoch \\S+, ${server.service.metrics.length} metrics$`)));
    expect(texts).toContainEqual(expect.stringMatching(new RegExp(`^${stamp} state connecting -> open \\(subscribed\\)$`)));
    expect(texts.filter((t) => / (error|FATAL|gap) /.test(t))).toEqual([]);

    // The first six catalogue metrics, over the WebSocket, as the generator computes them.
    const ids = server.service.metrics.slice(0, 6).map((m) => m.id);
    const times: number[] = [];
    for (const line of [first, second]) {
      expect(line.transport).toBe("websocket");
      expect(Math.abs(line.at - line.receivedAt), `print time of: ${line.text}`).toBeLessThan(2000);
      times.push(checkAgainstGenerator(line, ids));
    }
    // Once a second: the second line shows newer samples, about a second later.
    expect(second.at - first.at).toBeGreaterThanOrEqual(900);
    expect(times[1]).toBeGreaterThan(times[0]);
    expect(second.messagesPerSecond).toBeGreaterThan(0);

    tail.child.kill("SIGINT");
    const exit = await Promise.race([tail.exited, new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), 5000))]);
    expect(exit, "node-tail did not exit within 5 s of SIGINT").toEqual({ code: 0, signal: null });
    const closing = tail.lines.slice(-2).map((l) => l.text);
    expect(closing[0]).toMatch(new RegExp(`^${stamp} state open -> closed \\(close\\(\\) called\\)$`));
    expect(closing[1]).toMatch(new RegExp(`^${stamp} closed after [1-9]\\d* frames, [1-9]\\d* points, 0 reconnects, 0 gaps$`));
    expect(tail.stderr()).toBe("");
  });

  it("--metrics picks the metrics shown and --seconds stops it with exit code 0", async () => {
    server = await startMockServer({ port: 0, host: "127.0.0.1" });
    const ids = ["revenue.total", "latency.p99", "queue.depth"];
    const tail = runTail(["--url", server.wsUrl, "--metrics", ids.join(","), "--seconds", "2.5"]);
    const exit = await Promise.race([tail.exited, new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), 15_000))]);
    expect(exit, `node-tail --seconds 2.5 did not exit within 15 s\n${tail.lines.map((l) => l.text).join("\n")}`).toEqual({ code: 0, signal: null });
    const live = liveLines(2)(tail.lines);
    expect(live, `two lines of live values in:\n${tail.lines.map((l) => l.text).join("\n")}`).toBeDefined();
    for (const line of live!) checkAgainstGenerator(line, ids);
    expect(tail.lines.at(-1)?.text).toMatch(/ closed after [1-9]\d* frames, [1-9]\d* points, 0 reconnects, 0 gaps$/);
    expect(tail.stderr()).toBe("");
  });

  it("without --url prints its usage and exits 2", async () => {
    const tail = runTail([]);
    expect(await tail.exited).toEqual({ code: 2, signal: null });
    expect(tail.stderr()).toMatch(/^usage: node-tail\.ts --url ws:\/\/127\.0\.0\.1:8787\/ws /);
    expect(tail.lines).toEqual([]);
  });
});

describe("the README's code blocks", () => {
  const pkg = new URL("..", import.meta.url);
  const readme = readFileSync(new URL("README.md", pkg), "utf8");
  /** Every ```ts and ```tsx block with the marker comment on the line before it. */
  const blocks = [...readme.matchAll(/(?:^|\n)(?:<!-- (.+?) -->\n)?```tsx?\n([\s\S]*?)```/g)].map((m) => ({ marker: m[1], code: m[2] }));

  it("marks every ts block: an example file, a block another test checks, or a fragment", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(10);
    const unmarked = blocks.filter((b) => b.marker === undefined || !/^(example|checked): \S+$|^fragment$/.test(b.marker));
    expect(unmarked.map((b) => b.code.split("\n")[0]), "blocks without <!-- example: PATH -->, <!-- checked: PATH --> or <!-- fragment -->").toEqual([]);
    const examples = blocks.filter((b) => b.marker?.startsWith("example: ")).map((b) => b.marker!.slice(9));
    // The framework examples are the adapters' own files (their tests render or run them).
    expect(examples).toEqual(["examples/node-import.ts", "examples/quick-start/main.ts", "../solid/examples/cpu-readout.tsx", "../react/examples/live/main.ts", "../../examples/vue/useRealtime.ts"]);
    for (const b of blocks.filter((x) => x.marker?.startsWith("checked: "))) {
      const checker = new URL(b.marker!.slice(9), pkg);
      expect(existsSync(checker), b.marker).toBe(true);
      expect(readFileSync(checker, "utf8")).toContain("--- README example start ---");
    }
  });

  it("shows each example file word for word", () => {
    const examples = blocks.filter((x) => x.marker?.startsWith("example: "));
    expect(examples.length, "example blocks").toBe(5);
    for (const b of examples) {
      expect(b.code, b.marker).toBe(readFileSync(new URL(b.marker!.slice(9), pkg), "utf8"));
    }
  });

  it("examples/node-import.ts runs in Node 20 as printed, with the ws package's WebSocket", () => {
    // `--conditions=@pulseboard/source` resolves the package's own name to its TypeScript source, as the
    // README says tools that know the condition do; tsx compiles it.
    const run = spawnSync(process.execPath, ["--conditions=@pulseboard/source", "--import", "tsx", "packages/realtime-client/examples/node-import.ts"], { cwd: root, encoding: "utf8", timeout: 15_000 });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toBe("http://127.0.0.1:8787\n");
  });
});
