/**
 * `createTween`: animate a list of numbers towards a target, one requestAnimationFrame per
 * step, for smooth transitions between data updates (the donut's slices). A new target
 * mid-flight starts from where the animation is, so nothing jumps.
 *
 * @module
 */
import { createEffect, createSignal, on, onCleanup, untrack, type Accessor } from "solid-js";

const easeOutCubic = (x: number): number => 1 - (1 - x) ** 3;

/**
 * @param target - the values to reach (a reactive source).
 * @param ms - duration of one transition.
 * @returns the animated values.
 * @example
 * ```ts
 * const shown = createTween(() => shares(), 600);
 * ```
 */
export function createTween(target: Accessor<readonly number[]>, ms: number): Accessor<readonly number[]> {
  const [value, setValue] = createSignal<readonly number[]>(untrack(target));
  let handle = 0;
  const stop = (): void => {
    if (handle !== 0) cancelAnimationFrame(handle);
    handle = 0;
  };
  createEffect(
    on(
      target,
      (to) => {
        stop();
        const from = untrack(value);
        if (from.length !== to.length || typeof requestAnimationFrame !== "function") {
          setValue(to);
          return;
        }
        const start = performance.now();
        const step = (now: number): void => {
          const k = easeOutCubic(Math.min(1, (now - start) / ms));
          // A value that did not exist before (NaN) appears at once instead of never.
          setValue(to.map((v, i) => (Number.isFinite(from[i]) ? from[i] + (v - from[i]) * k : v)));
          handle = k < 1 ? requestAnimationFrame(step) : 0;
        };
        handle = requestAnimationFrame(step);
      },
      { defer: true },
    ),
  );
  onCleanup(stop);
  return value;
}
