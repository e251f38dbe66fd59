// Every client message is validated: each bad input gets its error code, the connection and
// the server stay up for everyone else, and only repeated abuse closes a client (1008).
import { describe, expect, it } from "vitest";
import { ABUSE_MAX_ERRORS, MAX_CLIENT_MESSAGE_BYTES, MAX_SUBSCRIBE_METRICS } from "../src/index.js";
import { TestClient, startServer } from "./helpers.js";

const subscribe = (fields: Record<string, unknown>) => JSON.stringify({ type: "subscribe", metrics: "*", ...fields });

const CASES: Array<[name: string, message: string | Buffer, code: string]> = [
  ["oversized message", JSON.stringify({ type: "ping", id: 1, clientTime: 1, pad: "x".repeat(MAX_CLIENT_MESSAGE_BYTES) }), "too_large"],
  ["not JSON", "{type: subscribe", "bad_json"],
  ["a JSON array", "[1,2,3]", "bad_message"],
  ["a JSON string", '"subscribe"', "bad_message"],
  ["no type", '{"metrics":"*"}', "bad_message"],
  ["unknown type", '{"type":"dance"}', "unknown_type"],
  ["metrics not a list", subscribe({ metrics: 5 }), "bad_message"],
  ["metrics with a number", subscribe({ metrics: ["cpu.usage", 5] }), "bad_message"],
  ["too many metrics", subscribe({ metrics: Array.from({ length: MAX_SUBSCRIBE_METRICS + 1 }, (_, i) => `m${i}`) }), "too_many_metrics"],
  ["negative since", subscribe({ since: -1 }), "bad_message"],
  ["fractional since", subscribe({ since: 1.5 }), "bad_message"],
  ["since as text", subscribe({ since: "3" }), "bad_message"],
  ["events not boolean", subscribe({ events: "yes" }), "bad_message"],
  ["epoch not a string", subscribe({ since: 0, epoch: 5 }), "bad_message"],
  ["ping without id", '{"type":"ping","clientTime":1}', "bad_message"],
  ["binary message", Buffer.from([1, 2, 3]), "bad_message"],
  ["since ahead of the stream", subscribe({ since: 10 ** 12 }), "bad_since"],
];

describe("client message validation", () => {
  for (const [name, message, code] of CASES) {
    it(`${name} -> error ${code}; the client and the server keep working`, async () => {
      const server = await startServer();
      const bystander = await TestClient.connect(server);
      bystander.subscribe();
      const client = await TestClient.connect(server);
      client.ws.send(message);
      await client.waitFor((c) => c.ofType("error").length === 1, `error ${code}`);
      expect(client.ofType("error")[0]).toMatchObject({ type: "error", code });
      expect(client.ofType("error")[0].message.length).toBeGreaterThan(5);
      // Same connection still answers.
      client.send({ type: "ping", id: 2, clientTime: 0 });
      await client.waitFor((c) => c.ofType("pong").length === 1, "pong after the error");
      const seq = bystander.lastSeq;
      await bystander.waitFor((c) => c.lastSeq > seq + 2, "the bystander to keep receiving");
      expect(client.closed).toBeUndefined();
    });
  }

  it("reports unknown metric ids and subscribes to the known ones", async () => {
    const server = await startServer();
    const client = await TestClient.connect(server);
    client.subscribe({ metrics: ["cpu.usage", "nope.one", "nope.two"] });
    await client.waitFor((c) => c.stream.some((f) => f.type === "data"), "data");
    expect(client.ofType("error")).toMatchObject([{ code: "unknown_metric" }]);
    expect(client.ofType("error")[0].message).toContain("nope.one");
    expect(client.ofType("subscribed")[0].metrics).toEqual(["cpu.usage"]);
    const data = client.stream.filter((f) => f.type === "data");
    expect(data.every((f) => Object.keys(f.series).every((id) => id === "cpu.usage"))).toBe(true);
  });

  it(`closes a client with 1008 after ${ABUSE_MAX_ERRORS} errors in the window; others are unaffected`, async () => {
    const server = await startServer();
    const bystander = await TestClient.connect(server);
    bystander.subscribe();
    const abuser = await TestClient.connect(server);
    for (let i = 0; i < ABUSE_MAX_ERRORS; i++) abuser.send("garbage");
    expect((await abuser.waitClosed()).code).toBe(1008);
    expect(abuser.ofType("error").length).toBe(ABUSE_MAX_ERRORS);
    expect(server.service.stats().abusiveClientsClosed).toBe(1);
    const seq = bystander.lastSeq;
    await bystander.waitFor((c) => c.lastSeq > seq + 2, "the bystander to keep receiving");
  });

  it("answers a message flood with rate_limited and eventually closes it with 1008", async () => {
    const server = await startServer();
    const flooder = await TestClient.connect(server);
    for (let i = 0; i < 200; i++) flooder.send({ type: "ping", id: i, clientTime: 0 });
    expect((await flooder.waitClosed()).code).toBe(1008);
    expect(flooder.ofType("error").every((e) => e.code === "rate_limited")).toBe(true);
    expect(flooder.ofType("pong").length).toBeGreaterThanOrEqual(90);
  });

  it("closes with 1009 a message beyond the hard payload cap, without buffering it", async () => {
    const server = await startServer();
    const client = await TestClient.connect(server);
    client.send("x".repeat(200 * 1024));
    expect((await client.waitClosed()).code).toBe(1009);
    const other = await TestClient.connect(server);
    await other.waitFor((c) => c.ofType("hello").length === 1, "hello for the next client");
  });
});
