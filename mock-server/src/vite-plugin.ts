/**
 * Attaches the mock metrics service to Vite's dev and preview servers, so `npm start` is one
 * process on one origin: the page, `/ws`, `/api/*`, `/healthz` and `/admin/faults` all come from
 * http://127.0.0.1:5173. One Ctrl-C stops both, and no proxy sits between the browser and the
 * stream (a proxy would add its own buffering to the latency the dashboard measures).
 *
 * Configuration comes from the environment, read when the server starts:
 * - `PULSEBOARD_MOCK_FLAGS`: the standalone CLI's flags (`npm run mock -- --help`), e.g.
 *   `--rate 1000 --hosts 10000`. Fault injection is on by default here (`/admin/faults`).
 * - `PULSEBOARD_MOCK=0`: serve the dashboard without the mock service.
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { Connect, Plugin } from "vite";
import { parseMockFlags } from "./flags.js";
import { createMetricsService, type MetricsService } from "./service.js";

function attach(httpServer: Server | null, middlewares: Connect.Server, log: (line: string) => void): void {
  if (process.env.PULSEBOARD_MOCK === "0" || !httpServer) return;
  const { options } = parseMockFlags(process.env.PULSEBOARD_MOCK_FLAGS ?? "");
  const service: MetricsService = createMetricsService({ faults: true, ...options });
  middlewares.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
    if (!service.handleRequest(req, res)) next();
  });
  // Vite's own HMR socket shares this server: handleUpgrade declines every path but /ws.
  httpServer.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    service.handleUpgrade(req, socket, head);
  });
  httpServer.once("close", () => void service.close());
  log(`mock metrics server attached: /ws, /api/*, /healthz, /admin/faults (${service.metrics.length} metrics)`);
}

/** The Vite plugin: `plugins: [solid(), pulseboardMockServer()]`. */
export function pulseboardMockServer(): Plugin {
  return {
    name: "pulseboard-mock-server",
    configureServer(server) {
      attach(server.httpServer as Server | null, server.middlewares, (line) => server.config.logger.info(line));
    },
    configurePreviewServer(server) {
      attach(server.httpServer as Server, server.middlewares, (line) => server.config.logger.info(line));
    },
  };
}
