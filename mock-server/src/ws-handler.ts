/**
 * The WebSocket endpoint `/ws?source=NAME&token=T`: upgrade, access checks, sessions.
 *
 * Access failures are reported after the upgrade, with an error frame and a close code the
 * client can act on (4401, 4403, 1008), because a browser cannot read the HTTP status of a
 * refused upgrade: it only sees 1006. The one refusal done at the HTTP level is the
 * `refuse-upgrades` fault (503), which is what a real overloaded or misconfigured proxy does.
 */
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type ServerOptions, type WebSocket } from "ws";
import { originAllowed, presentedToken, tokenMatches } from "./access.js";
import type { GarbageVariant } from "./garbage.js";
import { CLOSE_CODES, MAX_WS_PAYLOAD_BYTES, type ErrorCode, type ErrorFrame } from "@pulseboard/protocol";
import { CLOSE_GOING_AWAY, CLOSE_POLICY, ClientSession, type SessionContext } from "./session.js";
import { DEFAULT_SOURCE, type SourceRegistry } from "./sources.js";

/** Path of the WebSocket endpoint. */
export const WS_PATH = "/ws";
/** Close codes for access failures (the protocol's: a client does not retry after them). */
export const CLOSE_UNAUTHORIZED = CLOSE_CODES.unauthorized;
export const CLOSE_FORBIDDEN_ORIGIN = CLOSE_CODES.forbidden;
/** Most simultaneous WebSocket connections; more are refused with HTTP 503. */
export const MAX_CONNECTIONS = 10_000;
/** How long a closing handshake may take before the socket is destroyed. */
const CLOSE_TIMEOUT_MS = 5_000;

export interface GatewayContext extends Omit<SessionContext, "stream"> {
  registry: SourceRegistry;
  token: string | undefined;
  allowedOrigins: string[] | undefined;
}

/** Accepts upgrades to `/ws` and keeps the set of live sessions. */
export class WebSocketGateway {
  private readonly wss: WebSocketServer;
  private readonly sessions = new Set<ClientSession>();
  /** Every open socket, sessions and refused ones alike, so that shutdown can wait for them. */
  private readonly sockets = new Set<WebSocket>();
  private closing = false;

  constructor(private readonly ctx: GatewayContext) {
    const options: ServerOptions & { closeTimeout: number } = {
      noServer: true,
      maxPayload: MAX_WS_PAYLOAD_BYTES,
      // Compression would cost CPU per client and per frame, and defeat the shared payloads.
      perMessageDeflate: false,
      clientTracking: false,
      // Sessions answer protocol-level pings themselves (see session.ts).
      autoPong: false,
      closeTimeout: CLOSE_TIMEOUT_MS,
    };
    this.wss = new WebSocketServer(options);
  }

  get connections(): number {
    return this.sessions.size;
  }

  /** Handles an upgrade to `/ws`; returns false (touching nothing) for any other path. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname !== WS_PATH) return false;
    if (this.ctx.faults.down) {
      // The `outage` fault: no answer at all, like a server that is gone.
      socket.destroy();
      return true;
    }
    if (this.closing || this.ctx.faults.refusingUpgrades || this.sessions.size >= MAX_CONNECTIONS) {
      rejectUpgrade(socket, "WebSocket upgrades are refused right now; use HTTP polling (/api/poll)");
      return true;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, req, url));
    return true;
  }

  /** Terminates every connection without a close frame (the `drop` fault, `restart`). */
  dropAll(): void {
    for (const session of this.sessions) session.terminate();
    this.sessions.clear();
    for (const ws of this.sockets) ws.terminate();
  }

  /** Closes every connection with a close frame. */
  closeAll(code: number, reason: string): void {
    for (const session of this.sessions) session.close(code, reason);
    this.sessions.clear();
  }

  /** After a stall: every session says hello if needed and catches up. */
  resumeAll(): void {
    for (const session of this.sessions) session.resume();
  }

  sendGarbage(count: number, variant: GarbageVariant): void {
    for (const session of this.sessions) session.sendGarbage(count, variant);
  }

  /** Every session loses its next `count` stream frames (the `lose-frames` fault). */
  loseFrames(count: number): void {
    for (const session of this.sessions) session.loseFrames(count);
  }

  /**
   * Refuses new upgrades and closes every connection with 1001 (going away). Resolves when
   * all sockets are closed; sockets whose peer does not answer within `graceMs` are destroyed.
   */
  async shutdown(graceMs = 1000): Promise<void> {
    this.closing = true;
    this.closeAll(CLOSE_GOING_AWAY, "server shutting down");
    const deadline = Date.now() + graceMs;
    while (this.sockets.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    for (const ws of this.sockets) ws.terminate();
    this.sockets.clear();
    this.wss.close();
  }

  private onConnection(ws: WebSocket, req: IncomingMessage, url: URL): void {
    ws.on("error", () => {}); // socket errors end in "close"; nothing to report per client
    this.sockets.add(ws);
    ws.on("close", () => this.sockets.delete(ws));
    const { ctx } = this;
    if (!originAllowed(req, ctx.allowedOrigins)) {
      return refuse(ws, "forbidden_origin", `origin ${String(req.headers.origin)} is not allowed`, CLOSE_FORBIDDEN_ORIGIN);
    }
    if (ctx.token !== undefined && !tokenMatches(ctx.token, presentedToken(req, url))) {
      return refuse(ws, "unauthorized", "missing or wrong token (pass ?token=)", CLOSE_UNAUTHORIZED);
    }
    const lookup = ctx.registry.get(url.searchParams.get("source") ?? DEFAULT_SOURCE);
    if (!lookup.ok) return refuse(ws, "unknown_source", lookup.message, CLOSE_POLICY);
    ctx.counters.connectionsAccepted += 1;
    const session = new ClientSession(ws, { ...ctx, stream: lookup.stream });
    this.sessions.add(session);
    ctx.log(`client connected to ${lookup.stream.name} (${this.sessions.size} connected)`);
    ws.on("close", (code) => {
      this.sessions.delete(session);
      ctx.log(`client of ${lookup.stream.name} closed (${code}; ${this.sessions.size} connected)`);
    });
  }
}

/** Sends one error frame, then closes with `code`. */
function refuse(ws: WebSocket, code: ErrorCode, message: string, closeCode: number): void {
  const frame: ErrorFrame = { type: "error", code, message };
  ws.send(JSON.stringify(frame));
  ws.close(closeCode, code);
}

/** Answers an upgrade request with HTTP 503 and closes the socket. */
function rejectUpgrade(socket: Duplex, message: string): void {
  const body = JSON.stringify({ error: { code: "upgrade_refused", message } });
  socket.on("error", () => {});
  socket.end(
    "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Type: application/json\r\n" +
      `Retry-After: 1\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
