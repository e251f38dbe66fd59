/** Small builders for ingest batches and waiting on feeds, shared by the engine tests. */
import type { Engine, EngineOptions, FeedEvent, IngestBatch, MetricDeclaration } from "../../src/index.js";
import { emptyBatch } from "../../src/index.js";

/** A batch of samples: `{ id: [[t, v], ...] }`, plus optional events and declarations. */
export function batch(
  series: Record<string, Array<[number, number]>>,
  extra: { events?: IngestBatch["events"]; metrics?: MetricDeclaration[] } = {},
): IngestBatch {
  const b = emptyBatch();
  for (const [id, points] of Object.entries(series)) b.series.set(id, { t: points.map((p) => p[0]), v: points.map((p) => p[1]) });
  for (const e of extra.events ?? []) b.events.push(e);
  for (const m of extra.metrics ?? []) b.metrics.set(m.id, m);
  return b;
}

export function event(t: number, text: string): IngestBatch["events"][number] {
  return { t, level: "info", kind: "log", source: "test", text };
}

/** Collects a feed's events; `until` waits (bounded) for a condition on them. */
export class FeedRecorder {
  readonly events: FeedEvent[] = [];
  readonly listener = (event: FeedEvent): void => {
    this.events.push(event);
  };

  /** Seqs of every frame received, in order. */
  get seqs(): number[] {
    return this.events.flatMap((e) => (e.type === "frames" ? e.frames.map((f) => f.seq) : []));
  }

  async until(condition: () => boolean, timeoutMs = 8000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`feed condition not met within ${timeoutMs} ms; events: ${JSON.stringify(this.events.map((e) => e.type))}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

/** Unwraps an engine result or fails the test with its error. */
export function must<T>(result: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }): T {
  if (!result.ok) throw new Error(`engine error ${result.error.code}: ${result.error.message}`);
  return result.value;
}

export type EngineFactory = (options: EngineOptions) => Promise<Engine>;
