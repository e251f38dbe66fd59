/**
 * Per-host CPU, one row per `host.*` series: a virtualized, sortable table that stays smooth
 * with 10 000 hosts updating once a second.
 *
 * Only the visible rows exist. The order is recomputed at most once a second (sorting 10 000
 * numbers takes about a millisecond; doing it every frame would also make the rows jump under
 * the pointer), and each row shows the value its host was sorted by, read at that same moment:
 * a row that followed its series live would show newer numbers than the order was made from,
 * and a table sorted by CPU would be visibly out of order between two sorts.
 */
import { createMemo, createSignal, For, untrack } from "solid-js";
import { useDashboard } from "../app/dashboard-context.ts";
import { formatCompact } from "../format.ts";
import { createThrottledSignal } from "@pulseboard/solid";
import { createRowVirtualizer, type ViewportSize } from "./createRowVirtualizer.ts";
import { HostRow, type HostSnapshot } from "./HostRow.tsx";
import "./HostsTable.css";

export const HOST_ROW_HEIGHT = 28;

/** What a row shows while the virtualizer still has an index the order no longer has. */
const NO_HOST: HostSnapshot = { id: "", label: "", value: NaN };

type SortKey = "name" | "value";

export interface HostsTableProps {
  /** Catalogue group of the host series. @default "hosts" */
  group?: string;
  /** Fixed viewport size (jsdom has no layout; tests use it). */
  viewportSize?: ViewportSize;
  class?: string;
}

export function HostsTable(props: HostsTableProps) {
  const { realtime, view } = useDashboard();
  const [sortKey, setSortKey] = createSignal<SortKey>("value");
  const [descending, setDescending] = createSignal(true);
  let scroller!: HTMLDivElement;

  const hosts = createMemo(() => realtime.catalogue().filter((m) => m.group === (props.group ?? "hosts")));
  // Any flush, at most once a second (leading and trailing).
  const tick = createThrottledSignal(() => view.frame(), 1000);
  const order = view.createHeldMemo(() => {
    tick();
    const key = sortKey();
    const sign = descending() ? -1 : 1;
    const list = untrack(hosts).map((m): HostSnapshot => ({ id: m.id, label: m.label, value: realtime.manager.series(m.id)?.lastValue ?? NaN }));
    list.sort((a, b) => {
      if (key === "name") return sign * a.label.localeCompare(b.label);
      // Hosts without data sort last either way.
      const av = Number.isFinite(a.value) ? a.value : -Infinity * sign;
      const bv = Number.isFinite(b.value) ? b.value : -Infinity * sign;
      return sign * (av - bv) || a.label.localeCompare(b.label);
    });
    return list;
  });
  const busy = createMemo(() => order().filter((h) => h.value >= 80).length);

  const virtualizer = createRowVirtualizer({
    count: () => order().length,
    scroller: () => scroller,
    rowHeight: HOST_ROW_HEIGHT,
    overscan: 6,
    fixedSize: untrack(() => props.viewportSize),
  });

  const sortBy = (key: SortKey): void => {
    if (sortKey() === key) setDescending(!descending());
    else {
      setSortKey(key);
      setDescending(key === "value");
    }
  };
  const ariaSort = (key: SortKey) => (sortKey() === key ? (descending() ? "descending" : "ascending") : "none");
  const arrow = (key: SortKey) => (sortKey() === key ? (descending() ? "↓" : "↑") : "");

  return (
    <section class={`panel hosts ${props.class ?? ""}`} aria-label="Hosts">
      <header class="panel__head">
        <h2 class="panel__title">Hosts</h2>
        <span class="panel__subtitle num">
          {formatCompact(hosts().length)} hosts · {busy()} above 80% CPU
        </span>
      </header>
      <div class="hosts__table" role="table" aria-label="CPU by host" aria-rowcount={order().length + 1}>
        <div class="hosts__row hosts__row--head" role="row">
          <span role="columnheader" aria-sort={ariaSort("name")}>
            <button type="button" class="hosts__sort" onClick={() => sortBy("name")}>
              Host {arrow("name")}
            </button>
          </span>
          <span role="columnheader" aria-sort={ariaSort("value")} class="hosts__num">
            <button type="button" class="hosts__sort" onClick={() => sortBy("value")}>
              CPU {arrow("value")}
            </button>
          </span>
          <span role="columnheader">Last 60 s</span>
        </div>
        <div class="hosts__viewport" ref={(el) => (scroller = el)} role="rowgroup" tabIndex={0} data-testid="hosts-scroller">
          <div class="hosts__spacer" style={{ height: `${virtualizer.getTotalSize()}px` }}>
            <For each={virtualizer.getVirtualItems()}>
              {(item) => (
                <HostRow
                  host={order()[item.index] ?? NO_HOST}
                  top={item.start}
                  height={HOST_ROW_HEIGHT}
                  rowIndex={item.index + 2}
                />
              )}
            </For>
          </div>
        </div>
      </div>
    </section>
  );
}
