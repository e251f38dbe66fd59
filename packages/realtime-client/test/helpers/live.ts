/**
 * Helpers for tests against the real mock server on 127.0.0.1: starting it with a manager
 * and closing both after each test, waiting on the manager's events, and checking what it
 * holds against the server's deterministic generator.
 */
import { WebSocket } from "ws";
import { afterEach } from "vitest";
import { generateValue, startMockServer, type MockServerOptions, type RunningMockServer } from "@pulseboard/mock-server";
import { WebSocketManager } from "../../src/client/manager.js";
import type { WebSocketManagerOptions } from "../../src/client/types.js";

/** What {@link useLiveServer} returns. */
export interface LiveServer {
  /** Start the mock server on a free port. */
  start(options: Omit<MockServerOptions, "port">): Promise<RunningMockServer>;
  /** A manager for the started server (`ws` as its WebSocket); call `connect()` yourself. */
  manager(options?: Partial<WebSocketManagerOptions>): WebSocketManager;
}

/**
 * One mock server per test, and the managers talking to it, all closed after the test.
 * Call it once at the top of a file: it registers the `afterEach` that closes them.
 */
export function useLiveServer(): LiveServer {
  let server: RunningMockServer | undefined;
  const managers: WebSocketManager[] = [];
  afterEach(async () => {
    for (const m of managers.splice(0)) m.close();
    await server?.close();
    server = undefined;
  });
  return {
    async start(options) {
      server = await startMockServer({ port: 0, ...options });
      return server;
    },
    manager(options = {}) {
      if (server === undefined) throw new Error("start() the server first");
      const m = new WebSocketManager({ url: server.wsUrl, WebSocket, ...options });
      managers.push(m);
      return m;
    },
  };
}

/** Resolve when `condition()` holds, polling every 5 ms. */
export async function until(condition: () => boolean, timeoutMs = 5000, what = "condition"): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The server's newest seq and epoch, from `/api/snapshot`. */
export async function serverPosition(httpUrl: string, source = "default"): Promise<{ seq: number; epoch: string }> {
  const response = await fetch(`${httpUrl}/api/snapshot?source=${source}`);
  const body = (await response.json()) as { seq: number; epoch: string };
  return { seq: body.seq, epoch: body.epoch };
}

export interface SeriesCheck {
  /** Samples checked over all series. */
  samples: number;
  /** Series whose samples are not on consecutive grid times (a lost sample). */
  broken: string[];
  /** Samples whose value differs from the generator. */
  wrongValues: number;
}

/**
 * Every held sample must equal the generator's value for its (metric, t), and consecutive
 * samples must be exactly one grid interval apart: nothing lost, nothing repeated.
 */
export function checkSeries(manager: WebSocketManager, seed = 1, source = "default", from = -Infinity): SeriesCheck {
  const result: SeriesCheck = { samples: 0, broken: [], wrongValues: 0 };
  for (const info of manager.catalogue()) {
    const ring = manager.series(info.id);
    if (ring === undefined || ring.length === 0) continue;
    const interval = Math.round(1000 / info.rateHz);
    const times = ring.times();
    const values = ring.values();
    for (let i = 0; i < times.length; i++) {
      if (times[i] < from) continue;
      result.samples++;
      if (i > 0 && times[i - 1] >= from && times[i] - times[i - 1] !== interval && !result.broken.includes(info.id)) result.broken.push(info.id);
      if (values[i] !== generateValue(seed, source, info.id, times[i])) result.wrongValues++;
    }
  }
  return result;
}
