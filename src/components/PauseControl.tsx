/**
 * Pause / resume. Pausing freezes the view (cards, charts, list) within one frame while the
 * client keeps ingesting; the badge counts the points that arrived meanwhile. Space toggles,
 * unless focus is in a control that uses the key itself (text fields, buttons, selects).
 */
import { onCleanup, onMount, Show } from "solid-js";
import { useDashboard } from "../app/dashboard-context.ts";
import { formatCompact } from "../format.ts";
import "./PauseControl.css";

/** Elements where Space already means something. */
function ownsSpace(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  // Focusable scroll areas (the event list) page down with Space.
  return target.closest("input, textarea, select, button, a[href], [role='button'], [role='checkbox'], [role='switch'], [tabindex]:not([tabindex='-1'])") !== null;
}

export function PauseControl() {
  const { view } = useDashboard();

  onMount(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.code !== "Space" && event.key !== " ") return;
      if (event.repeat || event.ctrlKey || event.metaKey || event.altKey || ownsSpace(event.target)) return;
      event.preventDefault(); // no page scroll
      view.toggle();
    };
    window.addEventListener("keydown", onKey);
    onCleanup(() => window.removeEventListener("keydown", onKey));
  });

  return (
    <div class="pause">
      <button
        type="button"
        class="button pause__button"
        aria-pressed={view.paused()}
        aria-keyshortcuts="Space"
        title={view.paused() ? "Resume live view (Space)" : "Pause the view; data keeps arriving (Space)"}
        onClick={() => view.toggle()}
      >
        <span aria-hidden="true" class="pause__icon">
          {view.paused() ? "▶" : "❚❚"}
        </span>
        {view.paused() ? "Resume" : "Pause"}
      </button>
      <Show when={view.paused()}>
        <span class="badge pause__badge num" data-testid="paused-points" aria-label={`${view.pausedPoints()} points arrived while paused`}>
          +{formatCompact(view.pausedPoints())} pts
        </span>
      </Show>
    </div>
  );
}
