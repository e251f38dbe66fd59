// The `outage` fault: the server is down on every transport (open sockets and held long-polls
// cut, new upgrades and API requests reset without an answer) while /admin stays up, and the
// stream keeps producing into retention: after it, a client resumes from its cursor without a gap.
import { describe, expect, it } from "vitest";
import type { PollResponse } from "@pulseboard/protocol";
import { TestClient, contiguous, getJson, seqsOf, startServer, waitFor } from "./helpers.js";

describe("the outage fault", () => {
  it("cuts and refuses every transport, keeps /admin and retention, and ends on time", async () => {
    // One frame a second: a long-poll at the stream's head is held until the next one.
    const server = await startServer({ faults: true, tickMs: 1000 });
    const client = await TestClient.connect(server);
    client.subscribe();
    await client.waitFor((c) => c.stream.length >= 1, "a frame before the outage");
    const before = await getJson<PollResponse>(`${server.url}/api/poll?since=0&wait=0`);
    // A long-poll held by the server when the outage begins.
    const held = fetch(`${server.url}/api/poll?since=${before.body.seq}&wait=5000`).then(
      () => "answered",
      () => "cut",
    );
    await waitFor(() => server.service.stats().pendingPolls === 1, "the long-poll to be held");

    server.service.faults.inject({ kind: "outage", durationMs: 600 });
    expect((await client.waitClosed()).code).toBe(1006);
    expect(await held).toBe("cut");
    await expect(fetch(`${server.url}/api/poll?since=0&wait=0`)).rejects.toThrow(TypeError);
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow(TypeError);
    await expect(TestClient.connect(server)).rejects.toThrow();
    const admin = await getJson<{ active: { kind: string }[] }>(`${server.url}/admin/faults`);
    expect(admin.body.active.map((f) => f.kind)).toEqual(["outage"]);

    // Over: the stream went on producing, and a client resumes from its cursor without a gap.
    await waitFor(() => server.service.faults.active().length === 0, "the outage to end", 3000);
    const after = await TestClient.connect(server);
    after.subscribe({ since: client.lastSeq });
    await after.waitFor((c) => c.stream.length >= 2, "the replay and live frames");
    expect(after.ofType("gap")).toEqual([]);
    expect(after.stream[0].seq).toBe(client.lastSeq + 1);
    expect(contiguous(seqsOf(after.stream))).toBe(true);
    after.close();
  });
});
