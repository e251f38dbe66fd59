/**
 * The services every dashboard component shares, created once and handed down through a
 * Solid context: the realtime adapter, the live/paused view, whether the stream flows, the
 * redraw queue, the event feed, the theme and the render counters. Tests provide their own (a fake client, a
 * hand-driven frame scheduler) through the same context.
 *
 * @module
 */
import { createContext, createMemo, onCleanup, useContext } from "solid-js";
import { RedrawQueue, type MetricInfo, type RedrawQueueOptions } from "@pulseboard/realtime-client";
import { createRealtime, type Realtime, type RealtimeOptions } from "@pulseboard/solid";
import { createEventFeed, type EventFeed } from "./event-feed.ts";
import { createLiveView, type LiveView } from "./live-view.ts";
import { createLiveness, type Liveness } from "./liveness.ts";
import { PerfCounters } from "./perf-counters.ts";
import { createTheme, type Theme } from "./theme.ts";

/** Everything a dashboard component may need. */
export interface DashboardServices {
  readonly realtime: Realtime;
  readonly view: LiveView;
  /** Live, stalled, paused or offline: the one decision every status line and live dot shows. */
  readonly liveness: Liveness;
  readonly queue: RedrawQueue;
  readonly events: EventFeed;
  readonly theme: Theme;
  readonly perf: PerfCounters;
  /** Time span of the live charts, in ms. */
  readonly windowMs: number;
  /** Catalogue entry of a metric (tracked: changes when a new catalogue arrives). */
  metric(id: string): MetricInfo | undefined;
}

/** Options of {@link createDashboardServices}. */
export interface DashboardServicesOptions {
  /** Client options, or `{ manager }` with an existing client. */
  realtime: RealtimeOptions;
  /** Redraw pacing (tests pass a manual frame scheduler). */
  queue?: RedrawQueueOptions;
  /** Events kept by the event log. @default 100 000 */
  eventCapacity?: number;
  /** @default 60 000 */
  windowMs?: number;
}

/**
 * Create the services under the current owner (they are disposed with it).
 * @param options - see {@link DashboardServicesOptions}.
 * @returns the services, ready for {@link DashboardContext}.
 */
export function createDashboardServices(options: DashboardServicesOptions): DashboardServices {
  const realtime = createRealtime(options.realtime);
  const perf = new PerfCounters();
  const queue = new RedrawQueue({ onDraw: () => perf.countRender(), ...options.queue });
  onCleanup(() => queue.dispose());
  const windowMs = options.windowMs ?? 60_000;
  const byId = createMemo(() => new Map(realtime.catalogue().map((m) => [m.id, m])));
  const view = createLiveView(realtime);
  return {
    realtime,
    view,
    liveness: createLiveness(realtime, { paused: view.paused }),
    queue,
    events: createEventFeed(realtime.manager, options.eventCapacity),
    theme: createTheme(),
    perf,
    windowMs,
    metric: (id) => byId().get(id),
  };
}

/** The context carrying {@link DashboardServices}. */
export const DashboardContext = createContext<DashboardServices>();

/** @returns the dashboard services; throws outside a provider (a wiring bug, not a runtime condition). */
export function useDashboard(): DashboardServices {
  const services = useContext(DashboardContext);
  if (services === undefined) throw new Error("useDashboard() needs a <DashboardContext.Provider> above it");
  return services;
}
