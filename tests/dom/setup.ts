// jsdom lacks what uPlot touches at import and construction time: matchMedia, Path2D and a 2D
// canvas context (jsdom's getContext returns null). These stand-ins let components mount and
// be counted; real drawing is tested in Chromium (tests/e2e).
import { cleanup } from "@solidjs/testing-library";
import { afterEach, vi } from "vitest";

if (!window.matchMedia) {
  window.matchMedia = (query: string) =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => {},
      removeListener: () => {},
      addEventListener: () => {},
      removeEventListener: () => {},
      dispatchEvent: () => false,
    }) as unknown as MediaQueryList;
}

class FakePath2D {
  moveTo() {}
  lineTo() {}
  rect() {}
  arc() {}
  closePath() {}
  bezierCurveTo() {}
  quadraticCurveTo() {}
  addPath() {}
}
(globalThis as unknown as { Path2D: unknown }).Path2D ??= FakePath2D;

/** A 2D context whose every method is a no-op and whose measureText returns a width. */
function fakeContext(canvas: HTMLCanvasElement): CanvasRenderingContext2D {
  const state: Record<string | symbol, unknown> = { canvas };
  return new Proxy(state, {
    get(target, key) {
      if (key in target) return target[key];
      if (key === "measureText") return (text: string) => ({ width: String(text).length * 6 });
      if (key === "getImageData") return () => ({ data: new Uint8ClampedArray(4) });
      if (key === "createLinearGradient" || key === "createPattern") return () => ({ addColorStop() {} });
      return () => {};
    },
    set(target, key, value) {
      target[key] = value;
      return true;
    },
  }) as unknown as CanvasRenderingContext2D;
}

vi.spyOn(HTMLCanvasElement.prototype, "getContext").mockImplementation(function (this: HTMLCanvasElement) {
  return fakeContext(this);
} as unknown as HTMLCanvasElement["getContext"]);

if (!("ResizeObserver" in globalThis)) {
  class FakeResizeObserver {
    observe() {}
    unobserve() {}
    disconnect() {}
  }
  (globalThis as unknown as { ResizeObserver: unknown }).ResizeObserver = FakeResizeObserver;
}

// Unmount what each test rendered (the library only does this itself with vitest globals).
afterEach(() => cleanup());
