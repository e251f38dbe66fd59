/**
 * Geometry of a donut chart as SVG paths (for any renderer: uPlot, for one, has no pie). Angles are in radians,
 * clockwise from 12 o'clock, like a clock face.
 *
 * @module
 */

/** One slice of a donut. */
export interface Slice {
  start: number;
  end: number;
  /** Angle of the slice's middle (where its label goes). */
  mid: number;
  /** Share of the whole, 0..1. */
  fraction: number;
}

const TAU = Math.PI * 2;

/**
 * Slices for the given values (negative and non-finite values count as 0).
 * @param values - one per slice.
 * @returns slices covering the circle in order; all empty when the total is 0.
 * @example
 * ```ts
 * slices([1, 1]); // [{ start: 0, end: π, ... }, { start: π, end: 2π, ... }]
 * ```
 */
export function slices(values: readonly number[]): Slice[] {
  let total = 0;
  for (const v of values) if (Number.isFinite(v) && v > 0) total += v;
  let angle = 0;
  return values.map((v) => {
    const fraction = total > 0 && Number.isFinite(v) && v > 0 ? v / total : 0;
    const start = angle;
    angle += fraction * TAU;
    return { start, end: angle, mid: (start + angle) / 2, fraction };
  });
}

/**
 * A point on a circle.
 * @param cx - centre x.
 * @param cy - centre y.
 * @param r - radius.
 * @param angle - clockwise from 12 o'clock.
 * @returns [x, y].
 */
export function polar(cx: number, cy: number, r: number, angle: number): [number, number] {
  return [cx + r * Math.sin(angle), cy - r * Math.cos(angle)];
}

const f = (n: number): string => n.toFixed(3);

/**
 * SVG path of a ring segment.
 * @param cx - centre x.
 * @param cy - centre y.
 * @param outer - outer radius.
 * @param inner - inner radius.
 * @param start - start angle.
 * @param end - end angle.
 * @returns the path `d`, or "" for an empty segment.
 */
export function ringSegment(cx: number, cy: number, outer: number, inner: number, start: number, end: number): string {
  const sweep = end - start;
  if (!(sweep > 1e-6)) return "";
  // An SVG arc cannot start and end at the same point: draw a full ring as two halves.
  if (sweep >= TAU - 1e-6) {
    const half = start + Math.PI;
    return `${ringSegment(cx, cy, outer, inner, start, half)} ${ringSegment(cx, cy, outer, inner, half, start + TAU)}`;
  }
  const large = sweep > Math.PI ? 1 : 0;
  const [x0, y0] = polar(cx, cy, outer, start);
  const [x1, y1] = polar(cx, cy, outer, end);
  const [x2, y2] = polar(cx, cy, inner, end);
  const [x3, y3] = polar(cx, cy, inner, start);
  return (
    `M${f(x0)} ${f(y0)}A${outer} ${outer} 0 ${large} 1 ${f(x1)} ${f(y1)}` +
    `L${f(x2)} ${f(y2)}A${inner} ${inner} 0 ${large} 0 ${f(x3)} ${f(y3)}Z`
  );
}
