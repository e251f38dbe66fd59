/**
 * The event log: a virtual list over up to 100 000 stream events (only the visible rows and
 * a few more exist in the DOM), that follows the tail while events stream in, stops
 * following as soon as the user scrolls up, and offers "Jump to latest (N new)".
 *
 * Following is decided from scroll positions: a scroll that leaves the bottom (by more than a
 * row) is the user reading; the scrolls the list makes itself to stay at the bottom are
 * recognised and ignored. When the store drops its oldest events while the user reads, the
 * scroll position moves up by as many rows, so the rows under the user's eyes stay put.
 */
import { createEffect, createMemo, createSignal, For, on, Show, untrack } from "solid-js";
import type { EventLevel } from "@pulseboard/realtime-client";
import { useDashboard } from "../app/dashboard-context.ts";
import { formatCompact } from "../format.ts";
import { createRowVirtualizer, type ViewportSize } from "./createRowVirtualizer.ts";
import { EventRow } from "./EventRow.tsx";
import "./EventLog.css";

/** Row height in CSS pixels; rows are fixed-height, so nothing needs measuring. */
export const EVENT_ROW_HEIGHT = 26;

const FILTERS: { level: EventLevel; label: string }[] = [
  { level: "debug", label: "All levels" },
  { level: "info", label: "Info and above" },
  { level: "warn", label: "Warnings and above" },
  { level: "error", label: "Errors only" },
];

export interface EventLogProps {
  /** Rows rendered beyond the visible ones, each side. @default 8 */
  overscan?: number;
  /**
   * A fixed viewport size instead of observing the element (jsdom has no layout; tests use
   * it). In the browser the list measures itself.
   */
  viewportSize?: ViewportSize;
  class?: string;
}

export function EventLog(props: EventLogProps) {
  const { events, view } = useDashboard();
  const store = events.store;
  const [level, setLevel] = createSignal<EventLevel>("debug");
  const [following, setFollowing] = createSignal(true);
  /** store.total when following stopped: what came after is "new". */
  const [unseenFrom, setUnseenFrom] = createSignal(0);
  let scroller!: HTMLDivElement;
  /** scrollTop we set ourselves; the scroll event it causes is not the user's. */
  let ownScrollTop = -1;

  // The list's content version: new events (held while the view is paused) and the filter.
  const revision = view.createHeldMemo(() => {
    events.version();
    return { count: store.count(level()), total: store.total, level: level() };
  });
  const count = () => revision().count;

  const fixedSize = untrack(() => props.viewportSize);
  const virtualizer = createRowVirtualizer({
    count,
    scroller: () => scroller,
    rowHeight: EVENT_ROW_HEIGHT,
    overscan: untrack(() => props.overscan ?? 8),
    fixedSize,
  });

  const viewportHeight = (): number => fixedSize?.height ?? scroller.clientHeight;
  const bottomOffset = (): number => Math.max(0, count() * EVENT_ROW_HEIGHT - viewportHeight());

  const scrollTo = (top: number): void => {
    ownScrollTop = Math.round(top);
    scroller.scrollTop = top;
  };

  const jumpToLatest = (): void => {
    setFollowing(true);
    scrollTo(bottomOffset());
  };

  const onScroll = (): void => {
    const top = scroller.scrollTop;
    if (Math.abs(top - ownScrollTop) <= 1) return; // our own scroll
    ownScrollTop = -1;
    const atBottom = top >= bottomOffset() - EVENT_ROW_HEIGHT;
    if (atBottom && !following()) setFollowing(true);
    if (!atBottom && following()) {
      setFollowing(false);
      setUnseenFrom(store.total);
    }
  };

  // New content: stay at the bottom while following; otherwise keep the rows in place
  // when old events were dropped from the front.
  createEffect(
    on(revision, (next, prev) => {
      if (untrack(following)) {
        scrollTo(bottomOffset());
        return;
      }
      if (prev === undefined || prev.level !== next.level) return;
      const shifted = prev.count + store.countSince(prev.total, next.level) - next.count;
      if (shifted > 0) scrollTo(Math.max(0, scroller.scrollTop - shifted * EVENT_ROW_HEIGHT));
    }),
  );

  const unseen = createMemo(() => (following() ? 0 : (revision(), store.countSince(unseenFrom(), level()))));

  return (
    <section class={`panel events ${props.class ?? ""}`} aria-label="Event log">
      <header class="panel__head events__head">
        <h2 class="panel__title">Events</h2>
        <span class="panel__subtitle num">
          {formatCompact(count())} shown · {formatCompact(store.dropped)} dropped
        </span>
        <label class="events__filter">
          <span class="visually-hidden">Minimum level</span>
          <select value={level()} onChange={(e) => setLevel(e.currentTarget.value as EventLevel)}>
            <For each={FILTERS}>{(f) => <option value={f.level}>{f.label}</option>}</For>
          </select>
        </label>
      </header>
      <div class="events__viewport" ref={(el) => (scroller = el)} onScroll={onScroll} tabIndex={0} data-testid="event-scroller">
        <ul class="events__list" style={{ height: `${virtualizer.getTotalSize()}px` }} aria-label="Stream events, oldest first" aria-live="off">
          <For each={virtualizer.getVirtualItems()}>
            {(item) => (
              <EventRow
                event={(revision(), store.at(item.index, level()))}
                top={item.start}
                height={EVENT_ROW_HEIGHT}
                position={item.index + 1}
                setSize={count()}
              />
            )}
          </For>
        </ul>
      </div>
      <Show when={!following()}>
        <button type="button" class="button events__jump" onClick={jumpToLatest}>
          ↓ Jump to latest <span class="num">({formatCompact(unseen())} new)</span>
        </button>
      </Show>
    </section>
  );
}
