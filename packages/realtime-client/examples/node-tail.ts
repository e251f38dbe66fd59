/**
 * Tail a Pulseboard stream from Node: print the newest value of a few metrics once a second,
 * and every state change, transport switch, gap and error as it happens.
 *
 *   npm run mock                                   # in another terminal: the mock server
 *   npx tsx --conditions=@pulseboard/source packages/realtime-client/examples/node-tail.ts --url ws://127.0.0.1:8787/ws
 *
 * Options: --url (required), --source NAME, --token T, --metrics id1,id2, --seconds N
 * (stop after N seconds; default: run until Ctrl-C).
 *
 * Node 20 has no global WebSocket, so the `ws` package's class is passed in.
 */
import { parseArgs } from "node:util";
import { WebSocket } from "ws";
// In an application: import { WebSocketManager } from "@pulseboard/realtime-client";
import { WebSocketManager } from "../src/index.js";

const { values: args } = parseArgs({
  options: {
    url: { type: "string" },
    source: { type: "string", default: "default" },
    token: { type: "string" },
    metrics: { type: "string" },
    seconds: { type: "string" },
  },
});
if (args.url === undefined) {
  console.error("usage: node-tail.ts --url ws://127.0.0.1:8787/ws [--source NAME] [--token T] [--metrics a,b] [--seconds N]");
  process.exit(2);
}

const wanted = args.metrics?.split(",").filter((id) => id.length > 0);
const manager = new WebSocketManager({
  url: args.url,
  WebSocket,
  source: args.source,
  token: args.token,
  metrics: wanted ?? "*",
  events: false,
});

const time = (): string => new Date().toISOString().slice(11, 23);

manager.on("state", ({ from, to, reason }) => console.log(`${time()} state ${from} -> ${to} (${reason})`));
manager.on("transport", ({ from, to, reason }) => console.log(`${time()} transport ${from} -> ${to} (${reason})`));
manager.on("error", ({ code, message, fatal }) => console.log(`${time()} ${fatal ? "FATAL" : "error"} ${code}: ${message}`));
manager.on("gap", (gap) =>
  console.log(`${time()} gap seqs ${gap.from}..${gap.to ?? "end of its epoch"} (${gap.reason}): ${gap.backfilled ? `backfilled ${gap.points} points` : `holes in ${gap.holes.length} series`}`),
);
manager.on("hello", ({ transport, epoch, metrics }) => console.log(`${time()} hello over ${transport}: epoch ${epoch}, ${metrics.length} metrics`));

// Once a second (not per frame): the newest value of each shown metric.
manager.on(
  "data",
  () => {
    const shown = (wanted ?? manager.catalogue().slice(0, 6).map((m) => m.id)).slice(0, 8);
    const cells = shown.map((id) => {
      const info = manager.catalogue().find((m) => m.id === id);
      const ring = manager.series(id);
      const value = ring === undefined || ring.length === 0 ? "-" : ring.lastValue.toFixed(2);
      return `${id}=${value}${info?.unit ?? ""}`;
    });
    const s = manager.stats();
    console.log(`${time()} ${cells.join("  ")}  | ${s.transport} ${s.messagesPerSecond.toFixed(0)} msg/s, rtt ${s.rttMs ?? "-"} ms, lag ${s.lagMs ?? "-"} ms`);
  },
  { intervalMs: 1000 },
);

const stop = (): void => {
  const s = manager.stats();
  manager.close();
  console.log(`${time()} closed after ${s.framesApplied} frames, ${s.pointsReceived} points, ${s.reconnects} reconnects, ${s.gapsReported} gaps`);
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
if (args.seconds !== undefined) setTimeout(stop, Number(args.seconds) * 1000);

manager.connect();
