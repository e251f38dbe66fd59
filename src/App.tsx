/**
 * The application root: creates the dashboard's services (the realtime client among them)
 * for the page's lifetime and provides them to every component. In dev builds the client is
 * also reachable from the browser console as `window.pulseboard.manager`.
 *
 * Everything renders inside {@link RenderFailureBoundary}: if creating the services or
 * rendering throws, the page shows the reason and "Try again" (which creates them afresh),
 * never an empty page.
 */
import { onCleanup, untrack } from "solid-js";
import { WebSocketManager } from "@pulseboard/realtime-client";
import { DashboardContext, createDashboardServices, type DashboardServices } from "./app/dashboard-context.ts";
import { exposeDebugHandle } from "./app/debug-handle.ts";
import { DEFAULT_SOURCE } from "./app/page-options.ts";
import { dashboardClientOptions } from "./app/stream-config.ts";
import { Dashboard } from "./components/Dashboard.tsx";
import { RenderFailureBoundary } from "./components/RenderFailure.tsx";

export interface AppProps {
  /** Source (tenant) to watch; empty means the default. @default "default" */
  source?: string;
  /** Ready-made services (tests); by default they are created for the page's origin. */
  services?: DashboardServices;
  /** Open the performance HUD at start. */
  hud?: boolean;
}

export function App(props: AppProps) {
  return (
    <RenderFailureBoundary>
      <DashboardRoot {...props} />
    </RenderFailureBoundary>
  );
}

/** Services and dashboard; inside the boundary, so a retry creates the services again. */
function DashboardRoot(props: AppProps) {
  // Read once: the client is created for the page's lifetime.
  const source = untrack(() => props.source) || DEFAULT_SOURCE;
  const services = untrack(() => props.services) ?? createPageServices(source);
  return (
    <DashboardContext.Provider value={services}>
      <Dashboard source={source} hud={props.hud} />
    </DashboardContext.Provider>
  );
}

/** Services for the page's own origin; the adapter adopts (connects, and closes on cleanup) the client. */
function createPageServices(source: string): DashboardServices {
  const manager = new WebSocketManager(dashboardClientOptions(location, source));
  if (import.meta.env.DEV) onCleanup(exposeDebugHandle(manager));
  return createDashboardServices({ realtime: { manager } });
}
