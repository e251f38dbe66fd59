/**
 * The testing kit's `createTestManager` (a scriptable WebSocket, a frame scheduler that runs
 * only when told), with a hand-driven environment and recorders for every event. Time
 * is vitest's fake timers: the manager's default clock reads the globals, so it follows them.
 */
import { vi } from "vitest";
import type { WebSocketManager } from "../../src/client/manager.js";
import {
  createManualEnvironment,
  createTestManager,
  handshake,
  TEST_EPOCH,
  type FakeSocket,
  type FakeWebSocketKit,
  type ManualEnvironment,
  type ManualFrameScheduler,
} from "../../src/testing/index.js";
import type { ManagerEventMap, WebSocketManagerOptions } from "../../src/client/types.js";

export type Recorded = { [K in keyof ManagerEventMap]: ManagerEventMap[K][] };

export interface Kit {
  manager: WebSocketManager;
  ws: FakeWebSocketKit;
  scheduler: ManualFrameScheduler;
  environment: ManualEnvironment;
  seen: Recorded;
  /** Let the reconnecting socket's zero-delay timer and promise chain run (fake time does not move). */
  tick(): Promise<void>;
  /** Advance fake time, running timers and microtasks. */
  advance(ms: number): Promise<void>;
  /** Connect, accept the upgrade, say hello and confirm the subscription. */
  open(options?: { since?: number | null; seq?: number; epoch?: string }): Promise<FakeSocket>;
}

export function createKit(options: Partial<WebSocketManagerOptions> = {}): Kit {
  const environment = createManualEnvironment();
  // The testing kit's test manager, with the client's own defaults for fallback and history
  // (these tests are about them) and a hand-driven environment.
  const { manager, sockets: ws, scheduler } = createTestManager({
    manager: { environment, fallback: {}, history: {}, heartbeat: { intervalMs: 1000, timeoutMs: 3000 }, ...options },
    settle: () => vi.advanceTimersByTimeAsync(0),
  });
  const seen = { state: [], hello: [], data: [], events: [], gap: [], error: [], transport: [], heartbeat: [], retry: [] } as Recorded;
  const record = <K extends keyof ManagerEventMap>(type: K): void => {
    manager.on(type, (ctx) => {
      // `changed` sets are only valid during the call: keep a copy.
      const copy = "changed" in ctx ? { ...ctx, changed: new Set(ctx.changed) } : ctx;
      (seen[type] as unknown[]).push(copy);
    });
  };
  for (const type of Object.keys(seen) as (keyof ManagerEventMap)[]) record(type);
  const tick = async (): Promise<void> => {
    await vi.advanceTimersByTimeAsync(0);
  };
  const advance = async (ms: number): Promise<void> => {
    await vi.advanceTimersByTimeAsync(ms);
  };
  return {
    manager,
    ws,
    scheduler,
    environment,
    seen,
    tick,
    advance,
    async open({ since = null, seq = 0, epoch = TEST_EPOCH } = {}) {
      if (manager.state === "idle" || manager.state === "closed" || manager.state === "failed") manager.connect();
      await tick();
      const socket = ws.last();
      handshake(socket, { hello: { seq, epoch }, since });
      return socket;
    },
  };
}
