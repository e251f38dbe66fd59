/**
 * Authentication against the real mock server: a wrong token is terminal (close 4401 after
 * the upgrade, since a browser cannot read an HTTP status), a right one streams.
 */
import { WebSocket } from "ws";
import { afterEach, expect, it } from "vitest";
import { startMockServer, type RunningMockServer } from "@pulseboard/mock-server";
import { WebSocketManager } from "../src/client/manager.js";
import type { ManagerEventMap } from "../src/client/types.js";
import { sleep, until } from "./helpers/live.js";

let server: RunningMockServer | undefined;
const managers: WebSocketManager[] = [];
afterEach(async () => {
  for (const m of managers.splice(0)) m.close();
  await server?.close();
});

it("fails with unauthorized on a wrong token, without retrying, and streams with the right one", async () => {
  server = await startMockServer({ port: 0, tickMs: 20, hosts: 1, eventsRate: 0, token: "right" });
  const wrong = new WebSocketManager({ url: server.wsUrl, WebSocket, token: "wrong", backoff: { minMs: 5, maxMs: 10 } });
  managers.push(wrong);
  const errors: ManagerEventMap["error"][] = [];
  wrong.on("error", (e) => errors.push(e));
  wrong.connect();
  await until(() => wrong.state === "failed", 3000, "failed");
  expect(errors.at(-1)).toMatchObject({ code: "unauthorized", fatal: true });
  const attempts = server.service.stats().connectionsAccepted;
  await sleep(100);
  expect(server.service.stats().connectionsAccepted).toBe(attempts);

  const right = new WebSocketManager({ url: server.wsUrl, WebSocket, token: "right" });
  managers.push(right);
  right.connect();
  await until(() => right.stats().framesApplied > 3, 3000, "data");
  expect(right.state).toBe("open");
});
