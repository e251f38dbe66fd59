/** Dark / light switch; the choice is remembered (see src/app/theme.ts). */
import { useDashboard } from "../app/dashboard-context.ts";

export function ThemeToggle() {
  const { theme } = useDashboard();
  return (
    <button
      type="button"
      class="button"
      aria-pressed={theme.theme() === "light"}
      data-testid="theme-toggle"
      title="Switch between the dark and the light theme"
      onClick={() => theme.toggle()}
    >
      <span aria-hidden="true">{theme.theme() === "dark" ? "☾" : "☀"}</span>
      {theme.theme() === "dark" ? "Dark" : "Light"}
    </button>
  );
}
