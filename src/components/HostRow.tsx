/**
 * One visible host: latest CPU with a meter, and a tiny sparkline. The row tracks its own
 * series only (the id changes as the table scrolls or re-sorts; the row follows it).
 */
import { createMemo } from "solid-js";
import { useDashboard } from "../app/dashboard-context.ts";
import { PALETTE } from "../charts/chart-colors.ts";
import { NO_VALUE } from "../format.ts";
import { Sparkline } from "./Sparkline.tsx";

export interface HostRowProps {
  id: string;
  /** Untrusted text from the catalogue. */
  label: string;
  top: number;
  height: number;
  /** 1-based row index in the table (the header is row 1). */
  rowIndex: number;
}

/** Meter colour by load. */
const loadColor = (v: number): string => (v >= 80 ? PALETTE.red : v >= 60 ? PALETTE.orange : PALETTE.green);

export function HostRow(props: HostRowProps) {
  const { view } = useDashboard();
  const latest = view.createHeldMemo(() => {
    const ring = view.series(props.id);
    return { ring, value: ring?.lastValue ?? NaN, id: props.id };
  });
  const value = () => latest().value;
  const pct = createMemo(() => (Number.isFinite(value()) ? Math.max(0, Math.min(100, value())) : 0));

  return (
    <div class="hosts__row" role="row" aria-rowindex={props.rowIndex} style={{ transform: `translateY(${props.top}px)`, height: `${props.height}px` }}>
      <span role="cell" class="hosts__name" title={props.label}>
        {props.label}
      </span>
      <span role="cell" class="hosts__num">
        <span class="hosts__meter" aria-hidden="true">
          <span style={{ width: `${pct()}%`, background: loadColor(value()) }} />
        </span>
        <span class="num hosts__value">{Number.isFinite(value()) ? `${value().toFixed(1)}%` : NO_VALUE}</span>
      </span>
      <span role="cell" class="hosts__spark">
        <Sparkline ring={latest().ring} revision={latest()} color={loadColor(value())} windowMs={60_000} label={`${props.label} CPU, last 60 s`} fill={false} />
      </span>
    </div>
  );
}
