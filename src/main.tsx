/**
 * Entry point. `?source=NAME` watches another source (tenant); `?hud` opens the
 * performance HUD at start (see app/page-options.ts).
 */
import { render } from "solid-js/web";
import { pageOptions } from "./app/page-options.ts";
import { applyTheme, storedTheme } from "./app/theme.ts";
import { readChartColors } from "./charts/chart-colors.ts";
import { App } from "./App.tsx";
import "./styles/global.css";

// Before the first render, so the page never flashes the other theme.
applyTheme(storedTheme());
readChartColors();

const options = pageOptions(location.search);
const root = document.getElementById("root");
if (root === null) throw new Error("index.html must contain <div id=\"root\">");
render(() => <App source={options.source} hud={options.hud} />, root);
