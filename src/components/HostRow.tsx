/**
 * One visible host: CPU with a meter, and a tiny sparkline, all as of the table's latest sort
 * (HostsTable.tsx): the row shows the value the order was made from, so the rows are in the
 * order of the numbers on screen at every moment. The row follows its host as the table
 * scrolls or re-sorts.
 */
import { createMemo, untrack } from "solid-js";
import { useDashboard } from "../app/dashboard-context.ts";
import { PALETTE } from "../charts/chart-colors.ts";
import { NO_VALUE } from "../format.ts";
import { Sparkline } from "./Sparkline.tsx";

/** A host as the table sorted it: its latest value at the moment of the sort. */
export interface HostSnapshot {
  id: string;
  /** Untrusted text from the catalogue. */
  label: string;
  /** Latest CPU value when the order was computed (NaN before any sample). */
  value: number;
}

export interface HostRowProps {
  /** A new object at every sort: the row redraws with it. */
  host: HostSnapshot;
  top: number;
  height: number;
  /** 1-based row index in the table (the header is row 1). */
  rowIndex: number;
}

/** Meter colour by load. */
const loadColor = (v: number): string => (v >= 80 ? PALETTE.red : v >= 60 ? PALETTE.orange : PALETTE.green);

export function HostRow(props: HostRowProps) {
  const { realtime } = useDashboard();
  // The ring as of the sort: the sparkline redraws when the snapshot changes, not on every sample.
  const ring = createMemo(() => {
    const { id } = props.host;
    return untrack(() => realtime.manager.series(id));
  });
  const value = () => props.host.value;
  const pct = createMemo(() => (Number.isFinite(value()) ? Math.max(0, Math.min(100, value())) : 0));

  return (
    <div class="hosts__row" role="row" aria-rowindex={props.rowIndex} style={{ transform: `translateY(${props.top}px)`, height: `${props.height}px` }}>
      <span role="cell" class="hosts__name" title={props.host.label}>
        {props.host.label}
      </span>
      <span role="cell" class="hosts__num">
        <span class="hosts__meter" aria-hidden="true">
          <span style={{ width: `${pct()}%`, background: loadColor(value()) }} />
        </span>
        <span class="num hosts__value">{Number.isFinite(value()) ? `${value().toFixed(1)}%` : NO_VALUE}</span>
      </span>
      <span role="cell" class="hosts__spark">
        <Sparkline ring={ring()} revision={props.host} color={loadColor(value())} windowMs={60_000} label={`${props.host.label} CPU, last 60 s`} fill={false} />
      </span>
    </div>
  );
}
