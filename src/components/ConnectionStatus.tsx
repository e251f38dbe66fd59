/**
 * The connection status line: state, transport, round trip, retry countdown, failure reason,
 * and "Stalled" when the connection is up but nothing arrives (see app/liveness.ts). It never
 * says more than the client knows: "Live" only in the states in which data or poll replies
 * arrive, "Server unreachable — retrying in N s" when every transport fails (the client's
 * `unreachable` state and its announced retry time), and the round trip only while a
 * WebSocket carries the stream and something arrives (it is the last one measured: over
 * HTTP polling, or while stalled, it is not the current one). It is a polite live region, so
 * assistive technology announces "Reconnecting" and "Live" without interrupting.
 */
import { createEffect, createMemo, createSignal, onCleanup, Show } from "solid-js";
import type { ConnectionState } from "@pulseboard/realtime-client";
import { useDashboard } from "../app/dashboard-context.ts";
import { formatDuration } from "../format.ts";
import "./ConnectionStatus.css";

const LABELS: Record<ConnectionState, string> = {
  idle: "Idle",
  connecting: "Connecting…",
  open: "Live",
  polling: "Live (polling)",
  reconnecting: "Reconnecting…",
  unreachable: "Server unreachable",
  closed: "Disconnected",
  failed: "Connection failed",
};

export function ConnectionStatus() {
  const { realtime, liveness } = useDashboard();
  const [now, setNow] = createSignal(Date.now());

  // Tick only while a countdown is on screen.
  createEffect(() => {
    if (realtime.retryAt() === null) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 250);
    onCleanup(() => clearInterval(timer));
  });

  /** "retrying in 4 s", or "retrying now…" once the attempt is (about to be) under way. */
  const countdown = (verb: string, at: number | null): string => {
    const left = at === null ? 0 : Math.max(0, at - now());
    return left < 100 ? `${verb} now…` : `${verb} in ${formatDuration(Math.ceil(left / 1000) * 1000)}`;
  };

  const label = createMemo(() => {
    const state = realtime.state();
    const at = realtime.retryAt();
    if (state === "unreachable") return `Server unreachable — ${countdown("retrying", at)}`;
    if (state === "reconnecting" && at !== null) return countdown("Reconnecting", at);
    if (liveness.stalled()) return `Stalled — no data for ${formatDuration(Math.floor((liveness.silentMs() ?? 0) / 1000) * 1000)}`;
    return LABELS[state];
  });
  const rtt = () => realtime.stats().rttMs;
  const flowing = () => realtime.state() === "open" || realtime.state() === "polling";

  return (
    <div class="connection" role="status" aria-live="polite" data-state={realtime.state()} data-stalled={liveness.stalled() ? "" : undefined}>
      <span class="connection__dot" aria-hidden="true" />
      <span class="connection__label">{label()}</span>
      <Show when={flowing()}>
        <span class="connection__detail num">
          {realtime.transport() === "websocket" ? "WebSocket" : "HTTP polling"}
          <Show when={realtime.transport() === "websocket" && rtt() !== null && !liveness.stalled()}> · RTT {Math.round(rtt() ?? 0)} ms</Show>
        </span>
      </Show>
      <Show when={realtime.state() === "failed" || realtime.state() === "reconnecting" || realtime.state() === "unreachable"}>
        <span class="connection__reason" title={realtime.reason()}>
          {realtime.reason()}
        </span>
      </Show>
    </div>
  );
}
