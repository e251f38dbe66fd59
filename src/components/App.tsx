/**
 * The application root: creates the dashboard's services (the realtime client among them)
 * for the page's lifetime and provides them to every component.
 */
import { untrack } from "solid-js";
import { DashboardContext, createDashboardServices, type DashboardServices } from "../app/dashboard-context.ts";
import { dashboardClientOptions } from "../app/stream-config.ts";
import { Dashboard } from "./Dashboard.tsx";

export interface AppProps {
  /** Source (tenant) to watch. @default "default" */
  source?: string;
  /** Ready-made services (tests); by default they are created for the page's origin. */
  services?: DashboardServices;
  /** Open the performance HUD at start. */
  hud?: boolean;
}

export function App(props: AppProps) {
  // Read once: the client is created for the page's lifetime.
  const source = untrack(() => props.source ?? "default");
  const services =
    untrack(() => props.services) ?? createDashboardServices({ realtime: dashboardClientOptions(location, source) });
  return (
    <DashboardContext.Provider value={services}>
      <Dashboard source={source} hud={props.hud} />
    </DashboardContext.Provider>
  );
}
