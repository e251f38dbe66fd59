import { describe, expect, it } from "vitest";
import type { EventLevel, StreamEvent } from "@pulseboard/realtime-client";
import { EventStore } from "../../src/app/event-store.ts";

const event = (id: number, level: EventLevel = "info"): StreamEvent => ({ id, t: id, level, kind: "log", source: "api", text: `event ${id}` });

describe("EventStore", () => {
  it("keeps the newest events up to its capacity and counts the dropped ones", () => {
    const store = new EventStore(1000);
    store.append(Array.from({ length: 2500 }, (_, i) => event(i)));
    expect(store.count()).toBe(1000);
    expect(store.dropped).toBe(1500);
    expect(store.at(0)?.id).toBe(1500);
    expect(store.at(999)?.id).toBe(2499);
    expect(store.at(1000)).toBeUndefined();
  });

  it("filters by minimum level through its indexes, also after drops", () => {
    const store = new EventStore(100);
    const levels: EventLevel[] = ["debug", "info", "warn", "error"];
    store.append(Array.from({ length: 400 }, (_, i) => event(i, levels[i % 4])));
    expect(store.count("debug")).toBe(100);
    expect(store.count("info")).toBe(75);
    expect(store.count("warn")).toBe(50);
    expect(store.count("error")).toBe(25);
    expect(store.at(0, "error")?.id).toBe(303);
    expect(store.at(24, "error")?.id).toBe(399);
  });

  it("counts what arrived after a position, for 'N new'", () => {
    const store = new EventStore(100);
    store.append([event(1, "info"), event(2, "error")]);
    const mark = store.total;
    store.append([event(3, "info"), event(4, "error"), event(5, "debug")]);
    expect(store.countSince(mark)).toBe(3);
    expect(store.countSince(mark, "error")).toBe(1);
  });
});
