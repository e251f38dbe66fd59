/**
 * The metrics service, independent of any transport: it handles requests and upgrades that
 * some `http.Server` hands it. The standalone server (server.ts) owns such a server; the
 * dashboard's Vite dev server attaches the same service to its own.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { MetricInfo, PROTOCOL_VERSION } from "@pulseboard/protocol";
import { Catalogue, defaultCatalogue } from "./catalogue.js";
import { lengthenCatalogue } from "./long-text.js";
import { FaultController, type ActiveFault, type FaultSpec } from "./faults.js";
import { HttpApi } from "./http-handler.js";
import { resolveOptions, type MockServerOptions, type ResolvedOptions } from "./options.js";
import { PendingPolls } from "./poll.js";
import { SourceRegistry } from "./sources.js";
import { Counters, type ServiceStats } from "./stats.js";
import { SourceStream } from "./stream.js";
import { WebSocketGateway } from "./ws-handler.js";

/** Protocol version spoken; typed against the contract so the two cannot drift apart. */
const PROTOCOL: typeof PROTOCOL_VERSION = 1;

/** A fault-injection handle (see faults.ts for what each fault does). */
export interface FaultApi {
  /** Injects a fault; throws a RangeError for an invalid spec. */
  inject(spec: FaultSpec): void;
  /** Ends every timed fault. */
  clear(): void;
  /** The timed faults in force. */
  active(): ActiveFault[];
}

/** The mock metrics server without its listening socket. */
export interface MetricsService {
  /** The options in force, defaults filled in. */
  readonly options: Readonly<ResolvedOptions>;
  /** The catalogue every source serves. */
  readonly metrics: readonly MetricInfo[];
  /** Handles /api/*, /healthz, /admin/*; returns false (and does nothing) for other paths. */
  handleRequest(req: IncomingMessage, res: ServerResponse): boolean;
  /** Handles upgrades to /ws; returns false for other paths (e.g. Vite's HMR socket). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Fault injection, available whether or not the `/admin/faults` endpoint is enabled. */
  readonly faults: FaultApi;
  /** Counters and gauges of the service. */
  stats(): ServiceStats;
  /** Stops every timer, answers pending polls and closes sockets with 1001. */
  close(): Promise<void>;
}

/**
 * Creates the service. Nothing listens until you route requests to it.
 *
 * @example
 * const service = createMetricsService({ seed: 7, rateHz: 50 });
 * httpServer.on("request", (req, res) => { if (!service.handleRequest(req, res)) next(req, res); });
 * httpServer.on("upgrade", (req, socket, head) => { service.handleUpgrade(req, socket, head); });
 */
export function createMetricsService(options: MockServerOptions = {}): MetricsService {
  const opts = resolveOptions(options);
  const clock = Date.now;
  const startedAt = clock();
  const log = opts.log;
  const catalogue = new Catalogue(lengthenCatalogue(defaultCatalogue(opts), opts.longText));
  const counters = new Counters();
  const polls = new PendingPolls();
  const registry = new SourceRegistry(
    (name) =>
      new SourceStream({
        source: name,
        seed: opts.seed,
        catalogue,
        tickMs: opts.tickMs,
        retentionMs: opts.retentionMs,
        // Room for a data and an events frame per tick over the whole retention window.
        maxRetainedFrames: Math.min(200_000, 2 * Math.ceil(opts.retentionMs / opts.tickMs) + 16),
        maxRetainedBytes: opts.maxRetainedBytes,
        eventsRate: opts.eventsRate,
        longEventText: opts.longText.events,
        maxCatchUpMs: 10_000,
        clock,
        log,
      }),
    opts.maxSources,
  );

  // The catalogue is the bulk of a hello (10 000 hosts: about 1 MB): serialize it once.
  const catalogueJson = JSON.stringify(catalogue.metrics);
  const helloJson = (stream: SourceStream) =>
    `{"type":"hello","protocol":${PROTOCOL},"source":${JSON.stringify(stream.name)},"epoch":${JSON.stringify(stream.epoch)},` +
    `"serverTime":${clock()},"seq":${stream.seq},"oldestSeq":${stream.oldestSeq},"retentionMs":${opts.retentionMs},` +
    `"tickMs":${opts.tickMs},"metrics":${catalogueJson}}`;

  // The fault controller's hooks refer to the gateway declared just below; they only run
  // after both exist.
  const faults = new FaultController(
    {
      drop: () => gateway.dropAll(),
      restart: () => {
        gateway.dropAll();
        polls.destroyAll();
        for (const stream of registry.all()) stream.restart();
      },
      garbage: (count, variant) => gateway.sendGarbage(count, variant),
      loseFrames: (count) => gateway.loseFrames(count),
      stallEnded: () => gateway.resumeAll(),
      outageStarted: () => {
        gateway.dropAll();
        polls.destroyAll();
      },
      log,
    },
    clock,
  );
  const gateway = new WebSocketGateway({
    registry,
    catalogue,
    faults,
    counters,
    maxBufferedBytes: opts.maxBufferedBytes,
    clock,
    log,
    helloJson,
    token: opts.token,
    allowedOrigins: opts.allowedOrigins,
  });
  const http = new HttpApi({
    registry,
    catalogue,
    faults,
    counters,
    polls,
    seed: opts.seed,
    token: opts.token,
    allowedOrigins: opts.allowedOrigins,
    faultsEnabled: opts.faults,
    clock,
    startedAt,
    connections: () => gateway.connections,
    log,
  });
  faults.schedule(opts.schedule);

  let closed: Promise<void> | undefined;
  return {
    options: opts,
    metrics: catalogue.metrics,
    handleRequest: (req, res) => http.handleRequest(req, res),
    handleUpgrade: (req, socket, head) => gateway.handleUpgrade(req, socket, head),
    faults: {
      inject: (spec) => faults.inject(spec),
      clear: () => faults.clear(),
      active: () => faults.active(),
    },
    stats: () => {
      const streams = registry.all();
      const sum = (pick: (s: SourceStream) => number) => streams.reduce((total, s) => total + pick(s), 0);
      return {
        uptimeMs: clock() - startedAt,
        connections: gateway.connections,
        pendingPolls: polls.size,
        sources: registry.size,
        ...counters,
        framesProduced: sum((s) => s.framesProduced),
        samplesProduced: sum((s) => s.samplesProduced),
        eventsProduced: sum((s) => s.eventsProduced),
      };
    },
    close: () => {
      closed ??= (async () => {
        registry.stopAll();
        faults.dispose();
        polls.releaseAll();
        await gateway.shutdown();
      })();
      return closed;
    },
  };
}
