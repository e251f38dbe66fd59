/**
 * The stream's events (deploys, alerts, log lines) flowing into the app's bounded
 * {@link EventStore}, with one Solid signal that fires per batch.
 *
 * The client delivers events frame-batched (one call per paint however many arrived), so the
 * list re-renders at most once per frame even during a replay burst.
 *
 * @module
 */
import { createSignal, onCleanup, type Accessor } from "solid-js";
import type { ManagerLike } from "@pulseboard/solid";
import { EventStore } from "./event-store.ts";

/** The event store plus its change signal. */
export interface EventFeed {
  readonly store: EventStore;
  /** Fires after every appended batch; read it to re-run when events arrive. */
  readonly version: Accessor<void>;
  /** Events the client dropped before this feed read them (its own ring overflowed). */
  readonly missed: Accessor<number>;
}

/**
 * @param manager - the client.
 * @param capacity - most events kept. @default 100 000
 * @returns the feed, subscribed until the owner is disposed.
 */
export function createEventFeed(manager: ManagerLike, capacity = 100_000): EventFeed {
  const store = new EventStore(capacity);
  const [version, bump] = createSignal<void>(undefined, { equals: false });
  const [missed, setMissed] = createSignal(0);
  store.append(manager.events());
  const off = manager.on("events", ({ events, missed: lost }) => {
    store.append(events);
    if (lost > 0) setMissed((n) => n + lost);
    bump();
  });
  onCleanup(off);
  return { store, version, missed };
}
