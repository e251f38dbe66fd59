import { Show } from "solid-js";
import { createRealtime, createThrottledSignal, type RealtimeOptions } from "@pulseboard/solid";

/** The connection state and the newest CPU sample, its text changing at most 4 times a second. */
export function CpuReadout(props: RealtimeOptions) {
  const live = createRealtime(props); // connects now, closes with the component
  // An empty ring's lastValue is NaN: no sample yet.
  const cpu = createThrottledSignal(() => live.series("cpu.usage")?.lastValue ?? NaN, 250);
  return (
    <p>
      <span data-testid="state">{live.state()}</span>
      <Show when={!Number.isNaN(cpu())}>
        {" "}CPU <span data-testid="cpu">{cpu().toFixed(1)}</span> %
      </Show>
    </p>
  );
}
