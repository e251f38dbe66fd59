/**
 * The smallest browser use of the client: one table row per metric, its newest value as
 * text, updated at most four times a second whatever the stream's rate.
 *
 *   npm run mock                                        # the mock server on 127.0.0.1:8787
 *   npx vite packages/realtime-client/examples/vanilla  # then open the printed URL
 *
 * `?url=ws://host:port/ws` points it at another server. Metric labels and units come from
 * the server: they are set with textContent, never as HTML.
 */
// In an application: import { WebSocketManager } from "@pulseboard/realtime-client";
import { WebSocketManager } from "../../src/index.js";

const url = new URLSearchParams(location.search).get("url") ?? "ws://127.0.0.1:8787/ws";
const status = document.getElementById("status") as HTMLElement;
const rows = document.getElementById("rows") as HTMLElement;
const valueCells = new Map<string, HTMLTableCellElement>();

const manager = new WebSocketManager({ url, events: false });

manager.on("hello", ({ metrics }) => {
  rows.replaceChildren();
  valueCells.clear();
  for (const metric of metrics.slice(0, 30)) {
    const row = document.createElement("tr");
    const label = document.createElement("td");
    label.textContent = metric.label;
    const value = document.createElement("td");
    value.className = "value";
    value.textContent = "-";
    const unit = document.createElement("td");
    unit.textContent = metric.unit;
    row.append(label, value, unit);
    rows.append(row);
    valueCells.set(metric.id, value);
  }
});

// Only the series that changed since the last call, at most every 250 ms.
manager.on(
  "data",
  ({ changed }) => {
    for (const id of changed) {
      const cell = valueCells.get(id);
      const ring = manager.series(id);
      if (cell !== undefined && ring !== undefined && ring.length > 0) cell.textContent = ring.lastValue.toFixed(2);
    }
  },
  { intervalMs: 250 },
);

const showStatus = (): void => {
  const s = manager.stats();
  status.textContent = `${s.state} over ${s.transport}; ${s.messagesPerSecond.toFixed(0)} messages/s; rtt ${s.rttMs ?? "-"} ms`;
  status.dataset.state = s.state;
};
manager.on("state", showStatus);
manager.on("error", ({ code, message }) => console.warn(`[pulseboard] ${code}: ${message}`));
setInterval(showStatus, 1000);

manager.connect();
addEventListener("pagehide", () => manager.close());
