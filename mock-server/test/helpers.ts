/**
 * Test helpers: a server on an ephemeral port, a WebSocket client that records every frame,
 * and a bounded wait-for-condition (no fixed sleeps).
 */
import { afterEach } from "vitest";
import WebSocket from "ws";
import type { ClientMessage, ServerFrame, StreamFrame } from "@pulseboard/protocol";
import { startMockServer, type MockServerOptions, type RunningMockServer } from "../src/index.js";

const running = new Set<RunningMockServer>();
const clients = new Set<TestClient>();

afterEach(async () => {
  for (const client of clients) client.ws.terminate();
  clients.clear();
  await Promise.all([...running].map((server) => server.close()));
  running.clear();
});

/**
 * Starts a small, fast server (10 ms ticks, core metrics at 100 Hz, 2 hosts, no logging); closed after each test.
 */
export async function startServer(options: MockServerOptions = {}): Promise<RunningMockServer> {
  const server = await startMockServer({ port: 0, host: "127.0.0.1", tickMs: 10, rateHz: 100, hosts: 2, ...options });
  running.add(server);
  return server;
}

/** Polls `condition` every few ms until it holds; fails with `what` after `timeoutMs`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export interface ClosedInfo {
  code: number;
  reason: string;
}

/** A WebSocket client that parses and records every message it receives. */
export class TestClient {
  /** Every parsed message, in arrival order (garbage that is not JSON is kept as raw text). */
  readonly received: unknown[] = [];
  readonly raw: string[] = [];
  closed: ClosedInfo | undefined;

  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data) => {
      const text = String(data);
      this.raw.push(text);
      try {
        this.received.push(JSON.parse(text));
      } catch {
        this.received.push({ unparsable: text.slice(0, 100) });
      }
    });
    ws.on("close", (code, reason) => {
      this.closed = { code, reason: String(reason) };
    });
    ws.on("error", () => {});
  }

  /** Connects to `/ws` with the given query parameters and resolves once open. */
  static async connect(server: RunningMockServer, query: Record<string, string> = {}, headers: Record<string, string> = {}): Promise<TestClient> {
    const url = `${server.wsUrl}?${new URLSearchParams(query)}`;
    const client = new TestClient(new WebSocket(url, { headers }));
    clients.add(client);
    await new Promise<void>((resolve, reject) => {
      client.ws.once("open", () => resolve());
      client.ws.once("error", reject);
      client.ws.once("close", () => resolve());
    });
    return client;
  }

  /** Frames of the protocol (objects with a string `type`). */
  get frames(): ServerFrame[] {
    return this.received.filter((m): m is ServerFrame => typeof m === "object" && m !== null && typeof (m as { type?: unknown }).type === "string");
  }

  /** Data and events frames, in order. */
  get stream(): StreamFrame[] {
    return this.frames.filter((f): f is StreamFrame => f.type === "data" || f.type === "events");
  }

  ofType<T extends ServerFrame["type"]>(type: T): Extract<ServerFrame, { type: T }>[] {
    return this.frames.filter((f): f is Extract<ServerFrame, { type: T }> => f.type === type);
  }

  /** Seq of the newest stream frame received (0 if none). */
  get lastSeq(): number {
    const s = this.stream;
    return s.length > 0 ? s[s.length - 1].seq : 0;
  }

  send(message: ClientMessage | Record<string, unknown> | string): void {
    this.ws.send(typeof message === "string" ? message : JSON.stringify(message));
  }

  subscribe(fields: Record<string, unknown> = {}): void {
    this.send({ type: "subscribe", metrics: "*", ...fields });
  }

  async waitFor(condition: (client: TestClient) => boolean, what: string, timeoutMs = 5000): Promise<void> {
    await waitFor(() => condition(this), what, timeoutMs);
  }

  /** Waits for the close event and returns its code. */
  async waitClosed(timeoutMs = 5000): Promise<ClosedInfo> {
    await waitFor(() => this.closed !== undefined, "the socket to close", timeoutMs);
    return this.closed!;
  }

  close(): void {
    this.ws.close();
  }
}

/** Asserts that stream frames have contiguous seqs; returns the list of seqs. */
export function seqsOf(frames: readonly StreamFrame[]): number[] {
  return frames.map((f) => f.seq);
}

/** True when the seqs are consecutive integers. */
export function contiguous(seqs: readonly number[]): boolean {
  return seqs.every((s, i) => i === 0 || s === seqs[i - 1] + 1);
}

/** GET a JSON endpoint. */
export async function getJson<T = unknown>(url: string, init: RequestInit = {}): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, headers: res.headers };
}
