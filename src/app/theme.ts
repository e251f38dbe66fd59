/**
 * Dark or light theme, remembered across reloads.
 *
 * The theme is a `data-theme` attribute on the root element; every colour in the stylesheets
 * is a CSS variable that depends on it, so switching is one attribute write. The choice is
 * stored in localStorage (which may be unavailable or full: private windows, quotas, so
 * every access is guarded and the dark default always works).
 *
 * @module
 */
import { createSignal, untrack, type Accessor } from "solid-js";

export type ThemeName = "dark" | "light";

/** localStorage key of the theme choice. */
export const THEME_STORAGE_KEY = "pulseboard.theme";

/** @returns the stored theme, or "dark". */
export function storedTheme(): ThemeName {
  try {
    return localStorage.getItem(THEME_STORAGE_KEY) === "light" ? "light" : "dark";
  } catch {
    return "dark";
  }
}

/**
 * Apply a theme to the document (also used before the first render, to avoid a flash).
 * @param theme - the theme.
 */
export function applyTheme(theme: ThemeName): void {
  document.documentElement.dataset.theme = theme;
}

/** The theme signal and its setter. */
export interface Theme {
  readonly theme: Accessor<ThemeName>;
  setTheme(theme: ThemeName): void;
  toggle(): void;
}

/**
 * @returns the theme, initialised from localStorage and applied to the document.
 * @example
 * ```ts
 * const { theme, toggle } = createTheme();
 * toggle(); // light, remembered
 * ```
 */
export function createTheme(): Theme {
  const initial = storedTheme();
  const [theme, setSignal] = createSignal<ThemeName>(initial);
  applyTheme(initial);
  const setTheme = (next: ThemeName): void => {
    applyTheme(next);
    try {
      localStorage.setItem(THEME_STORAGE_KEY, next);
    } catch {
      // Not remembered, still applied.
    }
    setSignal(next);
  };
  return { theme, setTheme, toggle: () => setTheme(untrack(theme) === "dark" ? "light" : "dark") };
}
