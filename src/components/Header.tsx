/** The top bar: product, source, connection status and the view controls. */
import { useDashboard } from "../app/dashboard-context.ts";
import { formatCompact } from "../format.ts";
import { ConnectionStatus } from "./ConnectionStatus.tsx";
import { PauseControl } from "./PauseControl.tsx";
import { ThemeToggle } from "./ThemeToggle.tsx";
import "./Header.css";

export interface HeaderProps {
  /** The stream's source (tenant). */
  source: string;
  hudOpen: boolean;
  onToggleHud: () => void;
}

export function Header(props: HeaderProps) {
  const { realtime } = useDashboard();
  return (
    <header class="header">
      <div class="header__brand">
        <svg class="header__logo" viewBox="0 0 24 24" aria-hidden="true">
          <path d="M2 13h4l2.5-6 4 12 3-9 2 3H22" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round" />
        </svg>
        <h1 class="header__name">Pulseboard</h1>
        <span class="header__source">
          <span class="header__source-label">source</span>{" "}
          <span class="header__source-name" title={props.source}>
            {props.source}
          </span>
          <span class="header__meta num">
            {realtime.catalogue().length} metrics · {formatCompact(Math.round(realtime.stats().pointsPerSecond))} points/s
          </span>
        </span>
      </div>
      <div class="header__controls">
        <ConnectionStatus />
        <PauseControl />
        {/* aria-controls only while the HUD exists: an id that is not in the page is an error. */}
        <button
          type="button"
          class="button"
          aria-pressed={props.hudOpen}
          aria-controls={props.hudOpen ? "perf-hud" : undefined}
          title="Performance HUD: rates, renders, frames"
          onClick={() => props.onToggleHud()}
        >
          HUD
        </button>
        <ThemeToggle />
      </div>
    </header>
  );
}
