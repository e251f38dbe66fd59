// The HTTP API: polling on the same cursor as the WebSocket, long-poll, history, catalogue,
// snapshot, health, and errors.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import WebSocket, { WebSocketServer } from "ws";
import type {
  DataFrame,
  HistoryBatchResponse,
  HistoryResponse,
  PollResponse,
  SnapshotResponse,
} from "@pulseboard/protocol";
import { MAX_HISTORY_BATCH_METRICS, MAX_HISTORY_BATCH_POINTS } from "../src/history.js";
import { createMetricsService, generateValue } from "../src/index.js";
import { TestClient, contiguous, getJson, seqsOf, startServer } from "./helpers.js";

type ErrorBody = { error: { code: string; message: string } };

describe("GET /api/poll", () => {
  it("returns exactly the frames the WebSocket sent for the same cursor and filter", async () => {
    const server = await startServer({ eventsRate: 50 });
    const client = await TestClient.connect(server);
    client.subscribe({ since: 0, metrics: ["cpu.usage", "users.active"], events: false });
    await client.waitFor((c) => c.stream.length >= 30, "30 frames");
    const epoch = client.ofType("hello")[0].epoch;
    const { status, body, headers } = await getJson<PollResponse>(
      `${server.url}/api/poll?since=0&epoch=${epoch}&metrics=cpu.usage,users.active&events=0&max=25`,
    );
    expect(status).toBe(200);
    expect(headers.get("cache-control")).toBe("no-store");
    expect(body).toMatchObject({ type: "poll", source: "default", epoch, more: true });
    expect(body.frames.length).toBe(25);
    expect(body.frames).toEqual(client.stream.slice(0, 25));
    expect(body.gap).toBeUndefined();
    // Continuing from the last frame received continues the same sequence.
    const next = await getJson<PollResponse>(`${server.url}/api/poll?since=25&epoch=${epoch}&metrics=cpu.usage,users.active&events=0`);
    expect(next.body.frames[0].seq).toBe(26);
    expect(contiguous(seqsOf(next.body.frames))).toBe(true);
  });

  it("returns just the cursor when since is omitted", async () => {
    const server = await startServer();
    const { body } = await getJson<PollResponse>(`${server.url}/api/poll`);
    expect(body.frames).toEqual([]);
    expect(body.more).toBe(false);
    expect(typeof body.epoch).toBe("string");
    expect(body.seq).toBeGreaterThanOrEqual(0);
    expect(Object.keys(body).sort()).toEqual(["epoch", "frames", "more", "oldestSeq", "seq", "serverTime", "source", "type"]);
  });

  it("long-polls: waits for the next frame, and returns empty after `wait` when none comes", async () => {
    // One host at 1 Hz and nothing else: frames are a second apart.
    const server = await startServer({ rateHz: 0.5, hosts: 1, eventsRate: 0, tickMs: 20 });
    const cursor = (await getJson<PollResponse>(`${server.url}/api/poll`)).body;
    const started = Date.now();
    const waited = await getJson<PollResponse>(`${server.url}/api/poll?since=${cursor.seq}&epoch=${cursor.epoch}&wait=5000`);
    const elapsed = Date.now() - started;
    expect(waited.body.frames.length).toBeGreaterThan(0);
    expect(waited.body.frames[0].seq).toBe(cursor.seq + 1);
    expect(elapsed).toBeLessThan(1500);
    // Right after a frame, the next one is about a second away: a 100 ms wait times out empty.
    const seq = waited.body.seq;
    const t0 = Date.now();
    const empty = await getJson<PollResponse>(`${server.url}/api/poll?since=${seq}&epoch=${cursor.epoch}&wait=100`);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(90);
    expect(empty.body.frames).toEqual([]);
    expect(empty.body.seq).toBe(seq);
  });

  it("reports a gap like the WebSocket when since is older than retention", async () => {
    const server = await startServer({ retentionMs: 100 });
    await getJson(`${server.url}/api/poll`);
    await new Promise((resolve) => setTimeout(resolve, 250));
    const { body } = await getJson<PollResponse>(`${server.url}/api/poll?since=1`);
    expect(body.gap).toEqual({ type: "gap", from: 2, to: body.oldestSeq - 1, reason: "retention" });
    expect(body.frames[0].seq).toBe(body.oldestSeq);
    const other = await getJson<PollResponse>(`${server.url}/api/poll?since=1&epoch=nope`);
    expect(other.body.gap).toMatchObject({ reason: "epoch", from: 1 });
  });

  it("serves the known metrics and names the unknown ones, as the WebSocket does", async () => {
    const server = await startServer();
    const client = await TestClient.connect(server);
    client.subscribe({ metrics: ["cpu.usage"] });
    await client.waitFor((c) => c.stream.some((f) => f.type === "data" && "cpu.usage" in f.series), "a cpu.usage sample");
    const { status, body } = await getJson<PollResponse>(`${server.url}/api/poll?since=0&metrics=cpu.usage,nope`);
    expect(status).toBe(200);
    expect(body.unknownMetrics).toEqual(["nope"]);
    const data = body.frames.filter((f) => f.type === "data");
    expect(data.length).toBeGreaterThan(0);
    for (const frame of data) expect(Object.keys(frame.series).every((id) => id === "cpu.usage")).toBe(true);
    expect(data.some((frame) => "cpu.usage" in frame.series)).toBe(true);
  });

  it("rejects bad parameters with 400 and a code", async () => {
    const server = await startServer();
    const cases: Array<[string, string]> = [
      ["since=-1", "bad_message"],
      ["since=abc", "bad_message"],
      ["since=999999999", "bad_since"],
      ["since=0&max=0", "bad_message"],
      ["since=0&events=maybe", "bad_message"],
      ["since=0&wait=-5", "bad_message"],
      [`since=0&metrics=${Array.from({ length: 1001 }, (_, i) => `m${i}`).join(",")}`, "too_many_metrics"],
      ["source=bad%20name", "unknown_source"],
    ];
    for (const [query, code] of cases) {
      const { status, body } = await getJson<ErrorBody>(`${server.url}/api/poll?${query}`);
      expect([query, status, body.error.code]).toEqual([query, 400, code]);
      expect(body.error.message.length).toBeGreaterThan(5);
    }
  });
});

describe("GET /api/history", () => {
  it("recomputes values equal to the generator and to what was streamed", async () => {
    const server = await startServer({ seed: 9 });
    const client = await TestClient.connect(server, { source: "tenant-x" });
    client.subscribe({ metrics: ["latency.p95"] });
    await client.waitFor((c) => c.stream.filter((f) => f.type === "data").length >= 10, "data");
    const streamed = client.stream.filter((f): f is DataFrame => f.type === "data").map((f) => f.series["latency.p95"]);
    const from = streamed[0].t[0];
    const to = streamed.at(-1)!.t.at(-1)!;
    const { status, body } = await getJson<HistoryResponse>(`${server.url}/api/history?source=tenant-x&metric=latency.p95&from=${from}&to=${to}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ source: "tenant-x", metric: "latency.p95", from, to, step: 10 });
    expect(body.t).toEqual(streamed.flatMap((s) => s.t));
    expect(body.v).toEqual(streamed.flatMap((s) => s.v));
    body.t.forEach((t, i) => expect(body.v[i]).toBe(generateValue(9, "tenant-x", "latency.p95", t)));
  });

  it("rounds step up to a multiple of the metric's interval and aligns points to it", async () => {
    const server = await startServer();
    const to = Date.now() - 10_000;
    const { body } = await getJson<HistoryResponse>(`${server.url}/api/history?metric=host.h-00001.cpu&from=${to - 60_000}&to=${to}&step=2500`);
    expect(body.step).toBe(3000);
    expect(body.t.every((t) => t % 3000 === 0 && t >= to - 60_000 && t <= to)).toBe(true);
    expect(body.t.length).toBe(20);
  });

  it("refuses windows of more than 100 000 points, unknown metrics and reversed windows", async () => {
    const server = await startServer({ rateHz: 1000 });
    const now = Date.now();
    const big = await getJson<ErrorBody>(`${server.url}/api/history?metric=cpu.usage&from=${now - 200_000}&to=${now}`);
    expect([big.status, big.body.error.code]).toEqual([400, "too_large"]);
    const unknown = await getJson<ErrorBody>(`${server.url}/api/history?metric=nope`);
    expect([unknown.status, unknown.body.error.code]).toEqual([400, "unknown_metric"]);
    const reversed = await getJson<ErrorBody>(`${server.url}/api/history?metric=cpu.usage&from=${now}&to=${now - 1000}`);
    expect([reversed.status, reversed.body.error.code]).toEqual([400, "bad_message"]);
    const missing = await getJson<ErrorBody>(`${server.url}/api/history`);
    expect(missing.status).toBe(400);
  });
});

describe("GET /api/history?metrics= (batched)", () => {
  const ids = ["cpu.usage", "latency.p95", "region.eu", "host.h-00001.cpu", "host.h-00002.cpu"];

  it("answers many metrics at once, each equal to the generator and to the single-metric form", async () => {
    const server = await startServer({ seed: 9 });
    const to = Date.now() - 5000;
    const from = to - 10_000;
    const window = `source=tenant-x&from=${from}&to=${to}`;
    const { status, body } = await getJson<HistoryBatchResponse>(`${server.url}/api/history?${window}&metrics=${ids.join(",")}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ source: "tenant-x", from, to });
    expect(body.unknownMetrics).toBeUndefined();
    expect(Object.keys(body.series)).toEqual(ids);
    // Each at its native interval: 10 ms for the core metrics here, 1 s for hosts.
    expect(body.series["cpu.usage"].step).toBe(10);
    expect(body.series["host.h-00001.cpu"].step).toBe(1000);
    for (const id of ids) {
      const single = await getJson<HistoryResponse>(`${server.url}/api/history?${window}&metric=${id}`);
      const { step, t, v } = body.series[id];
      expect({ id, step, t, v }).toEqual({ id, step: single.body.step, t: single.body.t, v: single.body.v });
      expect(t.length).toBe(10_000 / step + (from % step === 0 ? 1 : 0));
      t.forEach((time, i) => expect(v[i]).toBe(generateValue(9, "tenant-x", id, time)));
    }
  });

  it("rounds a requested step up per metric, like the single form", async () => {
    const server = await startServer();
    const to = Date.now() - 10_000;
    const window = `from=${to - 60_000}&to=${to}&step=2500`;
    const { body } = await getJson<HistoryBatchResponse>(`${server.url}/api/history?${window}&metrics=cpu.usage,host.h-00001.cpu`);
    expect(body.series["cpu.usage"].step).toBe(2500);
    expect(body.series["host.h-00001.cpu"].step).toBe(3000);
    for (const id of ["cpu.usage", "host.h-00001.cpu"]) {
      const single = await getJson<HistoryResponse>(`${server.url}/api/history?${window}&metric=${id}`);
      expect(body.series[id]).toEqual({ step: single.body.step, t: single.body.t, v: single.body.v });
    }
  });

  it("lists unknown ids instead of failing and answers duplicates once", async () => {
    const server = await startServer();
    const to = Date.now() - 1000;
    const { status, body } = await getJson<HistoryBatchResponse>(
      `${server.url}/api/history?from=${to - 100}&to=${to}&metrics=nope,cpu.usage,,cpu.usage,also-nope`,
    );
    expect(status).toBe(200);
    expect(Object.keys(body.series)).toEqual(["cpu.usage"]);
    expect(body.unknownMetrics).toEqual(["nope", "also-nope"]);
    const none = await getJson<HistoryBatchResponse>(`${server.url}/api/history?from=${to - 100}&to=${to}&metrics=nope`);
    expect([none.status, none.body.series, none.body.unknownMetrics]).toEqual([200, {}, ["nope"]]);
  });

  it(`caps a reply at ${MAX_HISTORY_BATCH_POINTS} points in total and ${MAX_HISTORY_BATCH_METRICS} ids`, async () => {
    const server = await startServer({ rateHz: 1000 });
    const to = Date.now() - 1000;
    // Two metrics at 1 ms: 100 000 points each is exactly the cap, one ms more is over it.
    const atCap = await getJson<HistoryBatchResponse>(`${server.url}/api/history?from=${to - 99_999}&to=${to}&metrics=cpu.usage,memory.usage`);
    expect(atCap.status).toBe(200);
    expect(atCap.body.series["cpu.usage"].t.length + atCap.body.series["memory.usage"].t.length).toBe(MAX_HISTORY_BATCH_POINTS);
    const over = await getJson<ErrorBody>(`${server.url}/api/history?from=${to - 100_000}&to=${to}&metrics=cpu.usage,memory.usage`);
    expect([over.status, over.body.error.code]).toEqual([400, "too_large"]);
    expect(over.body.error.message).toMatch(/200002 points .* split the ids/);
    const many = Array.from({ length: MAX_HISTORY_BATCH_METRICS + 1 }, (_, i) => `m${i}`).join(",");
    const tooMany = await getJson<ErrorBody>(`${server.url}/api/history?metrics=${many}`);
    expect([tooMany.status, tooMany.body.error.code]).toEqual([400, "too_many_metrics"]);
  });

  it("refuses an empty list and both forms at once", async () => {
    const server = await startServer();
    for (const query of ["metrics=", "metrics=,,", "metric=cpu.usage&metrics=cpu.usage"]) {
      const { status, body } = await getJson<ErrorBody>(`${server.url}/api/history?${query}`);
      expect([query, status, body.error.code]).toEqual([query, 400, "bad_message"]);
    }
  });
});

describe("catalogue, snapshot, health and routing", () => {
  it("serves the catalogue", async () => {
    const server = await startServer({ hosts: 3 });
    const { body } = await getJson<{ source: string; metrics: { id: string }[] }>(`${server.url}/api/metrics?source=abc`);
    expect(body.source).toBe("abc");
    expect(body.metrics.length).toBe(23);
    expect(body.metrics).toEqual(server.service.metrics);
  });

  it("serves a snapshot of the latest streamed sample of every metric", async () => {
    const server = await startServer({ seed: 3 });
    const { body } = await getJson<SnapshotResponse>(`${server.url}/api/snapshot`);
    expect(Object.keys(body.latest).length).toBe(body.metrics.length);
    for (const [id, { t, v }] of Object.entries(body.latest)) expect(v).toBe(generateValue(3, "default", id, t));
    expect(body.latest["cpu.usage"].t % 10).toBe(0);
    expect(body.serverTime - body.latest["cpu.usage"].t).toBeLessThan(1000);
  });

  it("reports health", async () => {
    const server = await startServer();
    await TestClient.connect(server);
    const { body } = await getJson<{ ok: boolean; uptimeMs: number; sources: number; connections: number }>(`${server.url}/healthz`);
    expect(body).toMatchObject({ ok: true, sources: 1, connections: 1 });
    expect(body.uptimeMs).toBeGreaterThanOrEqual(0);
  });

  it("answers 404 for unknown paths, 405 for wrong methods, and keeps /admin hidden without --faults", async () => {
    const server = await startServer();
    const notFound = await getJson<ErrorBody>(`${server.url}/api/nothing`);
    expect([notFound.status, notFound.body.error.code]).toEqual([404, "not_found"]);
    const outside = await getJson<ErrorBody>(`${server.url}/index.html`);
    expect(outside.status).toBe(404);
    const wrong = await getJson<ErrorBody>(`${server.url}/api/poll`, { method: "POST" });
    expect([wrong.status, wrong.body.error.code]).toEqual([405, "method_not_allowed"]);
    expect(wrong.headers.get("allow")).toContain("GET");
    const admin = await getJson<ErrorBody>(`${server.url}/admin/faults`);
    expect(admin.status).toBe(404);
  });

  it("returns false from handleRequest and handleUpgrade for paths it does not own", async () => {
    const server = await startServer();
    const fakeReq = { url: "/src/main.ts", headers: {} } as never;
    expect(server.service.handleRequest(fakeReq, {} as never)).toBe(false);
    expect(server.service.handleUpgrade({ url: "/vite-hmr", headers: {} } as never, {} as never, Buffer.alloc(0))).toBe(false);
  });

  it("attaches to a host's own http server, leaving its other routes and sockets alone", async () => {
    // The shape of the Vite dev server integration: the host serves its app and its own
    // WebSocket (HMR); the service takes only its paths.
    const service = createMetricsService({ tickMs: 10, hosts: 0 });
    const hmr = new WebSocketServer({ noServer: true });
    const host = createServer((req, res) => {
      if (!service.handleRequest(req, res)) res.end("app");
    });
    host.on("upgrade", (req, socket, head) => {
      if (!service.handleUpgrade(req, socket, head)) hmr.handleUpgrade(req, socket, head, (ws) => ws.send("hmr"));
    });
    await new Promise<void>((resolve) => host.listen(0, "127.0.0.1", resolve));
    const base = `127.0.0.1:${(host.address() as AddressInfo).port}`;
    try {
      expect(await (await fetch(`http://${base}/`)).text()).toBe("app");
      expect((await getJson<{ ok: boolean }>(`http://${base}/healthz`)).body.ok).toBe(true);
      const first = (url: string) =>
        new Promise<string>((resolve, reject) => {
          const ws = new WebSocket(url);
          ws.once("message", (data) => {
            resolve(String(data).slice(0, 16));
            ws.terminate();
          });
          ws.once("error", reject);
        });
      expect(await first(`ws://${base}/hmr`)).toBe("hmr");
      expect(await first(`ws://${base}/ws`)).toBe('{"type":"hello",');
    } finally {
      await service.close();
      hmr.close();
      host.closeAllConnections();
      await new Promise((resolve) => host.close(resolve));
    }
  });
});
