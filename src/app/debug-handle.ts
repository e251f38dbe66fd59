/**
 * The dev build's console handle: `window.pulseboard.manager` is the page's realtime client
 * (docs/architecture.md, "Debugging"). Production builds never call this, so it is dropped
 * from the bundle.
 *
 * @module
 */
import type { WebSocketManager } from "@pulseboard/realtime-client";

/** What the page exposes as `window.pulseboard` in dev builds. */
export interface PulseboardDebugHandle {
  /** The client the dashboard reads: `stats()`, `series(id)`, `catalogue()`, `holes(id)`... */
  readonly manager: WebSocketManager;
}

declare global {
  interface Window {
    /** Dev builds only (`import.meta.env.DEV`); see docs/architecture.md, "Debugging". */
    pulseboard?: PulseboardDebugHandle;
  }
}

/**
 * Expose the client as `window.pulseboard`. Call it behind `import.meta.env.DEV`.
 * @param manager - the page's client.
 * @returns a function that removes the handle (if it is still this one).
 */
export function exposeDebugHandle(manager: WebSocketManager): () => void {
  const handle: PulseboardDebugHandle = Object.freeze({ manager });
  window.pulseboard = handle;
  return () => {
    if (window.pulseboard === handle) delete window.pulseboard;
  };
}
