import { WebSocketManager } from "@pulseboard/realtime-client";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css"; // uPlot's layout: without it the legend lies over the plot

// The mock server (`npm run mock`); open the page with ?url=ws://host:port/ws for another.
const url = new URLSearchParams(location.search).get("url") ?? "ws://127.0.0.1:8787/ws";
const manager = new WebSocketManager({ url, metrics: ["cpu.usage"] });

let plot: uPlot | undefined;
manager.on("hello", () => {
  plot ??= new uPlot(
    {
      width: 800,
      height: 240,
      ms: 1, // the client's times are epoch milliseconds; uPlot assumes seconds without this
      series: [{}, { label: "CPU %", stroke: "#2563eb", width: 1 }], // no stroke, no line
    },
    [[], []],
    document.body,
  );
});

// At most once per animation frame, however many messages arrived.
manager.on("data", ({ changed }) => {
  const cpu = manager.series("cpu.usage");
  if (plot && cpu && changed.has("cpu.usage")) plot.setData([cpu.times(), cpu.values()]); // views, no copy
});

manager.on("state", ({ from, to, reason }) => console.info(`${from} -> ${to}: ${reason}`));
manager.on("error", ({ code, message }) => console.warn(code, message)); // never thrown

manager.connect();
// later: manager.close();
