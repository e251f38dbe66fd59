/**
 * The part of the client the adapter talks to. `WebSocketManager` satisfies it; tests and
 * embedders may pass any object of this shape (a manager shared with non-Solid code, a
 * recording double).
 *
 * @module
 */
import type { WebSocketManager } from "@pulseboard/realtime-client";

/** The subset of {@link WebSocketManager} used by the Solid adapter. */
export type ManagerLike = Pick<
  WebSocketManager,
  "on" | "connect" | "close" | "series" | "catalogue" | "stats" | "events" | "state" | "transport" | "httpUrl" | "snapshot"
>;
