/**
 * Render a piece of the dashboard with real services around a test client: the real
 * adapter, view, event feed and redraw queue, driven by hand-cranked frame schedulers.
 */
import { render } from "@solidjs/testing-library";
import type { JSX } from "solid-js";
import { createManualFrameScheduler, type ManualFrameScheduler } from "@pulseboard/realtime-client/testing";
import { createDashboardServices, DashboardContext, type DashboardServices } from "../../../src/app/dashboard-context.ts";
import type { RealtimeOptions } from "@pulseboard/solid";
import type { StreamKit } from "./stream-kit.ts";

export interface Rendered {
  services: DashboardServices;
  /** Frames of the redraw queue (charts draw only when this runs). */
  redraws: ManualFrameScheduler;
  unmount(): void;
  container: HTMLElement;
}

/**
 * @param client - the test client (a kit's manager is adopted), or adapter options with
 *   which the adapter builds its own client.
 * @param ui - what to render inside the provider.
 */
export function renderWithServices(client: StreamKit | RealtimeOptions, ui: () => JSX.Element): Rendered {
  const redraws = createManualFrameScheduler();
  const realtime: RealtimeOptions = "sockets" in client ? { manager: client.manager } : client;
  let services!: DashboardServices;
  const result = render(() => {
    services = createDashboardServices({ realtime, queue: { scheduler: redraws } });
    return <DashboardContext.Provider value={services}>{ui()}</DashboardContext.Provider>;
  });
  return { services, redraws, unmount: result.unmount, container: result.container };
}
