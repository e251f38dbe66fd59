/**
 * The HTTP API: `/api/poll`, `/api/history`, `/api/metrics`, `/api/snapshot`, `/healthz`
 * and, when fault injection is enabled, `/admin/faults`.
 *
 * Every reply is JSON with `Cache-Control: no-store`. Errors are `{ error: { code, message } }`
 * with the protocol's error codes (400, 401, 403) plus `not_found` (404) and
 * `method_not_allowed` (405).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { SnapshotResponse } from "@pulseboard/protocol";
import { originAllowed, presentedToken, tokenMatches } from "./access.js";
import type { Catalogue } from "./catalogue.js";
import { parseFaultSpec, type FaultController } from "./faults.js";
import { makeSubscription } from "./frame-encoding.js";
import { SourceGenerator } from "./generator.js";
import { batchHistory, singleHistory } from "./history.js";
import { HttpError, boolParam, intParam, readBody, sendJson } from "./http-util.js";
import { DEFAULT_POLL_MAX_FRAMES, MAX_POLL_MAX_FRAMES, MAX_POLL_WAIT_MS, pollReply, type PendingPolls } from "./poll.js";
import { MAX_CLIENT_MESSAGE_BYTES, MAX_SUBSCRIBE_METRICS } from "@pulseboard/protocol";
import { resolveMetrics } from "./subscriptions.js";
import { DEFAULT_SOURCE, SourceRegistry } from "./sources.js";
import type { Counters } from "./stats.js";
import type { SourceStream } from "./stream.js";

/** Window of `/api/history` when `from` is absent: the last five minutes. */
const DEFAULT_HISTORY_WINDOW_MS = 300_000;

export interface HttpContext {
  registry: SourceRegistry;
  catalogue: Catalogue;
  faults: FaultController;
  counters: Counters;
  polls: PendingPolls;
  seed: number;
  token: string | undefined;
  allowedOrigins: string[] | undefined;
  faultsEnabled: boolean;
  clock: () => number;
  startedAt: number;
  connections: () => number;
  log: (line: string) => void;
}

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>;

export class HttpApi {
  private readonly routes: Record<string, Partial<Record<string, Handler>>>;

  constructor(private readonly ctx: HttpContext) {
    this.routes = {
      "/healthz": { GET: (req, res) => this.healthz(req, res) },
      "/api/metrics": { GET: (req, res, url) => this.metrics(req, res, url) },
      "/api/snapshot": { GET: (req, res, url) => this.snapshot(req, res, url) },
      "/api/history": { GET: (req, res, url) => this.history(req, res, url) },
      "/api/poll": { GET: (req, res, url) => this.poll(req, res, url) },
      "/admin/faults": { GET: (req, res) => this.listFaults(req, res), POST: (req, res) => this.injectFault(req, res) },
    };
  }

  /** Handles /api/*, /healthz and /admin/*; returns false (touching nothing) for other paths. */
  handleRequest(req: IncomingMessage, res: ServerResponse): boolean {
    const url = new URL(req.url ?? "/", "http://localhost");
    const path = url.pathname;
    const ours = path === "/healthz" || path === "/api" || path.startsWith("/api/") || path === "/admin" || path.startsWith("/admin/");
    if (!ours) return false;
    this.ctx.counters.httpRequests += 1;
    if (this.ctx.faults.down && path !== "/admin" && !path.startsWith("/admin/")) {
      // The `outage` fault: no answer at all, like a server that is gone (/admin stays up to end it).
      req.socket.destroy();
      return true;
    }
    void this.route(req, res, url).catch((error: unknown) => this.fail(req, res, error));
    return true;
  }

  private async route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname;
    // Without --faults the admin API does not exist at all.
    const methods = path.startsWith("/admin") && !this.ctx.faultsEnabled ? undefined : this.routes[path];
    if (!methods) throw new HttpError(404, "not_found", `no endpoint ${path}`);
    const allow = [...Object.keys(methods), "OPTIONS"].join(", ");
    if (req.method === "OPTIONS") return this.preflight(req, res, allow);
    const method = req.method === "HEAD" ? "GET" : (req.method ?? "GET");
    const handler = methods[method];
    if (!handler) throw new HttpError(405, "method_not_allowed", `${req.method} is not allowed on ${path}`, { Allow: allow });
    if (!originAllowed(req, this.ctx.allowedOrigins)) {
      throw new HttpError(403, "forbidden_origin", `origin ${String(req.headers.origin)} is not allowed`);
    }
    if (path !== "/healthz" && this.ctx.token !== undefined && !tokenMatches(this.ctx.token, presentedToken(req, url))) {
      throw new HttpError(401, "unauthorized", "missing or wrong token (Authorization: Bearer T, or ?token=T)", { "WWW-Authenticate": "Bearer" });
    }
    await handler(req, res, url);
  }

  private reply(req: IncomingMessage, res: ServerResponse, status: number, body: string | object, headers?: Record<string, string>): void {
    sendJson(req, res, status, body, { allowedOrigins: this.ctx.allowedOrigins, delayMs: this.ctx.faults.slowDelayMs, headers });
  }

  private fail(req: IncomingMessage, res: ServerResponse, error: unknown): void {
    if (error instanceof HttpError) {
      this.reply(req, res, error.status, { error: { code: error.code, message: error.message } }, error.headers);
      return;
    }
    this.ctx.log(`internal error on ${req.url}: ${(error as Error)?.stack ?? String(error)}`);
    this.reply(req, res, 500, { error: { code: "internal", message: "internal error" } });
  }

  private preflight(req: IncomingMessage, res: ServerResponse, allow: string): void {
    res.writeHead(204, {
      "Access-Control-Allow-Origin": req.headers.origin && originAllowed(req, this.ctx.allowedOrigins) ? req.headers.origin : "*",
      "Access-Control-Allow-Methods": allow,
      "Access-Control-Allow-Headers": "Authorization, Content-Type",
      "Access-Control-Max-Age": "600",
      Vary: "Origin",
    });
    res.end();
  }

  /** The source name of a request, validated but not created. */
  private sourceName(url: URL): string {
    const name = url.searchParams.get("source") || DEFAULT_SOURCE;
    if (!SourceRegistry.validName(name)) throw new HttpError(400, "unknown_source", "source names are 1-64 characters of A-Z a-z 0-9 . _ -");
    return name;
  }

  /** The stream of a request's source, created on first use. */
  private stream(url: URL): SourceStream {
    const lookup = this.ctx.registry.get(this.sourceName(url));
    if (!lookup.ok) throw new HttpError(400, "unknown_source", lookup.message);
    return lookup.stream;
  }

  private healthz(req: IncomingMessage, res: ServerResponse): void {
    const { ctx } = this;
    this.reply(req, res, 200, { ok: true, uptimeMs: ctx.clock() - ctx.startedAt, sources: ctx.registry.size, connections: ctx.connections() });
  }

  private metrics(req: IncomingMessage, res: ServerResponse, url: URL): void {
    this.reply(req, res, 200, { source: this.sourceName(url), metrics: this.ctx.catalogue.metrics });
  }

  private snapshot(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const stream = this.stream(url);
    const { catalogue } = this.ctx;
    const latest: SnapshotResponse["latest"] = {};
    // The newest grid sample of each metric that the stream has emitted, recomputed.
    for (const grid of catalogue.grids) {
      const t = Math.floor(stream.latestTime / grid.intervalMs) * grid.intervalMs;
      for (const id of grid.ids) latest[id] = { t, v: stream.generator.value(id, t) };
    }
    const body: SnapshotResponse = { source: stream.name, epoch: stream.epoch, serverTime: this.ctx.clock(), seq: stream.seq, metrics: catalogue.metrics, latest };
    this.reply(req, res, 200, body);
  }

  /**
   * `metric=` (one series) or `metrics=a,b,c` (a batch), recomputed by ./history.ts. The window
   * is parsed here for both forms alike: `to` defaults to and is capped at now, `from` defaults
   * to five minutes before `to`.
   */
  private history(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const source = this.sourceName(url);
    const metric = url.searchParams.get("metric");
    const metrics = url.searchParams.get("metrics");
    if (metric && metrics !== null) throw new HttpError(400, "bad_message", 'give either "metric" or "metrics", not both');
    if (!metric && metrics === null) throw new HttpError(400, "bad_message", '"metric" (one id) or "metrics" (comma-separated ids) is required');
    const now = this.ctx.clock();
    const to = Math.min(intParam(url, "to", 0, Number.MAX_SAFE_INTEGER) ?? now, now);
    const from = intParam(url, "from", 0, Number.MAX_SAFE_INTEGER) ?? to - DEFAULT_HISTORY_WINDOW_MS;
    if (from > to) throw new HttpError(400, "bad_message", `"from" (${from}) is after "to" (${to}; "to" is capped at now)`);
    const step = intParam(url, "step", 1, Number.MAX_SAFE_INTEGER);
    const window = { source, from, to, step };
    const generator = new SourceGenerator(this.ctx.seed, source);
    const body =
      metrics === null
        ? singleHistory(this.ctx.catalogue, generator, metric!, window)
        : batchHistory(this.ctx.catalogue, generator, metrics.split(",").filter((id) => id.length > 0), window);
    this.reply(req, res, 200, body);
  }

  private poll(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const since = intParam(url, "since", 0, Number.MAX_SAFE_INTEGER);
    const epoch = url.searchParams.get("epoch") ?? undefined;
    const events = boolParam(url, "events", true);
    const wait = Math.min(intParam(url, "wait", 0, Number.MAX_SAFE_INTEGER) ?? 0, MAX_POLL_WAIT_MS);
    const max = intParam(url, "max", 1, MAX_POLL_MAX_FRAMES) ?? DEFAULT_POLL_MAX_FRAMES;
    const rawMetrics = url.searchParams.get("metrics") || "*";
    const requested = rawMetrics === "*" ? "*" : rawMetrics.split(",").filter((id) => id.length > 0);
    if (requested !== "*" && requested.length > MAX_SUBSCRIBE_METRICS) {
      throw new HttpError(400, "too_many_metrics", `${requested.length} metric ids exceed the limit of ${MAX_SUBSCRIBE_METRICS}; use * for all`);
    }
    // Unknown ids are ignored and named in the reply, as the WebSocket does with an error frame
    // while subscribing to the known ones: a poller whose catalogue went stale (a restarted
    // stream) keeps receiving what exists instead of retrying a 400 forever.
    const { known, unknown } = resolveMetrics(this.ctx.catalogue, requested);
    const stream = this.stream(url);
    const query = { since, epoch, subscription: makeSubscription(known, events), max, unknownMetrics: unknown };
    const mayWait = wait > 0 && !this.ctx.polls.full;
    const body = pollReply(stream, query, this.ctx.clock(), !mayWait);
    if (body !== undefined) return this.reply(req, res, 200, body);
    this.ctx.polls.wait(stream, res, wait, () => {
      try {
        this.reply(req, res, 200, pollReply(stream, query, this.ctx.clock(), true)!);
      } catch (error) {
        this.fail(req, res, error);
      }
    });
  }

  private listFaults(req: IncomingMessage, res: ServerResponse): void {
    this.reply(req, res, 200, { active: this.ctx.faults.active() });
  }

  private async injectFault(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req, MAX_CLIENT_MESSAGE_BYTES);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new HttpError(400, "bad_json", "body must be a JSON fault spec such as {\"kind\":\"drop\"}");
    }
    const parsed = parseFaultSpec(value);
    if (!parsed.ok) throw new HttpError(400, "bad_message", parsed.message);
    this.ctx.faults.inject(parsed.spec);
    // Not delayed by a `slow` fault that this very request may have started.
    const body = { ok: true, injected: parsed.spec, active: this.ctx.faults.active() };
    sendJson(req, res, 200, body, { allowedOrigins: this.ctx.allowedOrigins, delayMs: 0 });
  }
}
