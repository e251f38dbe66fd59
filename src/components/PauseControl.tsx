/**
 * Pause / resume. Pausing freezes the view (cards, charts, list) within one frame while the
 * client keeps ingesting; the badge counts the points that arrived meanwhile. Space toggles,
 * unless focus is in a control that uses the key itself (text fields, buttons, selects), or
 * has just left one without going anywhere else.
 *
 * "Just left": when the focused control disappears (re-rendered, hidden, disabled), focus
 * falls back to the page body, and the user, who still thinks they are on the control, presses
 * Space for it. So after a control had focus, Space does nothing until focus or a pointer
 * press lands on something that is not a control.
 */
import { onCleanup, onMount, Show } from "solid-js";
import { useDashboard } from "../app/dashboard-context.ts";
import { formatCompact } from "../format.ts";
import "./PauseControl.css";

/** Elements where Space already means something. Focusable scroll areas (the event list) page down with it. */
const SPACE_OWNERS = "input, textarea, select, button, a[href], [role='button'], [role='checkbox'], [role='switch'], [tabindex]:not([tabindex='-1'])";

/** @returns the control around `target` that uses Space itself, or null. */
function spaceOwner(target: EventTarget | null): Element | null {
  if (!(target instanceof HTMLElement)) return null;
  if (target.isContentEditable) return target;
  return target.closest(SPACE_OWNERS);
}

export function PauseControl() {
  const { view } = useDashboard();

  onMount(() => {
    // The control that had focus (or was pressed) last, until focus or a press goes elsewhere.
    let lastControl: Element | null = null;
    const onFocusOrPress = (event: Event): void => {
      lastControl = spaceOwner(event.target);
    };
    const onKey = (event: KeyboardEvent): void => {
      if (event.code !== "Space" && event.key !== " ") return;
      if (event.repeat || event.ctrlKey || event.metaKey || event.altKey) return;
      if (spaceOwner(event.target) !== null || lastControl !== null) return;
      event.preventDefault(); // no page scroll
      view.toggle();
    };
    window.addEventListener("focusin", onFocusOrPress, true);
    window.addEventListener("pointerdown", onFocusOrPress, true);
    window.addEventListener("keydown", onKey);
    onCleanup(() => {
      window.removeEventListener("focusin", onFocusOrPress, true);
      window.removeEventListener("pointerdown", onFocusOrPress, true);
      window.removeEventListener("keydown", onKey);
    });
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
