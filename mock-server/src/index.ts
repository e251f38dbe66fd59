/**
 * Public API of the Pulseboard mock metrics server.
 *
 * - {@link startMockServer}: a standalone HTTP + WebSocket server (tests, CLI).
 * - {@link createMetricsService}: the same service without a listening socket, to attach to
 *   an existing `http.Server` (the dashboard's Vite dev server does).
 * - The generator ({@link generateValue}, {@link sampleTimes}, ...): recompute any value the
 *   server streamed, to verify data rather than counts.
 */
export { startMockServer, type RunningMockServer } from "./server.js";
export { createMetricsService, type FaultApi, type MetricsService } from "./service.js";
export { DEFAULTS, resolveOptions, type MockServerOptions, type ResolvedOptions } from "./options.js";
export { parseMockFlags, helpText, FlagError, type ParsedFlags } from "./flags.js";
export type { ActiveFault, FaultScheduleEntry, FaultSpec, GarbageVariant } from "./faults.js";
export type { ServiceStats } from "./stats.js";
export {
  generateValue,
  sampleTimes,
  intervalForRate,
  sourceKey,
  SourceGenerator,
  type ValueFunction,
} from "./generator.js";
export { defaultCatalogue, hostMetricId, fireMetricId, type CatalogueOptions, type Profile } from "./catalogue.js";
export { eventsBetween, eventSlotMs } from "./events.js";
export { MAX_CLIENT_MESSAGE_BYTES, MAX_SUBSCRIBE_METRICS } from "@pulseboard/protocol";
export { ABUSE_MAX_ERRORS, ABUSE_WINDOW_MS } from "./session.js";
