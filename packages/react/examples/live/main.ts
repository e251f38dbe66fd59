import { createElement as h, StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { useConnectionState, useRealtime, useSeries, useStats } from "@pulseboard/react";
import type { WebSocketManager } from "@pulseboard/realtime-client";

// ?url=ws://host:port/ws picks the server; by default the page's own origin (npm start).
const url = new URLSearchParams(location.search).get("url") ?? `ws://${location.host}/ws`;
const METRICS = ["cpu.usage", "memory.usage", "requests.rate"];

/** One metric's newest value: re-renders only when this metric received samples. */
function Metric({ manager, id }: { manager: WebSocketManager; id: string }) {
  const { ring } = useSeries(manager, id);
  const value = ring !== undefined && ring.length > 0 ? ring.lastValue.toFixed(1) : "–";
  return h("li", { "data-metric": id }, `${id} `, h("output", null, value));
}

function App() {
  const manager = useRealtime({ url }); // connects on mount, closes on unmount
  const state = useConnectionState(manager);
  const stats = useStats(manager, 1000);
  return h(
    "main",
    null,
    h("p", null, "State: ", h("output", { id: "state" }, state), ` · ${stats.messagesPerSecond} msg/s`),
    h("ul", null, METRICS.map((id) => h(Metric, { key: id, manager, id }))),
  );
}

createRoot(document.getElementById("root")!).render(h(StrictMode, null, h(App)));
