// Access control and resource limits: token, Origin allow-list, slow consumers, the source
// cap, and graceful shutdown.
import type { Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { TestClient, getJson, startServer, waitFor } from "./helpers.js";

type ErrorBody = { error: { code: string } };

describe("token", () => {
  it("closes WebSocket clients without the right token with 4401 after an unauthorized error", async () => {
    const server = await startServer({ token: "s3cret" });
    for (const query of [{}, { token: "wrong" }] as Record<string, string>[]) {
      const client = await TestClient.connect(server, query);
      expect((await client.waitClosed()).code).toBe(4401);
      expect(client.frames).toMatchObject([{ type: "error", code: "unauthorized" }]);
    }
    const ok = await TestClient.connect(server, { token: "s3cret" });
    await ok.waitFor((c) => c.ofType("hello").length === 1, "hello");
  });

  it("answers 401 on /api/* without the token, accepts Bearer or ?token=, leaves /healthz open", async () => {
    const server = await startServer({ token: "s3cret" });
    const denied = await getJson<ErrorBody>(`${server.url}/api/metrics`);
    expect([denied.status, denied.body.error.code]).toEqual([401, "unauthorized"]);
    expect(denied.headers.get("www-authenticate")).toBe("Bearer");
    expect((await getJson(`${server.url}/api/metrics`, { headers: { authorization: "Bearer s3cret" } })).status).toBe(200);
    expect((await getJson(`${server.url}/api/poll?token=s3cret`)).status).toBe(200);
    expect((await getJson(`${server.url}/api/poll?token=nope`)).status).toBe(401);
    expect((await getJson(`${server.url}/healthz`)).status).toBe(200);
  });
});

describe("origin allow-list", () => {
  it("closes WebSocket clients from other origins with 4403; allowed or absent origins pass", async () => {
    const server = await startServer({ allowedOrigins: ["http://good.test"] });
    const evil = await TestClient.connect(server, {}, { origin: "http://evil.test" });
    expect((await evil.waitClosed()).code).toBe(4403);
    expect(evil.frames).toMatchObject([{ type: "error", code: "forbidden_origin" }]);
    for (const headers of [{ origin: "http://good.test" }, {}] as Record<string, string>[]) {
      const client = await TestClient.connect(server, {}, headers);
      await client.waitFor((c) => c.ofType("hello").length === 1, "hello");
    }
  });

  it("answers 403 over HTTP for other origins and echoes allowed ones in CORS", async () => {
    const server = await startServer({ allowedOrigins: ["http://good.test"] });
    const denied = await getJson<ErrorBody>(`${server.url}/api/metrics`, { headers: { origin: "http://evil.test" } });
    expect([denied.status, denied.body.error.code]).toEqual([403, "forbidden_origin"]);
    const ok = await getJson(`${server.url}/api/metrics`, { headers: { origin: "http://good.test" } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("access-control-allow-origin")).toBe("http://good.test");
  });
});

describe("limits", () => {
  it("closes a client that stops reading with 1013 once its send buffer passes the cap", async () => {
    const server = await startServer({ profile: "firehose", hosts: 0, maxBufferedBytes: 256 * 1024 });
    const reader = await TestClient.connect(server);
    const stopped = await TestClient.connect(server);
    reader.subscribe();
    stopped.subscribe();
    await stopped.waitFor((c) => c.stream.length > 0, "the first frames");
    // Stop reading: the kernel buffers fill, then the server's send buffer grows.
    (stopped.ws as unknown as { _socket: Socket })._socket.pause();
    await waitFor(() => server.service.stats().slowConsumersClosed === 1, "the slow consumer to be closed", 15_000);
    (stopped.ws as unknown as { _socket: Socket })._socket.resume();
    expect((await stopped.waitClosed(10_000)).code).toBe(1013);
    // The client that kept reading is still served.
    const seq = reader.lastSeq;
    await reader.waitFor((c) => c.lastSeq > seq + 5, "frames for the reading client");
    expect(reader.closed).toBeUndefined();
  });

  it("caps the number of sources: beyond it, unknown_source (WebSocket 1008, HTTP 400)", async () => {
    const server = await startServer({ maxSources: 2 });
    await TestClient.connect(server, { source: "one" });
    await TestClient.connect(server, { source: "two" });
    const third = await TestClient.connect(server, { source: "three" });
    expect((await third.waitClosed()).code).toBe(1008);
    expect(third.frames).toMatchObject([{ type: "error", code: "unknown_source" }]);
    const poll = await getJson<ErrorBody>(`${server.url}/api/poll?source=three`);
    expect([poll.status, poll.body.error.code]).toEqual([400, "unknown_source"]);
    expect((await getJson(`${server.url}/api/poll?source=one`)).status).toBe(200);
  });

  it("closes every socket with 1001 on graceful shutdown and releases the port", async () => {
    const server = await startServer();
    const client = await TestClient.connect(server);
    await client.waitFor((c) => c.ofType("hello").length === 1, "hello");
    const started = Date.now();
    await server.close();
    expect((await client.waitClosed()).code).toBe(1001);
    expect(Date.now() - started).toBeLessThan(1500);
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });
});
