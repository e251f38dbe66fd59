/**
 * The standalone server: a plain `node:http` server around the metrics service.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { MockServerOptions } from "./options.js";
import { createMetricsService, type MetricsService } from "./service.js";

/** A running standalone server. */
export interface RunningMockServer {
  /** Base URL, e.g. `http://127.0.0.1:8787`. */
  url: string;
  /** WebSocket URL, e.g. `ws://127.0.0.1:8787/ws`. */
  wsUrl: string;
  port: number;
  service: MetricsService;
  /** Closes sockets (1001), stops timers and releases the port. */
  close(): Promise<void>;
}

const NOT_FOUND = JSON.stringify({ error: { code: "not_found", message: "see /api/metrics, /api/poll, /api/history, /api/snapshot, /healthz and /ws" } });

/**
 * Starts the mock metrics server. With `port: 0` the system picks a free port (tests).
 *
 * @example
 * const server = await startMockServer({ port: 0, tickMs: 20 });
 * const ws = new WebSocket(`${server.wsUrl}?source=default`);
 * // ...
 * await server.close();
 */
export async function startMockServer(options: MockServerOptions = {}): Promise<RunningMockServer> {
  const service = createMetricsService(options);
  const { host, port } = service.options;
  const server = createServer((req, res) => {
    if (service.handleRequest(req, res)) return;
    res.writeHead(404, { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" });
    res.end(NOT_FOUND);
  });
  server.on("upgrade", (req, socket, head) => {
    if (service.handleUpgrade(req, socket, head)) return;
    socket.on("error", () => {});
    socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
  });
  // Errors on a client's socket before a request is parsed: answer 400 and move on.
  server.on("clientError", (_error, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;
  const hostForUrl = host.includes(":") ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${hostForUrl}:${actualPort}`,
    wsUrl: `ws://${hostForUrl}:${actualPort}/ws`,
    port: actualPort,
    service,
    close: () => {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await service.close();
        // Keep-alive HTTP connections would hold the port open until they time out.
        server.closeAllConnections();
        await stopped;
      })();
      return closing;
    },
  };
}
