/**
 * The theme on a first visit follows the system's `prefers-color-scheme`; a choice the user
 * made wins from then on, and while there is none the theme follows the system as it changes.
 */
import { createRoot } from "solid-js";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createTheme, storedTheme, THEME_STORAGE_KEY } from "../../src/app/theme.ts";

/** A `matchMedia` whose "(prefers-color-scheme: light)" answer the test sets and changes. */
function systemScheme(initial: "light" | "dark") {
  let light = initial === "light";
  const listeners = new Set<() => void>();
  vi.stubGlobal("matchMedia", (query: string) => ({
    get matches() {
      return query === "(prefers-color-scheme: light)" ? light : query === "(prefers-color-scheme: dark)" ? !light : false;
    },
    media: query,
    addEventListener: (_type: string, listener: () => void) => listeners.add(listener),
    removeEventListener: (_type: string, listener: () => void) => listeners.delete(listener),
  }));
  return {
    set(scheme: "light" | "dark") {
      light = scheme === "light";
      listeners.forEach((listener) => listener());
    },
    listeners,
  };
}

beforeEach(() => localStorage.clear());
afterEach(() => {
  vi.unstubAllGlobals();
  localStorage.clear();
});

describe("theme", () => {
  it("picks the system's scheme on a first visit", () => {
    systemScheme("light");
    expect(storedTheme()).toBe("light");
    systemScheme("dark");
    expect(storedTheme()).toBe("dark");
  });

  it("prefers the user's stored choice over the system's", () => {
    systemScheme("light");
    localStorage.setItem(THEME_STORAGE_KEY, "dark");
    expect(storedTheme()).toBe("dark");
  });

  it("follows the system while nothing is chosen, and stops once the user chooses", () => {
    const system = systemScheme("dark");
    createRoot((dispose) => {
      const theme = createTheme();
      expect(theme.theme()).toBe("dark");
      system.set("light");
      expect(theme.theme()).toBe("light");
      expect(document.documentElement.dataset.theme).toBe("light");

      theme.toggle(); // the user chooses dark
      system.set("light");
      expect(theme.theme()).toBe("dark");
      expect(localStorage.getItem(THEME_STORAGE_KEY)).toBe("dark");
      dispose();
    });
    expect(system.listeners.size).toBe(0);
  });
});
