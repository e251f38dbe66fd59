/**
 * Dark or light theme, remembered across reloads.
 *
 * The theme is a `data-theme` attribute on the root element; every colour in the stylesheets
 * is a CSS variable that depends on it, so switching is one attribute write. The choice is
 * stored in localStorage (which may be unavailable or full: private windows, quotas, so
 * every access is guarded and the dark default always works).
 *
 * Until the user picks one, the theme follows the system's `prefers-color-scheme` (on the
 * first visit, and when the system switches while the page is open).
 *
 * @module
 */
import { createSignal, onCleanup, untrack, type Accessor } from "solid-js";

export type ThemeName = "dark" | "light";

/** localStorage key of the theme choice. */
export const THEME_STORAGE_KEY = "pulseboard.theme";

const LIGHT_QUERY = "(prefers-color-scheme: light)";

/** @returns the theme the user chose (stored), or null if none was stored (or storage is unavailable). */
function chosenTheme(): ThemeName | null {
  try {
    const value = localStorage.getItem(THEME_STORAGE_KEY);
    return value === "light" || value === "dark" ? value : null;
  } catch {
    return null;
  }
}

/** The system's light-scheme query, where the browser has one. */
function lightQuery(): MediaQueryList | undefined {
  return typeof matchMedia === "function" ? matchMedia(LIGHT_QUERY) : undefined;
}

/** @returns the theme the system prefers: light only when it says so, else dark. */
export function systemTheme(): ThemeName {
  return lightQuery()?.matches === true ? "light" : "dark";
}

/** @returns the stored theme, else the system's preference (see {@link systemTheme}). */
export function storedTheme(): ThemeName {
  return chosenTheme() ?? systemTheme();
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
  /** Apply and remember a choice (from then on the system's preference is not followed). */
  setTheme(theme: ThemeName): void;
  toggle(): void;
}

/**
 * The theme under the current owner: initialised from localStorage or the system's
 * preference, applied to the document, and following the system until the user chooses.
 * @returns the theme signal and its setters.
 * @example
 * ```ts
 * const { theme, toggle } = createTheme();
 * toggle(); // the other theme, remembered
 * ```
 */
export function createTheme(): Theme {
  const initial = storedTheme();
  const [theme, setSignal] = createSignal<ThemeName>(initial);
  applyTheme(initial);
  let chosen = chosenTheme() !== null;

  const query = lightQuery();
  const onSystemChange = (): void => {
    if (chosen) return;
    const next = systemTheme();
    applyTheme(next);
    setSignal(next);
  };
  query?.addEventListener?.("change", onSystemChange);
  onCleanup(() => query?.removeEventListener?.("change", onSystemChange));

  const setTheme = (next: ThemeName): void => {
    chosen = true;
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
