/**
 * Colours for canvas drawing. Canvas cannot read CSS variables, so the theme's chart colours
 * are read from the stylesheet (`--chart-*` on the root element) into a plain object when the
 * theme changes, and chart options read that object through functions at draw time: a theme
 * switch is then a redraw, not a chart rebuild.
 *
 * @module
 */

/** Series colours, chosen to read on both the dark and the light background. */
export const PALETTE = {
  green: "#3fb950",
  blue: "#4f8ff7",
  yellow: "#d9a412",
  orange: "#f0883e",
  red: "#f2495c",
  purple: "#a371f7",
  teal: "#2bb3a8",
  pink: "#db61a2",
} as const;

/** Theme-dependent colours of axes, grid and text. */
export interface ChartColors {
  axis: string;
  grid: string;
  text: string;
  background: string;
}

/** The current colours; updated in place by {@link readChartColors}. */
export const chartColors: ChartColors = { axis: "#8b949e", grid: "rgba(139,148,158,0.15)", text: "#c9d1d9", background: "#0d1117" };

/**
 * Read the `--chart-*` variables of the root element into {@link chartColors}.
 * @param root - element carrying the theme.
 * @default root document.documentElement
 */
export function readChartColors(root: HTMLElement = document.documentElement): void {
  const style = getComputedStyle(root);
  const read = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
  chartColors.axis = read("--chart-axis", chartColors.axis);
  chartColors.grid = read("--chart-grid", chartColors.grid);
  chartColors.text = read("--chart-text", chartColors.text);
  chartColors.background = read("--chart-bg", chartColors.background);
}

/**
 * A colour with alpha, for area fills.
 * @param hex - "#rrggbb".
 * @param alpha - 0..1.
 * @returns "rgba(r,g,b,a)".
 */
export function withAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha})`;
}
