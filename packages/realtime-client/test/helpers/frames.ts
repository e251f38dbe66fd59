/** Builders for server frames in fake-socket tests. */
import type { DataFrame, EventsFrame, HelloFrame, MetricInfo, SubscribedFrame } from "../../src/protocol-types.js";

export const CATALOGUE: MetricInfo[] = [
  { id: "cpu.usage", label: "CPU", unit: "%", kind: "gauge", rateHz: 10 },
  { id: "memory.usage", label: "Memory", unit: "%", kind: "gauge", rateHz: 10 },
];

/** Frame n covers the 100 ms window ending at T0 + n * 100: one sample per metric. */
export const T0 = 1_700_000_000_000;

export function hello(overrides: Partial<HelloFrame> = {}): HelloFrame {
  return {
    type: "hello",
    protocol: 1,
    source: "default",
    epoch: "epoch-1",
    serverTime: T0,
    seq: 0,
    oldestSeq: 1,
    retentionMs: 120_000,
    tickMs: 100,
    metrics: CATALOGUE,
    ...overrides,
  };
}

export function subscribed(since: number | null, seq: number): SubscribedFrame {
  return { type: "subscribed", metrics: "*", since, seq };
}

/** Value of a metric at t in these tests (any pure function will do). */
export function valueAt(id: string, t: number): number {
  return ((t / 100) % 1000) + (id === "cpu.usage" ? 0 : 0.5);
}

export function data(seq: number): DataFrame {
  const t = T0 + seq * 100;
  return {
    type: "data",
    seq,
    series: {
      "cpu.usage": { t: [t], v: [valueAt("cpu.usage", t)] },
      "memory.usage": { t: [t], v: [valueAt("memory.usage", t)] },
    },
  };
}

export function events(seq: number, count = 1): EventsFrame {
  return {
    type: "events",
    seq,
    events: Array.from({ length: count }, (_, i) => ({
      id: seq * 100 + i,
      t: T0 + seq * 100,
      level: "info" as const,
      kind: "log" as const,
      source: "api",
      text: `event ${seq}.${i}`,
    })),
  };
}
