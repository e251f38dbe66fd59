/**
 * Entry point. `?source=NAME` watches another source (tenant); `?hud` opens the
 * performance HUD at start.
 */
import { render } from "solid-js/web";
import { applyTheme, storedTheme } from "./app/theme.ts";
import { readChartColors } from "./charts/chart-colors.ts";
import { App } from "./components/App.tsx";
import "./styles/global.css";

// Before the first render, so the page never flashes the other theme.
applyTheme(storedTheme());
readChartColors();

const params = new URLSearchParams(location.search);
const root = document.getElementById("root");
if (root === null) throw new Error("index.html must contain <div id=\"root\">");
render(() => <App source={params.get("source") ?? "default"} hud={params.has("hud")} />, root);
