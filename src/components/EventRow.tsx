/**
 * One row of the event log. Event text and source come from the network: they are rendered
 * as text nodes (JSX expressions), never as HTML, on one line cut by an ellipsis (EventLog.css),
 * with the full text as the tooltip.
 */
import { Show } from "solid-js";
import type { StreamEvent } from "@pulseboard/realtime-client";
import { formatClock } from "../format.ts";

export interface EventRowProps {
  event: StreamEvent | undefined;
  /** Offset from the top of the list, px. */
  top: number;
  height: number;
  /** 1-based position and list size, for assistive technology. */
  position: number;
  setSize: number;
}

export function EventRow(props: EventRowProps) {
  return (
    <li
      class="event"
      data-level={props.event?.level}
      aria-posinset={props.position}
      aria-setsize={props.setSize}
      style={{ transform: `translateY(${props.top}px)`, height: `${props.height}px` }}
    >
      <Show when={props.event}>
        {(event) => (
          <>
            <time class="event__time num" datetime={new Date(event().t).toISOString()}>
              {formatClock(event().t)}
            </time>
            <span class="event__level">{event().level}</span>
            <span class="event__source" title={`${event().source} (${event().kind})`}>
              {event().source}
            </span>
            <span class="event__text" title={event().text}>
              {event().text}
            </span>
          </>
        )}
      </Show>
    </li>
  );
}
